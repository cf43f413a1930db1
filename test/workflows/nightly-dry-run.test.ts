/**
 * A dry run of the whole nightly path of .github/workflows/drift.yml, here, without Docker or
 * the network: the workflow's own step scripts run in order, job by job, as the runner would run
 * them (bash -eo pipefail, the step's env with its expressions filled in, GITHUB_OUTPUT,
 * GITHUB_PATH and GITHUB_STEP_SUMMARY honoured, artifacts handed from job to job), on a fixture
 * project of three kind labs and a local one. The tool downloads come from a local HTTP server
 * that serves the recording stand-ins (test/standins/) as release assets, pinned in the
 * fixture's tools.json by the sums of those very bytes; linkerd has no pinned sum. docker and gh
 * are the stand-ins; a local bare repository is the remote the update branch is pushed to. Only
 * the pinned leg and the Kubernetes matrix legs run: the newest leg asks api.github.com for
 * releases. After a first night as
 * the fixture stands, three more nights on one repository (the stand-in gh keeps the open issue
 * and pull request between them) drift, drift again and come back clean.
 * Nothing here says the real tools or cluster work; it says the pipeline wires them correctly.
 */
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildStrips, parseHistory } from '../../src/history/history.ts';

const ROOT = join(import.meta.dirname, '../..');
const STANDINS = join(ROOT, 'test/standins');
const FIXTURE = join(ROOT, 'test/fixtures/nightly');

interface Step {
  id?: string;
  with?: Record<string, string>;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  env?: Record<string, string | number>;
  jobs: Record<string, Job>;
}

/** The expression contexts a step can read. */
interface Contexts {
  matrix?: Record<string, string | number>;
  needs?: Record<string, { outputs: Record<string, string>; result: string }>;
  steps?: Record<string, { outputs: Record<string, string> }>;
  runner: { temp: string };
  github: Record<string, string>;
}

/** Reads a dotted path (`needs.plan.outputs.tools`) from the contexts; unknown paths throw. */
function lookup(path: string, ctx: Contexts): string {
  let v: unknown = ctx;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || !(part in v)) throw new Error(`the dry run does not know \${{ ${path} }}`);
    v = (v as Record<string, unknown>)[part];
  }
  return String(v);
}

/**
 * Fills in `${{ … }}`: a context path, `a == 'x' && 'y' || 'z'`, `a != 'x'`, and
 * `fromJSON(path)`. Anything else throws, so a new kind of expression in the workflow makes this
 * test fail until the dry run learns it.
 */
function evaluate(expr: string, ctx: Contexts): string {
  const e = expr.trim();
  let m = /^([\w.-]+) == '([^']*)' && '([^']*)' \|\| '([^']*)'$/.exec(e);
  if (m) return lookup(m[1]!, ctx) === m[2] ? m[3]! : m[4]!;
  m = /^([\w.-]+) != '([^']*)'$/.exec(e);
  if (m) return String(lookup(m[1]!, ctx) !== m[2]);
  m = /^fromJSON\(([\w.-]+)\)$/.exec(e);
  if (m) return lookup(m[1]!, ctx);
  if (/^[\w.-]+$/.test(e)) return lookup(e, ctx);
  throw new Error(`the dry run cannot evaluate \${{ ${e} }}`);
}

function fill(text: string, ctx: Contexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => evaluate(e, ctx));
}

function parseOutputs(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('the nightly drift path, dry run with recording stand-ins', () => {
  const workflow = parse(readFileSync(join(ROOT, '.github/workflows/drift.yml'), 'utf8')) as Workflow;
  let work: string;
  let server: Server;
  let base: string;
  const served = new Map<string, Buffer>();
  const jobs: Record<string, { dir: string; log: string[]; statuses: number[]; env: Record<string, string> }> = {};
  let planOutputs: Record<string, string> = {};
  const artifacts = () => join(work, 'artifacts');
  const remote = () => join(work, 'remote.git');

  /** A fresh checkout of the fixture project for one job (its own folder, HOME, RUNNER_TEMP and stand-in state). */
  function checkout(name: string, project = join(work, 'project')): { dir: string; env: Record<string, string> } {
    const dir = join(work, 'jobs', name);
    cpSync(project, dir, { recursive: true, verbatimSymlinks: true });
    for (const d of ['home', 'runner-temp', 'state']) mkdirSync(join(dir, '..', `${name}.${d}`), { recursive: true });
    const extra = join(dir, '..', `${name}.bin`);
    mkdirSync(extra);
    // What the runner image provides: docker (a stand-in here) and gh (a stand-in here).
    for (const t of ['docker', 'gh']) symlinkSync(join(STANDINS, 'bin', t), join(extra, t));
    const env: Record<string, string> = {
      PATH: `${extra}:${dirname(process.execPath)}:${process.env.PATH}`,
      HOME: join(dir, '..', `${name}.home`),
      RUNNER_TEMP: join(dir, '..', `${name}.runner-temp`),
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: join(dir, '..', `${name}.output`),
      GITHUB_PATH: join(dir, '..', `${name}.path`),
      GITHUB_STEP_SUMMARY: join(dir, '..', `${name}.summary.md`),
      STANDIN_LOG: join(dir, '..', `${name}.calls.jsonl`),
      STANDIN_STATE: join(dir, '..', `${name}.state`),
      // Installed copies of the stand-ins find their shared library here.
      STANDIN_LIB: join(STANDINS, 'standin-lib.sh'),
      NO_COLOR: '1',
      TMPDIR: tmpdir(),
    };
    jobs[name] = { dir, log: [], statuses: [], env };
    return { dir, env };
  }

  /**
   * Runs one `run:` step of a job the way the runner does, then applies GITHUB_PATH. Async: the
   * download server lives in this process.
   */
  async function runStep(job: string, step: Step, ctx: Contexts, extraEnv: Record<string, string> = {}): Promise<number> {
    const j = jobs[job]!;
    const env: Record<string, string> = { ...j.env, ...extraEnv };
    for (const [k, v] of Object.entries(workflow.env ?? {})) env[k] = String(v);
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = fill(String(v), ctx);
    const r = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { cwd: j.dir, env, extendEnv: false, reject: false, all: true, timeout: 120_000 });
    j.log.push(`$ ${step.name ?? step.run}\n${r.all}`);
    j.statuses.push(r.exitCode ?? -1);
    if (existsSync(env.GITHUB_PATH!)) {
      const added = readFileSync(env.GITHUB_PATH!, 'utf8').trim().split('\n').filter(Boolean);
      j.env.PATH = [...added.reverse(), j.env.PATH].join(':');
      rmSync(env.GITHUB_PATH!);
    }
    return r.exitCode ?? -1;
  }

  const stepNamed = (job: string, pattern: RegExp) => {
    const s = workflow.jobs[job]!.steps.find((st) => st.run && pattern.test(st.name ?? ''));
    if (!s) throw new Error(`drift.yml: job ${job} has no run step named like ${pattern}`);
    return s;
  };
  const gh = { token: 'dry-run-token', repository: 'example/labs', server_url: 'https://github.com', run_id: '7' };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nightly-dry-run-'));
    // The release assets: the stand-ins, a bare binary each, and helm in a .tar.gz like Helm's.
    const stage = join(work, 'stage/linux-amd64');
    mkdirSync(stage, { recursive: true });
    cpSync(join(STANDINS, 'bin/helm'), join(stage, 'helm'));
    execFileSync('tar', ['-czf', join(work, 'stage/helm.tar.gz'), '-C', join(work, 'stage'), 'linux-amd64/helm']);
    served.set('/v0.33.0/kind-linux-amd64', readFileSync(join(STANDINS, 'bin/kind')));
    served.set('/v1.37.1/kubectl', readFileSync(join(STANDINS, 'bin/kubectl')));
    served.set('/helm-v4.3.0-linux-amd64.tar.gz', readFileSync(join(work, 'stage/helm.tar.gz')));
    served.set('/edge-26.9.3/linkerd2-cli-edge-26.9.3-linux-amd64', readFileSync(join(STANDINS, 'bin/linkerd')));
    server = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      res.writeHead(body ? 200 : 404).end(body ?? 'not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    base = `http://127.0.0.1:${port}`;

    // The project: the fixture labs, tools.json pinning the served bytes, the repository's own
    // bin/ and scripts/, and a git history (the verify step diffs content/ for the update patch).
    const project = join(work, 'project');
    cpSync(FIXTURE, project, { recursive: true });
    symlinkSync(join(ROOT, 'bin'), join(project, 'bin'));
    symlinkSync(join(ROOT, 'scripts'), join(project, 'scripts'));
    const tools = {
      platform: 'linux-amd64',
      tools: {
        kind: { version: 'v0.33.0', binary: 'kind', url: `${base}/{version}/kind-linux-amd64`, sha256: sha256(served.get('/v0.33.0/kind-linux-amd64')!) },
        kubectl: { version: 'v1.37.1', binary: 'kubectl', url: `${base}/{version}/kubectl`, sha256: sha256(served.get('/v1.37.1/kubectl')!) },
        helm: { version: 'v4.3.0', binary: 'helm', url: `${base}/helm-{version}-linux-amd64.tar.gz`, archiveMember: 'linux-amd64/helm', sha256: sha256(served.get('/helm-v4.3.0-linux-amd64.tar.gz')!) },
        linkerd: { version: 'edge-26.9.3', binary: 'linkerd', url: `${base}/{version}/linkerd2-cli-{version}-linux-amd64`, checksumRelease: 'linkerd/linkerd2' },
      },
    };
    writeFileSync(join(project, 'tools.json'), `${JSON.stringify(tools, null, 2)}\n`);
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=dry run', '-c', 'user.email=dry@run.test', ...a], { cwd: project, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'fixture');

    await night('', project);

    // Three more nights on one repository (a shared stand-in gh state and a local bare remote),
    // without the held lab so that a night can be clean: the page of alpha-kind drifts on the
    // first two (its output says kind-old where the cluster says kind-kind), then is fixed.
    execFileSync('git', ['init', '-q', '--bare', remote()]);
    const github = join(work, 'github');
    mkdirSync(github);
    for (const [prefix, drifts] of [['n2-', true], ['n3-', true], ['n4-', false]] as const) {
      const p = join(work, `project-${prefix}`);
      cpSync(FIXTURE, p, { recursive: true });
      rmSync(join(p, 'content/labs/mesh-kind'), { recursive: true });
      symlinkSync(join(ROOT, 'bin'), join(p, 'bin'));
      symlinkSync(join(ROOT, 'scripts'), join(p, 'scripts'));
      writeFileSync(join(p, 'tools.json'), readFileSync(join(project, 'tools.json')));
      const page = join(p, 'content/labs/alpha-kind/01-context.mdx');
      if (drifts) writeFileSync(page, readFileSync(page, 'utf8').replace('\nkind-kind\n', '\nkind-old\n'));
      const g = (...a: string[]) => execFileSync('git', ['-c', 'user.name=dry run', '-c', 'user.email=dry@run.test', ...a], { cwd: p, stdio: 'pipe' });
      g('init', '-q', '-b', 'main');
      g('add', '-A');
      g('commit', '-qm', 'fixture');
      await night(prefix, p, github);
    }
  }, 300_000);

  /**
   * One night: plan, the pinned verify shards, then the tracking issue and the update pull
   * request, each job in a fresh copy of `project`. `github` is the stand-in gh's state (the open
   * issue and pull request) when it is carried over from night to night.
   */
  async function night(prefix: string, project: string, github?: string): Promise<void> {
    const art = join(work, `artifacts${prefix ? `-${prefix}` : ''}`);
    // Job 1: plan.
    const plan = checkout(`${prefix}plan`, project);
    const planStep = workflow.jobs.plan!.steps.find((s) => s.id === 'plan')!;
    await runStep(`${prefix}plan`, planStep, { runner: { temp: plan.env.RUNNER_TEMP! }, github: gh });
    const stepOutputs = parseOutputs(plan.env.GITHUB_OUTPUT!);
    const outputs = Object.fromEntries(Object.entries(workflow.jobs.plan!.outputs!).map(([k, v]) => [k, fill(v, { steps: { plan: { outputs: stepOutputs } }, runner: { temp: '' }, github: gh })]));
    if (!prefix) planOutputs = outputs;
    mkdirSync(join(art, 'drift-plan'), { recursive: true });
    cpSync(join(plan.dir, 'out/plan.md'), join(art, 'drift-plan/plan.md'));

    // Job 2: verify, one job per leg and shard the plan listed (`include:`), but the newest leg.
    const verify = workflow.jobs.verify!;
    const needs = { plan: { outputs, result: 'success' } };
    if (evaluate(verify.if!.replace(/^\$\{\{|\}\}$/g, ''), { needs, runner: { temp: '' }, github: gh }) !== 'true') throw new Error('verify job would be skipped');
    const legs = JSON.parse(fill(String(verify.strategy!.matrix.include), { needs, runner: { temp: '' }, github: gh })) as { leg: string; tools: string; k8s: string; shard: number; shards: number; labs: string }[];
    const shards = legs.filter((l) => l.leg === 'pinned').map((l) => l.shard);
    let verified = true;
    for (const leg of legs.filter((l) => l.tools === 'pinned')) {
      const shard = leg.shard;
      const name = `${prefix}verify-${leg.leg}-${shard}`;
      const { env } = checkout(name, project);
      const ctx: Contexts = { matrix: leg, needs, runner: { temp: env.RUNNER_TEMP! }, github: gh };
      const install = await runStep(name, stepNamed('verify', /^Install the/), ctx);
      if (install !== 0) {
        verified = false;
        continue; // the assertions below say what went wrong
      }
      if ((await runStep(name, stepNamed('verify', /^Verify shard/), ctx)) !== 0) verified = false;
      const upload = verify.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@') && s.if === 'always()') as Step & { with: { name: string } };
      cpSync(join(jobs[name]!.dir, 'out'), join(art, fill(upload.with.name, ctx)), { recursive: true });
    }
    const results = { plan: { outputs, result: 'success' }, verify: { outputs: {}, result: verified ? 'success' : 'failure' } };

    // Job 3: track, with the artifacts of both jobs downloaded into drift/.
    const track = checkout(`${prefix}track`, project);
    if (github) track.env.STANDIN_STATE = github;
    cpSync(art, join(track.dir, 'drift'), { recursive: true });
    await runStep(`${prefix}track`, stepNamed('track', /drift issue/), { needs: results, runner: { temp: track.env.RUNNER_TEMP! }, github: gh });

    // Job 4: update-pr, as the scheduled run on main (its `if:`), with the pinned artifacts.
    const pr = checkout(`${prefix}update-pr`, project);
    if (github) pr.env.STANDIN_STATE = github;
    mkdirSync(join(pr.dir, 'drift'));
    for (const shard of shards) if (existsSync(join(art, `drift-pinned-${shard}`))) cpSync(join(art, `drift-pinned-${shard}`), join(pr.dir, 'drift', `drift-pinned-${shard}`), { recursive: true });
    const prStep = workflow.jobs['update-pr']!.steps.find((s) => s.run?.includes('drift-pr.sh'))!;
    await runStep(`${prefix}update-pr`, prStep, { needs: results, runner: { temp: pr.env.RUNNER_TEMP! }, github: gh }, { PUSH_URL: remote() });
    if (github) {
      const historyStep = workflow.jobs['update-pr']!.steps.find((s) => s.run?.includes('drift-history.sh'))!;
      await runStep(`${prefix}update-pr`, historyStep, { needs: results, runner: { temp: pr.env.RUNNER_TEMP! }, github: { ...gh, run_id: `${prefix.slice(1, 2)}` } }, { PUSH_URL: remote() });
    }
  }

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const logOf = (job: string) => jobs[job]?.log.join('\n') ?? '(job did not run)';
  const calls = (job: string) =>
    existsSync(jobs[job]!.env.STANDIN_LOG!)
      ? readFileSync(jobs[job]!.env.STANDIN_LOG!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; argv: string[] })
      : [];

  it('plans from the labs: every tool they pin, the runnable labs over two shards, and the held lab with its reason', () => {
    expect(jobs.plan!.statuses, logOf('plan')).toEqual([0]);
    const { legs, ...rest } = planOutputs;
    expect(rest).toEqual({
      tools: 'helm kind kubectl linkerd',
      labs: 'content/labs/alpha-kind content/labs/beta-kind',
      shards: '[1,2]',
      shard_count: '2',
      held: '1',
    });
    const both = 'content/labs/alpha-kind content/labs/beta-kind';
    expect(JSON.parse(legs!)).toEqual([
      { leg: 'pinned', tools: 'pinned', k8s: '', shard: 1, shards: 2, labs: both },
      { leg: 'pinned', tools: 'pinned', k8s: '', shard: 2, shards: 2, labs: both },
      { leg: 'newest', tools: 'newest', k8s: '', shard: 1, shards: 2, labs: both },
      { leg: 'newest', tools: 'newest', k8s: '', shard: 2, shards: 2, labs: both },
      // Only alpha-kind lists 1.36 with an image; 1.35 has none, mesh-kind is held back.
      { leg: 'k8s-1.36', tools: 'pinned', k8s: '1.36', shard: 1, shards: 1, labs: 'content/labs/alpha-kind' },
    ]);
    const summary = readFileSync(jobs.plan!.env.GITHUB_STEP_SUMMARY!, 'utf8');
    expect(summary).toContain('- mesh-kind (content/labs/mesh-kind): linkerd edge-26.9.3 has no pinned sha256 in tools.json');
    expect(logOf('plan')).toContain('::warning title=lab not verified::mesh-kind is not verified tonight: linkerd edge-26.9.3 has no pinned sha256 in tools.json. To pin the missing sums, run the `tools` workflow');
    expect(summary).not.toContain('local-lab');
    // alpha-kind lists two more Kubernetes releases: 1.36 with its node image runs, 1.35 without one is named, never run.
    expect(summary).toContain('- alpha-kind on Kubernetes 1.36: verified tonight, kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed → verification/alpha-kind@1.36.json');
    expect(summary).toContain('- alpha-kind on Kubernetes 1.35: cannot run: no node image pinned for Kubernetes 1.35');
  });

  it('installs each pinned tool after checking its sum, and refuses linkerd, which has none, saying what to do', () => {
    for (const shard of [1, 2]) {
      const job = `verify-pinned-${shard}`;
      expect(jobs[job]!.statuses[0], logOf(job)).toBe(0);
      const log = logOf(job);
      expect(log).toContain('install-tools: linkerd edge-26.9.3: tools.json has no pinned sha256, so it is not installed (a download is only trusted against a pinned sum); run the `tools` workflow');
      expect(log).toContain('::warning title=unpinned tool::linkerd edge-26.9.3 has no pinned sha256');
      for (const t of ['helm', 'kind', 'kubectl']) expect(log).toContain(`install-tools: ${t} `);
      expect(log.match(/sha256 ok -> /g)).toHaveLength(3);
      const bin = join(jobs[job]!.env.RUNNER_TEMP!, 'tools');
      for (const t of ['kind', 'kubectl', 'helm']) expect(existsSync(join(bin, t)), t).toBe(true);
      expect(existsSync(join(bin, 'linkerd'))).toBe(false);
      expect(jobs[job]!.env.PATH!.startsWith(`${bin}:`)).toBe(true);
    }
  });

  it('verifies a non-empty shard in each job, together every runnable lab once, with every report', () => {
    const seen: string[] = [];
    for (const shard of [1, 2]) {
      const job = `verify-pinned-${shard}`;
      expect(jobs[job]!.statuses, logOf(job)).toEqual([0, 0]);
      const out = join(artifacts(), `drift-pinned-${shard}`);
      for (const f of ['junit.xml', 'report.json', 'report.md', 'update.patch']) expect(existsSync(join(out, f)), `${job}: ${f}`).toBe(true);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { summary: { passed: number; failed: number }; blocks: { id: string; status: string }[] };
      expect(report.summary.failed).toBe(0);
      expect(report.summary.passed).toBeGreaterThan(0);
      const labs = calls(job).filter((c) => c.tool === 'kind' && c.argv[0] === 'create').length;
      expect(labs, `${job} created one cluster per lab`).toBe(1);
      const records = execFileSync('ls', [join(out, 'records')], { encoding: 'utf8' }).trim().split('\n');
      seen.push(...records);
      expect(readFileSync(jobs[job]!.env.GITHUB_STEP_SUMMARY!, 'utf8')).toContain('passed');
      expect(readFileSync(join(out, 'update.patch'), 'utf8')).toBe('');
    }
    expect(seen.sort()).toEqual(['alpha-kind.json', 'beta-kind.json']);
    // The helm the lab ran was the installed copy of the stand-in, not anything on the machine.
    expect(calls('verify-pinned-1').concat(calls('verify-pinned-2')).filter((c) => c.tool === 'helm').map((c) => c.argv[0])).toContain('version');
  });

  it('verifies the Kubernetes 1.36 leg on the matrix image with the pinned tools, recording alpha-kind@1.36.json and no update patch', () => {
    const job = 'verify-k8s-1.36-1';
    expect(jobs[job]!.statuses, logOf(job)).toEqual([0, 0]);
    const creates = calls(job).filter((c) => c.tool === 'kind' && c.argv[0] === 'create');
    expect(creates.map((c) => c.argv[c.argv.indexOf('--image') + 1])).toEqual(['kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed']);
    const out = join(artifacts(), 'drift-k8s-1.36-1');
    expect(execFileSync('ls', [join(out, 'records')], { encoding: 'utf8' }).trim().split('\n')).toEqual(['alpha-kind@1.36.json']);
    const record = JSON.parse(readFileSync(join(out, 'records/alpha-kind@1.36.json'), 'utf8')) as { kubernetes: unknown; summary: { passed: number; failed: number } };
    expect(record.kubernetes).toEqual({ minor: '1.36', nodeImage: 'kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed', server: 'v1.36.4' });
    expect(record.summary).toMatchObject({ failed: 0 });
    expect(record.summary.passed).toBeGreaterThan(0);
    expect(existsSync(join(out, 'update.patch'))).toBe(false);
    expect(readFileSync(jobs[job]!.env.GITHUB_STEP_SUMMARY!, 'utf8')).toContain('### Kubernetes 1.36 (node image from kind.matrix), shard 1/1');
    // The pinned legs made their clusters from the lab's own image (none set: kind's default).
    for (const shard of [1, 2]) expect(calls(`verify-pinned-${shard}`).filter((c) => c.tool === 'kind' && c.argv[0] === 'create').every((c) => !c.argv.includes('--image'))).toBe(true);
  });

  it('opens the tracking issue, because a lab was held back, with the plan and both reports in its body', () => {
    expect(jobs.track!.statuses, logOf('track')).toEqual([0]);
    const gh = calls('track').filter((c) => c.tool === 'gh').map((c) => c.argv.slice(0, 2).join(' '));
    expect(gh).toEqual(['issue list', 'label create', 'issue create']);
    const body = readFileSync(join(jobs.track!.env.STANDIN_STATE!, 'gh-body-1.md'), 'utf8');
    expect(body).toMatch(/^Nightly run \d{4}-\d\d-\d\d: https:\/\/github\.com\/example\/labs\/actions\/runs\/7 \(plan: success, verify jobs: success, labs not verified: 1\)/);
    expect(body).toContain('- mesh-kind (content/labs/mesh-kind): linkerd edge-26.9.3 has no pinned sha256 in tools.json');
    expect(body).toContain('## drift-pinned-1');
    expect(body).toContain('## drift-pinned-2');
    expect(body).toContain('## drift-k8s-1.36-1');
  });

  it('proposes no pull request on a night whose pinned run matched the pages (the held lab is the issue\'s business)', () => {
    expect(jobs['update-pr']!.statuses, logOf('update-pr')).toEqual([0]);
    expect(calls('update-pr').map((c) => c.argv.slice(0, 2).join(' '))).toEqual(['pr list']);
    expect(logOf('update-pr')).toContain('drift-pr: the pinned run is clean; no update to propose.');
  });

  describe('three nights on one repository: drift, drift again, clean', () => {
    const ghCalls = (job: string) => calls(job).filter((c) => c.tool === 'gh').map((c) => c.argv.slice(0, 2).join(' '));
    const bodies = () =>
      execFileSync('ls', [join(work, 'github')], { encoding: 'utf8' })
        .split('\n')
        .filter((f) => f.startsWith('gh-body-'))
        .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
        .map((f) => readFileSync(join(work, 'github', f), 'utf8'));
    const branch = (file: string) => execFileSync('git', ['--git-dir', remote(), 'show', `lab-drift/update:${file}`], { encoding: 'utf8' });
    const branchLog = () => execFileSync('git', ['--git-dir', remote(), 'log', '--format=%s', 'lab-drift/update'], { encoding: 'utf8' }).trim().split('\n');

    it('the first drifting night opens one issue and one pull request whose branch holds the update', () => {
      expect(jobs['n2-verify-pinned-1']!.statuses.concat(jobs['n2-verify-pinned-2']!.statuses), logOf('n2-verify-pinned-1')).toContain(1);
      expect(ghCalls('n2-track'), logOf('n2-track')).toEqual(['issue list', 'label create', 'issue create']);
      expect(jobs['n2-update-pr']!.statuses, logOf('n2-update-pr')).toEqual([0, 0]);
      const pr = calls('n2-update-pr').filter((c) => c.tool === 'gh');
      expect(pr.map((c) => c.argv.slice(0, 2).join(' '))).toEqual(['pr list', 'pr create']);
      expect(pr[1]!.argv).toEqual(expect.arrayContaining(['--head', 'lab-drift/update', '--base', 'main']));
      expect(pr[1]!.argv[pr[1]!.argv.indexOf('--title') + 1]).toMatch(/^Lab drift: update the pages to the pinned run of \d{4}-\d\d-\d\d$/);
      // The page as it was on main said kind-old; the branch says what the cluster said.
      expect(branch('content/labs/alpha-kind/01-context.mdx')).toContain('\nkind-kind\n');
      expect(branch('content/labs/alpha-kind/01-context.mdx')).not.toContain('kind-old');
      expect(branchLog()).toEqual([expect.stringMatching(/^Lab drift: update the pages/), 'fixture']);
      const body = bodies().find((b) => b.startsWith('The nightly drift run'))!;
      expect(body).toContain('- `content/labs/alpha-kind/01-context.mdx`');
      expect(body).toContain('- `content/labs/alpha-kind/01-context.mdx:5` (alpha-kind, block `01-context-1`): drifted: output of `kubectl config current-context` drifted');
      expect(body).toMatch(/\| alpha-kind \| [^|]*kind v0\.33\.0/);
      expect(body).toContain('Read the prose around each changed output');
      expect(body).toContain('### drift-pinned-1');
      expect(body).toContain('https://github.com/example/labs/actions/runs/7');
    });

    it('the second drifting night updates both, force-pushing the branch, and opens nothing new', () => {
      expect(ghCalls('n3-track'), logOf('n3-track')).toEqual(['issue list', 'issue edit', 'issue comment']);
      expect(ghCalls('n3-update-pr'), logOf('n3-update-pr')).toEqual(['pr list', 'pr edit', 'pr comment']);
      expect(calls('n3-update-pr').find((c) => c.argv[1] === 'edit')!.argv.slice(0, 3)).toEqual(['pr', 'edit', '100']);
      // Force-pushed: one update commit on top of main, not a second one on top of the first.
      expect(branchLog()).toEqual([expect.stringMatching(/^Lab drift: update the pages/), 'fixture']);
    });

    it('the clean night closes both and pushes nothing', () => {
      expect(jobs['n4-verify-pinned-1']!.statuses.concat(jobs['n4-verify-pinned-2']!.statuses)).toEqual([0, 0, 0, 0]);
      expect(ghCalls('n4-track'), logOf('n4-track')).toEqual(['issue list', 'issue comment', 'issue close']);
      expect(ghCalls('n4-update-pr'), logOf('n4-update-pr')).toEqual(['pr list', 'pr close']);
      expect(calls('n4-update-pr').find((c) => c.argv[1] === 'close')!.argv.slice(0, 3)).toEqual(['pr', 'close', '100']);
      expect(existsSync(join(work, 'github/gh-open-issue'))).toBe(false);
      expect(calls('n4-update-pr').filter((c) => c.tool === 'git')).toEqual([]);
    });

    it('adds each night to the history branch, one commit and one line per night, that draws the strips', () => {
      for (const n of ['n2', 'n3', 'n4']) expect(jobs[`${n}-update-pr`]!.statuses, logOf(`${n}-update-pr`)).toEqual([0, 0]);
      expect(logOf('n2-update-pr')).toContain('drift-history: lab-drift/history does not exist yet; starting it');
      const log = execFileSync('git', ['--git-dir', remote(), 'log', '--format=%b', 'lab-drift/history'], { encoding: 'utf8' });
      expect(log.match(/actions\/runs\/\d/g)).toEqual(['actions/runs/4', 'actions/runs/3', 'actions/runs/2']);
      const { nights, problems } = parseHistory(execFileSync('git', ['--git-dir', remote(), 'show', 'lab-drift/history:history.jsonl'], { encoding: 'utf8' }));
      expect(problems).toEqual([]);
      expect(nights.map((n) => n.run)).toEqual(['2', '3', '4'].map((r) => `https://github.com/example/labs/actions/runs/${r}`));
      const alpha = buildStrips(nights).find((l) => l.lab === 'alpha-kind')!;
      expect(alpha.cells).toEqual(['drift', 'drift', 'pass']);
      expect(buildStrips(nights).find((l) => l.lab === 'beta-kind')!.cells).toEqual(['pass', 'pass', 'pass']);
    });
  });
});
