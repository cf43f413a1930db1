import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Block, Step } from '../model/block.ts';
import { DEFAULT_HOST_PROMPT, HOST_SESSION, type Lab } from '../model/lab.ts';
import type { BlockResult, RunEnvironment } from '../model/result.ts';
import { normaliseOutput } from '../normalise/normalise.ts';
import type { LabRunResult } from '../report/types.ts';
import { describeLocalEnvironment } from '../run/environment.ts';
import type { RunEvents } from '../run/events.ts';
import { createIsolatedLocalTarget } from '../run/kubeconfig.ts';
import { acquireLabLock, type LabLock, type LockHolder } from '../run/lab-lock.ts';
import { reclaimDeadRun } from '../run/reclaim.ts';
import { runLab } from '../run/run-lab.ts';
import type { Target } from '../run/targets/types.ts';
import { keepSessions, type KeptTarget } from './kept-target.ts';
import { labOfBlocks, labUpTo } from './select-blocks.ts';

/** Options of {@link LiveLab.open}. */
export interface LiveLabOptions {
  /** Folder of lock files. @default lockDir() */
  lockDir?: string;
  /** Shown to a run that finds the lab busy. */
  command?: string;
  /** The daemon's state folder, noted in the lock so a run that finds the daemon dead removes it. */
  liveDir?: string;
  /** Where messages about cleaning up after a dead run go. */
  events?: RunEvents;
}

/** How one run against a {@link LiveLab} is watched and stopped. */
export interface LiveRunOptions {
  events?: RunEvents;
  signal?: AbortSignal;
}

/**
 * A local lab with its sessions held open between runs: the lock, the work folder, the
 * sessions (with their folders, variables and background commands) and the values bound so
 * far. `labs verify --keep` runs the whole lab in one, `labs run` then runs single blocks in
 * the same sessions, `labs stop` ends it (teardown, processes, work folder, lock).
 */
export class LiveLab {
  /** Example value → real value, from every run so far: later blocks type the real values. */
  readonly bindings: Record<string, string> = {};
  private stopped = false;
  /** The lab's teardown already ran (a one-shot run from scratch runs it itself). */
  private tornDown = false;

  readonly lab: Lab;
  readonly workDir: string;
  private readonly lock: LabLock;
  private readonly inner: Target;
  readonly kept: KeptTarget;
  readonly environment: RunEnvironment;

  private constructor(lab: Lab, workDir: string, lock: LabLock, inner: Target, kept: KeptTarget, environment: RunEnvironment) {
    this.lab = lab;
    this.workDir = workDir;
    this.lock = lock;
    this.inner = inner;
    this.kept = kept;
    this.environment = environment;
  }

  /** Takes the lab's lock (cleaning up after a dead run first), makes the work folder and the target. */
  static async open(lab: Lab, opts: LiveLabOptions = {}): Promise<{ live: LiveLab } | { busy: LockHolder }> {
    const got = acquireLabLock(lab.id, { dir: opts.lockDir, command: opts.command, live: opts.liveDir });
    if ('busy' in got) return got;
    const { lock } = got;
    let workDir: string | undefined;
    let inner: Target | undefined;
    try {
      workDir = await mkdtemp(join(tmpdir(), `labs-${lab.id}-`));
      lock.note({ tempDir: workDir });
      inner = createIsolatedLocalTarget();
      if (inner.tag) lock.note({ tag: inner.tag });
      for (const d of inner.tempDirs ?? []) lock.note({ tempDir: d });
      if (lock.deadRun) {
        const ev = opts.events ?? {};
        ev.phase?.(`an earlier run of ${lab.id} (pid ${lock.deadRun.pid}, started ${lock.deadRun.startedAt}) died without cleaning up: running its teardown first`);
        const done = await reclaimDeadRun(lab, lock.deadRun, inner, workDir);
        if (done.killed > 0) ev.progress?.(`stopped ${done.killed} process${done.killed === 1 ? '' : 'es'} it left running`);
        for (const f of done.teardownFailures) ev.progress?.(`teardown: ${f}`);
      }
      const environment = await describeLocalEnvironment(lab.config.requires ?? []);
      return { live: new LiveLab(lab, workDir, lock, inner, keepSessions(inner), environment) };
    } catch (e) {
      await inner?.dispose().catch(() => {});
      if (workDir) await rm(workDir, { recursive: true, force: true });
      lock.release();
      throw e;
    }
  }

  /** The whole lab (or its steps `onlySteps`, earlier ones replayed), leaving everything up. No teardown. */
  async verify(lab: Lab, onlySteps: ReadonlySet<string> | undefined, o: LiveRunOptions = {}): Promise<LabRunResult> {
    return this.runKept({ ...lab, config: { ...lab.config, teardown: [] } }, onlySteps, {}, o);
  }

  /** `blocks` (in run order) in the kept sessions, as they are now: no setup, no replay, no teardown. */
  async runLive(lab: Lab, blocks: readonly Block[], o: LiveRunOptions = {}): Promise<LabRunResult> {
    const only = labOfBlocks(lab, blocks, { setup: [], teardown: [], bindings: undefined });
    return this.runKept(only, undefined, { ...this.bindings }, o);
  }

  /**
   * `blocks` from scratch, once: setup, the steps before the first block replayed unrecorded,
   * the blocks of its step before it run first (not shown), then the blocks, then teardown.
   * The sessions are not kept (the run owns its target); call {@link stop} afterwards.
   */
  async runFresh(lab: Lab, blocks: readonly Block[], o: LiveRunOptions = {}): Promise<LabRunResult> {
    const first = blocks[0]!;
    const last = blocks.at(-1)!;
    const cut = labUpTo(lab, last);
    const firstStep = cut.steps.findIndex((s) => s.blocks.includes(first));
    const onlySteps = new Set(cut.steps.slice(firstStep).map((s) => s.absPath));
    const shown = new Set(blocks.map((b) => b.id));
    const ev = o.events ?? {};
    const hidden: BlockResult[] = [];
    const events: RunEvents = {
      ...ev,
      blockStart: (b) => (shown.has(b.id) ? ev.blockStart?.(b) : undefined),
      retry: (b, a, r) => (shown.has(b.id) ? ev.retry?.(b, a, r) : undefined),
      blockEnd: (b, r) => {
        if (shown.has(b.id)) return ev.blockEnd?.(b, r);
        hidden.push(r);
      },
      stepStart: (step: Step) => {
        ev.stepStart?.(step);
        const before = step.blocks.filter((b) => !shown.has(b.id) && step.blocks.indexOf(b) < step.blocks.findIndex((x) => shown.has(x.id)));
        if (before.length > 0) ev.progress?.(`running the ${before.length} block${before.length === 1 ? '' : 's'} of this step before ${first.id} first, not shown`);
      },
      labEnd: (run) => {
        const off = hidden.filter((r) => !['pass', 'flaky', 'skip'].includes(r.status));
        if (off.length > 0) ev.progress?.(`${off.length} of the blocks run first did not match (${off.map((r) => `${r.file}:${r.line}`).join(', ')}), so the state may differ from a full run`);
        ev.labEnd?.({ ...run, results: run.results.filter((r) => shown.has(r.id)) });
      },
    };
    this.tornDown = true; // runLab runs the teardown of a run it owns, also after a failure
    const run = await runLab(cut, { target: this.inner, workDir: this.workDir, environment: this.environment, onlySteps, events, signal: o.signal });
    return { ...run, results: run.results.filter((r) => shown.has(r.id)) };
  }

  private async runKept(lab: Lab, onlySteps: ReadonlySet<string> | undefined, initialBindings: Record<string, string>, o: LiveRunOptions): Promise<LabRunResult> {
    if (this.stopped) throw new Error(`the live state of ${this.lab.id} was stopped`);
    this.kept.setSignal(o.signal);
    try {
      const run = await runLab(lab, {
        target: this.kept,
        workDir: this.workDir,
        environment: this.environment,
        onlySteps,
        initialBindings,
        events: this.kept.wrapEvents(o.events ?? {}),
        signal: o.signal,
      });
      for (const r of run.results) Object.assign(this.bindings, r.bindings);
      return run;
    } finally {
      this.kept.setSignal(undefined);
    }
  }

  /**
   * Ends the live state: stops background commands and sessions, runs the lab's teardown in a
   * fresh host session, kills whatever is left, removes the work folder, releases the lock.
   * Idempotent. Returns the teardown failures (the rest still happens).
   */
  async stop(events: RunEvents = {}): Promise<string[]> {
    if (this.stopped) return [];
    this.stopped = true;
    const failures: string[] = [];
    try {
      await this.kept.shutdown();
      const teardown = this.tornDown ? [] : (this.lab.config.teardown ?? []);
      if (teardown.length > 0) {
        events.phase?.('teardown');
        try {
          const def = this.lab.config.sessions?.[HOST_SESSION];
          const host = await this.inner.openSession({ name: HOST_SESSION, cwd: this.workDir, root: this.workDir, env: def?.env ?? {}, prompt: def?.prompt ?? DEFAULT_HOST_PROMPT });
          try {
            for (const c of teardown) {
              const o = await host.run(c, { timeoutMs: 120_000 });
              if (o.timedOut || o.exitCode !== 0) {
                const said = normaliseOutput(o.output).slice(-3).join(' / ');
                failures.push(`teardown command \`${c.split('\n')[0]}\` ${o.timedOut ? 'timed out' : `exited ${o.exitCode}`}${said ? `: ${said}` : ''}`);
              }
            }
          } finally {
            await host.close();
          }
        } catch (e) {
          failures.push(`teardown could not run: ${(e as Error).message}`);
        }
      }
    } finally {
      await this.inner.dispose().catch(() => {});
      await rm(this.workDir, { recursive: true, force: true });
      this.lock.release();
    }
    return failures;
  }
}
