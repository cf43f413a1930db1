import { validateWorkflow } from '@action-validator/core';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
  strategy?: { matrix: Record<string, unknown[]> };
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
  it('are ci, drift and pages', () => {
    expect(files.sort()).toEqual(['ci.yml', 'drift.yml', 'pages.yml']);
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
    const allowedWrites: Record<string, string[]> = { 'drift.yml/track': ['issues'], 'pages.yml/deploy': ['pages', 'id-token'] };
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
    const verify = w.jobs.verify!;
    const script = scripts({ ...w, jobs: { verify } }).join('\n');

    it('runs nightly at an odd minute and on demand', () => {
      const schedule = w.on.schedule as { cron: string }[];
      expect(schedule).toHaveLength(1);
      const [minute, hour] = schedule[0]!.cron.split(/\s+/);
      expect(Number(minute) % 2).toBe(1);
      expect(Number(hour)).toBeGreaterThanOrEqual(0);
      expect(w.on).toHaveProperty('workflow_dispatch');
    });

    it('is a matrix of pinned and newest tools over lab shards, one verify per shard with every report', () => {
      expect(verify.strategy!.matrix.tools).toEqual(['pinned', 'newest']);
      const shards = verify.strategy!.matrix.shard as number[];
      expect(shards).toEqual(shards.map((_, i) => i + 1));
      expect(text('drift.yml')).toContain(`SHARDS: ${shards.length}`);
      expect(script).toContain('node scripts/install-tools.ts --dir "$RUNNER_TEMP/tools" $LATEST $TOOLS');
      expect(script).toMatch(/node bin\/labs\.js verify --target kind --shard "\$SHARD\/\$SHARDS" --update/);
      for (const r of ['--report junit=out/junit.xml', '--report json=out/report.json', '--report markdown=out/report.md']) expect(script).toContain(r);
      expect(script).toContain('cat out/report.md >> "$GITHUB_STEP_SUMMARY"');
      expect(script).toContain('git diff --no-color -- content > out/update.patch');
    });

    it('uploads the reports always and the kind logs on failure', () => {
      const uploads = verify.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
      expect(uploads.map((s) => [s.if, s.with?.path])).toEqual([
        ['always()', 'out/'],
        ['failure()', '${{ runner.temp }}/kind-logs'],
      ]);
      const env = verify.steps.find((s) => s.run?.includes('labs.js verify'))!.env!;
      expect(env.LABS_KIND_EXPORT_LOGS).toBe('${{ runner.temp }}/kind-logs');
      expect(env.LABS_TOOL_PINS).toContain("'warn'");
    });

    describe('the tracking issue step, run with a recording gh', () => {
      const track = w.jobs.track!.steps.find((s) => s.run?.includes('gh issue'))!;
      const made: string[] = [];
      afterEach(() => {
        for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
      });

      function runTrack(env: Record<string, string>): string[] {
        const dir = mkdtempSync(join(tmpdir(), 'drift-track-'));
        made.push(dir);
        cpSync(join(FIXTURES, 'drift'), join(dir, 'drift'), { recursive: true });
        const log = join(dir, 'gh.log');
        execFileSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', track.run!], {
          cwd: dir,
          env: {
            PATH: `${join(ROOT, 'test/standins/bin')}:${process.env.PATH}`,
            STANDIN_LOG: log,
            STANDIN_STATE: join(dir, 'state'),
            RUN_URL: 'https://github.com/example/labs/actions/runs/7',
            LABEL: track.env!.LABEL!,
            TITLE: track.env!.TITLE!,
            ...env,
          },
        });
        const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { argv: string[] }).argv.slice(0, 2).join(' '));
        expect(readFileSync(join(dir, 'body.md'), 'utf8')).toContain('cluster-pool-ipv4-cidr');
        return calls;
      }

      it('opens one issue when none is open', () => {
        expect(runTrack({ VERIFY_RESULT: 'failure' })).toEqual(['issue list', 'label create', 'issue create']);
      });

      it('updates the open issue instead of opening another', () => {
        expect(runTrack({ VERIFY_RESULT: 'failure', STANDIN_OPEN_ISSUE: '42' })).toEqual(['issue list', 'issue edit', 'issue comment']);
      });

      it('closes the open issue once a night passes without drift', () => {
        expect(runTrack({ VERIFY_RESULT: 'success', STANDIN_OPEN_ISSUE: '42' })).toEqual(['issue list', 'issue comment', 'issue close']);
        expect(runTrack({ VERIFY_RESULT: 'success' })).toEqual(['issue list']);
      });
    });
  });

  it('pages builds with the latest drift records and deploys with upload-pages-artifact and deploy-pages', () => {
    const w = load('pages.yml');
    const build = w.jobs.build!;
    const deploy = w.jobs.deploy!;
    expect(build.permissions).toEqual({ contents: 'read', actions: 'read' });
    const buildScripts = scripts({ ...w, jobs: { build } }).join('\n');
    expect(buildScripts).toContain("gh run download \"$run_id\" --pattern 'drift-pinned-*'");
    expect(buildScripts.indexOf('verification/')).toBeLessThan(buildScripts.indexOf('npm run build'));
    expect(build.steps.at(-1)!.uses).toMatch(/^actions\/upload-pages-artifact@/);
    expect(deploy.needs).toBe('build');
    expect(deploy.environment?.name).toBe('github-pages');
    expect(deploy.steps.map((s) => s.uses?.split('@')[0])).toEqual(['actions/deploy-pages']);
    expect(w.on).toHaveProperty('workflow_run');
  });
});
