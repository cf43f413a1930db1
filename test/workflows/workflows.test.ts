import { validateWorkflow } from '@action-validator/core';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const DIR = join(ROOT, '.github/workflows');
const FIXTURES = join(ROOT, 'test/fixtures/workflows');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
  needs?: string | string[];
  if?: string;
  environment?: { name: string };
  strategy?: { matrix: Record<string, unknown> };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const text = (f: string) => readFileSync(join(DIR, f), 'utf8');
const load = (f: string) => parse(text(f)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const scripts = (w: Workflow) => steps(w).flatMap((s) => (s.run ? [s.run] : []));

describe('GitHub Actions workflows', () => {
  it('are ci, drift, pages and tools', () => {
    expect(files.sort()).toEqual(['ci.yml', 'drift.yml', 'pages.yml', 'tools.yml']);
  });

  it.each(files)('%s is a valid workflow (action-validator, offline)', (f) => {
    const result = validateWorkflow(text(f)) as { errors: unknown[] };
    expect(result.errors).toEqual([]);
  });

  it.each(files)('%s pins every action to a full commit SHA with its version in a comment', (f) => {
    const uses = text(f)
      .split('\n')
      .filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('pins each action to the same commit everywhere', () => {
    const seen = new Map<string, string>();
    for (const f of files) {
      for (const m of text(f).matchAll(/uses: ([\w.-]+\/[\w./-]+)@([0-9a-f]{40})/g)) {
        expect(seen.get(m[1]!) ?? m[2], `${f}: ${m[1]}`).toBe(m[2]);
        seen.set(m[1]!, m[2]!);
      }
    }
  });

  it.each(files)('%s grants read-only contents by default and writes only where a job needs them', (f) => {
    const w = load(f);
    expect(w.permissions).toEqual({ contents: 'read' });
    const allowedWrites: Record<string, string[]> = { 'drift.yml/track': ['issues'], 'drift.yml/update-pr': ['contents', 'pull-requests'], 'pages.yml/deploy': ['pages', 'id-token'], 'tools.yml/sums': ['contents', 'pull-requests'] };
    for (const [name, job] of Object.entries(w.jobs)) {
      const writes = Object.entries(job.permissions ?? {}).filter(([, v]) => v === 'write').map(([k]) => k);
      expect(writes, `${f}/${name}`).toEqual(allowedWrites[`${f}/${name}`] ?? []);
    }
    expect(text(f)).not.toMatch(/write-all|read-all/);
  });

  it.each(files)('%s passes no ${{ }} expression into a shell script (values go through env:)', (f) => {
    for (const s of scripts(load(f))) expect(s).not.toContain('${{');
  });

  it.each(files)('%s has shell scripts that bash can parse', (f) => {
    for (const s of scripts(load(f))) {
      const r = spawnSync('bash', ['-n'], { input: s, encoding: 'utf8' });
      expect(r.stderr, s).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('ci runs on every push and pull request: tests, labs check, local labs as root, site build, browser tests', () => {
    const w = load('ci.yml');
    expect(Object.keys(w.on).sort()).toEqual(['pull_request', 'push']);
    const all = scripts(w).join('\n');
    const order = ['npm ci', 'npm run typecheck', 'npm run test:unit', 'node bin/labs.js check', 'node bin/labs.js verify --target local', 'npm run build', 'npm run test:e2e'];
    const at = order.map((s) => all.indexOf(s));
    for (const [i, p] of at.entries()) expect(p, order[i]).toBeGreaterThan(-1);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(all).toMatch(/sudo --preserve-env env "PATH=\$PATH" node bin\/labs\.js verify --target local/);
  });

  describe('drift', () => {
    const w = load('drift.yml');
    const { plan, verify, track } = w.jobs as Record<'plan' | 'verify' | 'track', Job & { outputs?: Record<string, string> }>;
    const script = scripts({ ...w, jobs: { verify: verify! } }).join('\n');

    it('runs nightly at an odd minute and on demand', () => {
      const schedule = w.on.schedule as { cron: string }[];
      expect(schedule).toHaveLength(1);
      const [minute, hour] = schedule[0]!.cron.split(/\s+/);
      expect(Number(minute) % 2).toBe(1);
      expect(Number(hour)).toBeGreaterThanOrEqual(0);
      expect(w.on).toHaveProperty('workflow_dispatch');
    });

    it('plans first: the tools come from the labs, and the shards from the labs that can run', () => {
      const planScript = scripts({ ...w, jobs: { plan: plan! } }).join('\n');
      expect(planScript).toContain('node scripts/lab-tools.ts --github --shards "$MAX_SHARDS" --plan-file out/plan.md');
      expect(Object.keys(plan!.outputs!).sort()).toEqual(['held', 'labs', 'legs', 'shard_count', 'shards', 'tools']);
      expect(text('drift.yml')).not.toMatch(/^\s*TOOLS: [a-z]/m); // no hand-kept tool list
      expect(verify!.needs).toBe('plan');
      expect(verify!.if).toBe("needs.plan.outputs.shard_count != '0'");
      // Legs x shards, planned from the labs (pinned, newest, and k8s-<minor> per kind.matrix release).
      expect(verify!.strategy!.matrix).toEqual({ include: '${{ fromJSON(needs.plan.outputs.legs) }}' });
      expect(plan!.outputs!.legs).toBe('${{ steps.plan.outputs.legs }}');
    });

    it('installs the tools the plan names, the pinned ones only, and verifies its shard of the plan\'s labs with every report', () => {
      const install = verify!.steps.find((s) => s.run?.includes('install-tools'))!;
      expect(install.run).toContain('node scripts/install-tools.ts --dir "$RUNNER_TEMP/tools" --pinned-only $LATEST $TOOLS');
      expect(install.env!.TOOLS).toBe('${{ needs.plan.outputs.tools }}');
      const run = verify!.steps.find((s) => s.run?.includes('drift-verify.sh'))!;
      expect(run.run).toBe('bash scripts/drift-verify.sh');
      expect(run.env).toMatchObject({ SHARD: '${{ matrix.shard }}', SHARDS: '${{ matrix.shards }}', LABS: '${{ matrix.labs }}', TOOLSET: '${{ matrix.tools }}', LEG: '${{ matrix.leg }}', K8S: '${{ matrix.k8s }}' });
      const sh = readFileSync(join(ROOT, 'scripts/drift-verify.sh'), 'utf8');
      expect(sh).toMatch(/node bin\/labs\.js verify --target kind --shard "\$SHARD\/\$SHARDS" "\$\{mode\[@\]\}"/);
      // A matrix leg verifies with --k8s and never rewrites pages; the others with --update.
      expect(sh).toContain('mode=(--k8s "$k8s")');
      expect(sh).toContain('mode=(--update)');
      for (const r of ['--report junit=out/junit.xml', '--report json=out/report.json', '--report markdown=out/report.md']) expect(sh).toContain(r);
      expect(sh).toContain('cat out/report.md >> "$summary"');
      expect(sh).toContain('git diff --no-color -- content > out/update.patch');
      expect(script).not.toContain('labs.js verify'); // one copy of the logic, in the script
    });

    it('keeps the night within an hour of wall time: plan, then the verify jobs side by side, then the issue and pull request jobs side by side', () => {
      const jobs = w.jobs as Record<string, Job & { 'timeout-minutes'?: number }>;
      for (const [name, job] of Object.entries(jobs)) expect(job['timeout-minutes'], name).toBeGreaterThan(0);
      // The longest chain of needs: plan → verify → the slower of track and update-pr.
      expect(jobs.track!.needs).toEqual(['plan', 'verify']);
      const worst = jobs.plan!['timeout-minutes']! + jobs.verify!['timeout-minutes']! + Math.max(jobs.track!['timeout-minutes']!, jobs['update-pr']!['timeout-minutes']!);
      expect(worst).toBeLessThanOrEqual(60);
      expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`10 (plan) + ${jobs.verify!['timeout-minutes']} (any verify\njob) + 10 (issue or pull request) = ${worst} minutes`);
    });

    it('uploads the reports always and the kind logs on failure, and the plan for the tracking issue', () => {
      const uploads = verify!.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
      expect(uploads.map((s) => [s.if, s.with?.path, s.with?.name])).toEqual([
        ['always()', 'out/', 'drift-${{ matrix.leg }}-${{ matrix.shard }}'],
        ['failure()', '${{ runner.temp }}/kind-logs', 'kind-logs-${{ matrix.leg }}-${{ matrix.shard }}'],
      ]);
      const env = verify!.steps.find((s) => s.run?.includes('drift-verify'))!.env!;
      expect(env.LABS_KIND_EXPORT_LOGS).toBe('${{ runner.temp }}/kind-logs');
      expect(env.LABS_TOOL_PINS).toContain("'warn'");
      expect(plan!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!.with).toEqual({ name: 'drift-plan', path: 'out/plan.md' });
      expect(track!.needs).toEqual(['plan', 'verify']);
      expect(track!.if).toBe('always()');
    });

    it('opens the update pull request only from the scheduled or dispatched run on main, never from a pull request', () => {
      const pr = w.jobs['update-pr'] as Job;
      expect(Object.keys(w.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
      expect(pr.needs).toEqual(['plan', 'verify']);
      expect(pr.if).toBe("always() && github.ref == 'refs/heads/main' && (github.event_name == 'schedule' || github.event_name == 'workflow_dispatch')");
      expect(pr.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
      expect(pr.steps.find((s) => s.uses?.startsWith('actions/checkout@'))!.with).toMatchObject({ 'persist-credentials': false });
      expect(pr.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!.with).toEqual({ pattern: 'drift-pinned-*', path: 'drift' });
      const step = pr.steps.find((s) => s.run?.includes('drift-pr.sh'))!;
      expect(step.run).toBe('bash scripts/drift-pr.sh');
      expect(step.env).toMatchObject({ BRANCH: 'lab-drift/update', BASE: 'main', SHARDS: '${{ needs.plan.outputs.shard_count }}' });
      const history = pr.steps.find((s) => s.run?.includes('drift-history.sh'))!;
      expect(history.run).toBe('bash scripts/drift-history.sh');
      expect(history.if).toBe('success() || failure()'); // a failed pull request step still records the night
      expect(history.env).toMatchObject({ BRANCH: 'lab-drift/history' });
      // The newest leg never writes pages: only the pinned shards' patches reach the branch.
      expect(text('drift.yml')).not.toMatch(/pattern: drift-newest/);
    });

    describe('the update pull request step on a night that cannot say', () => {
      const made: string[] = [];
      afterEach(() => {
        for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
      });
      function runPr(env: Record<string, string>, shards: Record<string, { failed: number; errors: number } | null>) {
        const dir = mkdtempSync(join(tmpdir(), 'drift-pr-'));
        made.push(dir);
        symlinkSync(join(ROOT, 'scripts'), join(dir, 'scripts'));
        symlinkSync(join(ROOT, 'src'), join(dir, 'src'));
        for (const [name, summary] of Object.entries(shards)) {
          execFileSync('mkdir', ['-p', join(dir, 'drift', name)]);
          writeFileSync(join(dir, 'drift', name, 'update.patch'), '');
          if (summary) writeFileSync(join(dir, 'drift', name, 'report.json'), JSON.stringify({ summary, labs: [], blocks: [] }));
        }
        const log = join(dir, 'gh.log');
        const out = execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', 'bash scripts/drift-pr.sh'], {
          cwd: dir,
          encoding: 'utf8',
          env: { PATH: `${join(ROOT, 'test/standins/bin')}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_STATE: join(dir, 'state'), GH_TOKEN: 't', GH_REPO: 'example/labs', BRANCH: 'lab-drift/update', BASE: 'main', RUN_URL: 'https://run/9', RUNNER_TEMP: dir, STANDIN_OPEN_PR: '5', ...env },
        });
        const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { argv: string[] }).argv.slice(0, 2).join(' ')) : [];
        return { out, calls };
      }

      it('leaves the pull request alone when the plan failed', () => {
        const r = runPr({ SHARDS: '' }, {});
        expect(r.calls).toEqual([]);
        expect(r.out).toContain('the plan job gave no shard count');
      });

      it('leaves it alone when a shard left no report, or blocks errored with nothing to rewrite', () => {
        const nights: Record<string, { failed: number; errors: number } | null>[] = [{ 'drift-pinned-1': { failed: 0, errors: 0 } }, { 'drift-pinned-1': { failed: 0, errors: 0 }, 'drift-pinned-2': null }, { 'drift-pinned-1': { failed: 0, errors: 1 }, 'drift-pinned-2': { failed: 0, errors: 0 } }];
        for (const shards of nights) {
          const r = runPr({ SHARDS: '2' }, shards);
          expect(r.calls).toEqual(['pr list']);
          expect(r.out).toContain('the update pull request is left as it is');
        }
        expect(runPr({ SHARDS: '2' }, { 'drift-pinned-1': { failed: 0, errors: 0 }, 'drift-pinned-2': { failed: 0, errors: 0 } }).calls).toEqual(['pr list', 'pr close']);
      });
    });

    describe('the tracking issue step, run with a recording gh', () => {
      const step = track!.steps.find((s) => s.run?.includes('drift-track.sh'))!;
      const made: string[] = [];
      afterEach(() => {
        for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
      });

      function runTrack(env: Record<string, string>): { calls: string[]; body?: string } {
        const dir = mkdtempSync(join(tmpdir(), 'drift-track-'));
        made.push(dir);
        cpSync(join(FIXTURES, 'drift'), join(dir, 'drift'), { recursive: true });
        symlinkSync(join(ROOT, 'scripts'), join(dir, 'scripts'));
        const log = join(dir, 'gh.log');
        const state = join(dir, 'state');
        execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
          cwd: dir,
          env: {
            PATH: `${join(ROOT, 'test/standins/bin')}:${process.env.PATH}`,
            STANDIN_LOG: log,
            STANDIN_STATE: state,
            RUN_URL: 'https://github.com/example/labs/actions/runs/7',
            LABEL: step.env!.LABEL!,
            TITLE: step.env!.TITLE!,
            PLAN_RESULT: 'success',
            HELD: '0',
            ...env,
          },
        });
        const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { argv: string[] }).argv.slice(0, 2).join(' '));
        expect(readFileSync(join(dir, 'body.md'), 'utf8')).toContain('cluster-pool-ipv4-cidr');
        const bodyFile = join(state, 'gh-body-1.md');
        return { calls, body: existsSync(bodyFile) ? readFileSync(bodyFile, 'utf8') : undefined };
      }

      it('opens one issue when none is open', () => {
        expect(runTrack({ VERIFY_RESULT: 'failure' }).calls).toEqual(['issue list', 'label create', 'issue create']);
      });

      it('updates the open issue instead of opening another', () => {
        expect(runTrack({ VERIFY_RESULT: 'failure', STANDIN_OPEN_ISSUE: '42' }).calls).toEqual(['issue list', 'issue edit', 'issue comment']);
      });

      it('closes the open issue once a night passes clean', () => {
        expect(runTrack({ VERIFY_RESULT: 'success', STANDIN_OPEN_ISSUE: '42' }).calls).toEqual(['issue list', 'issue comment', 'issue close']);
        expect(runTrack({ VERIFY_RESULT: 'success' }).calls).toEqual(['issue list']);
      });

      it('is not clean while a lab is held back, even when the shards that ran passed or none ran', () => {
        expect(runTrack({ VERIFY_RESULT: 'success', HELD: '1', STANDIN_OPEN_ISSUE: '42' }).calls).toEqual(['issue list', 'issue edit', 'issue comment']);
        const skipped = runTrack({ VERIFY_RESULT: 'skipped', HELD: '1' });
        expect(skipped.calls).toEqual(['issue list', 'label create', 'issue create']);
        expect(skipped.body).toContain('(plan: success, verify jobs: skipped, labs not verified: 1)');
      });

      it('is clean when there was no kind lab to verify and none was held back', () => {
        expect(runTrack({ VERIFY_RESULT: 'skipped', HELD: '0', STANDIN_OPEN_ISSUE: '42' }).calls).toEqual(['issue list', 'issue comment', 'issue close']);
      });

      it('is not clean when the plan failed', () => {
        const r = runTrack({ PLAN_RESULT: 'failure', VERIFY_RESULT: 'skipped', HELD: '' });
        expect(r.calls).toEqual(['issue list', 'label create', 'issue create']);
        expect(r.body).toContain('The plan step failed, so no lab was verified');
      });
    });
  });

  describe('tools', () => {
    const w = load('tools.yml');
    const job = w.jobs.sums!;

    it('runs on demand and when tools.json changes on main', () => {
      expect(w.on).toEqual({ workflow_dispatch: null, push: { branches: ['main'], paths: ['tools.json'] } });
    });

    it('is the one place that allows --fill-sums, and hands its report to the pull request', () => {
      const check = job.steps.find((s) => s.run?.includes('--fill-sums'))!;
      expect(check.env!.LABS_TOOLS_FILL_SUMS).toBe('1');
      expect(check.run).toContain('node scripts/install-tools.ts --fill-sums --dir "$RUNNER_TEMP/tools" --report "$RUNNER_TEMP/sums.md"');
      for (const f of files.filter((f) => f !== 'tools.yml')) expect(text(f), f).not.toContain('LABS_TOOLS_FILL_SUMS');
      const pr = job.steps.find((s) => s.run?.includes('tools-pr.sh'))!;
      expect(pr.env).toMatchObject({ BRANCH: 'tools/checksums', REPORT: '${{ runner.temp }}/sums.md' });
    });

    describe('the pull request step, with a recording gh and a local repository to push to', () => {
      const step = job.steps.find((s) => s.run?.includes('tools-pr.sh'))!;
      const made: string[] = [];
      afterEach(() => {
        for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
      });

      function runPr(change: boolean, env: Record<string, string> = {}) {
        const dir = mkdtempSync(join(tmpdir(), 'tools-pr-'));
        made.push(dir);
        const repo = join(dir, 'repo');
        const remote = join(dir, 'remote.git');
        const git = (cwd: string, ...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.test', ...a], { cwd, encoding: 'utf8', stdio: 'pipe' });
        execFileSync('git', ['init', '-q', '--bare', remote]);
        execFileSync('mkdir', ['-p', repo]);
        git(repo, 'init', '-q', '-b', 'main');
        writeFileSync(join(repo, 'tools.json'), '{"tools":{}}\n');
        git(repo, 'add', 'tools.json');
        git(repo, 'commit', '-qm', 'base');
        symlinkSync(join(ROOT, 'scripts'), join(repo, 'scripts'));
        if (change) writeFileSync(join(repo, 'tools.json'), '{"tools":{"x":{"sha256":"' + 'a'.repeat(64) + '"}}}\n');
        writeFileSync(join(dir, 'sums.md'), '| tool | version | result | detail |\n');
        const log = join(dir, 'gh.log');
        const out = execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
          cwd: repo,
          encoding: 'utf8',
          env: {
            PATH: `${join(ROOT, 'test/standins/bin')}:${process.env.PATH}`,
            HOME: dir,
            STANDIN_LOG: log,
            STANDIN_STATE: join(dir, 'state'),
            GH_TOKEN: 'dry-run-token',
            GH_REPO: 'example/labs',
            BASE: 'main',
            BRANCH: step.env!.BRANCH!,
            REPORT: join(dir, 'sums.md'),
            RUN_URL: 'https://github.com/example/labs/actions/runs/8',
            PUSH_URL: remote,
            ...env,
          },
        });
        const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { argv: string[] }).argv.slice(0, 2).join(' ')) : [];
        const pushed = spawnSync('git', ['log', '--format=%s', 'tools/checksums'], { cwd: remote, encoding: 'utf8' });
        return { out, calls, pushed: pushed.status === 0 ? pushed.stdout.trim() : undefined, body: existsSync(join(dir, 'state/gh-body-1.md')) ? readFileSync(join(dir, 'state/gh-body-1.md'), 'utf8') : '' };
      }

      it('does nothing when tools.json did not change', () => {
        const r = runPr(false);
        expect(r.out).toContain('tools.json is unchanged');
        expect(r.calls).toEqual([]);
        expect(r.pushed).toBeUndefined();
      });

      it('pushes one branch and opens one pull request with the report', () => {
        const r = runPr(true);
        expect(r.pushed).toBe('Pin the tool checksums their projects publish\nbase');
        expect(r.calls).toEqual(['pr list', 'pr create']);
        expect(r.body).toContain('| tool | version | result | detail |');
        expect(r.body).toContain('https://github.com/example/labs/actions/runs/8');
      });

      it('updates the open pull request instead of opening another', () => {
        expect(runPr(true, { STANDIN_OPEN_PR: '5' }).calls).toEqual(['pr list', 'pr edit']);
      });
    });
  });

  it('pages builds with the latest drift records and deploys with upload-pages-artifact and deploy-pages', () => {
    const w = load('pages.yml');
    const build = w.jobs.build!;
    const deploy = w.jobs.deploy!;
    expect(build.permissions).toEqual({ contents: 'read', actions: 'read' });
    const buildScripts = scripts({ ...w, jobs: { build } }).join('\n');
    expect(buildScripts).toContain("gh run download \"$run_id\" --pattern 'drift-pinned-*' --pattern 'drift-k8s-*'");
    expect(buildScripts.indexOf('verification/')).toBeLessThan(buildScripts.indexOf('npm run build'));
    expect(buildScripts).toContain('"repos/$GH_REPO/contents/history.jsonl?ref=lab-drift/history" > verification/history.jsonl');
    expect(buildScripts.indexOf('history.jsonl')).toBeLessThan(buildScripts.indexOf('npm run build'));
    expect(build.steps.at(-1)!.uses).toMatch(/^actions\/upload-pages-artifact@/);
    expect(deploy.needs).toBe('build');
    expect(deploy.environment?.name).toBe('github-pages');
    expect(deploy.steps.map((s) => s.uses?.split('@')[0])).toEqual(['actions/deploy-pages']);
    expect(w.on).toHaveProperty('workflow_run');
  });
});
