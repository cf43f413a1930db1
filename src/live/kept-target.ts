import type { RunEvents } from '../run/events.ts';
import type { BackgroundHandle, CommandOutcome, RunCommandOptions, Session, SessionSpec, Target } from '../run/targets/types.ts';

/** A target whose sessions outlive the runs made with it, until {@link KeptTarget.shutdown}. */
export interface KeptTarget extends Target {
  /**
   * Wraps the events of one run: when a step starts, background commands that another step
   * started (and whose step has ended) are stopped for real, as they would be in a full run.
   */
  wrapEvents(events: RunEvents): RunEvents;
  /** While this signal is aborted, closing a session really closes it (so Ctrl-C kills what runs). */
  setSignal(signal: AbortSignal | undefined): void;
  /** Names of the sessions kept open. */
  readonly kept: readonly string[];
  /** Number of background commands still running. */
  readonly backgrounds: number;
  /** Stops every background command and closes every kept session (the real target is left to its owner). */
  shutdown(): Promise<void>;
}

interface KeptJob {
  real: BackgroundHandle;
  session: string;
  command: string;
  /** Step file whose run started it. */
  step?: string;
  /** The runner asked to stop it (its step ended); it keeps running until another step starts. */
  ended: boolean;
}

/**
 * Keeps the sessions of `inner` alive between runs, for live state (`labs verify --keep`, then
 * `labs run`): a session the runner closes stays open, and the next run that asks for a session
 * of the same name gets it back with its folder, variables and processes. Interactive programs
 * (`opens=`) are closed for real: the runner cannot hand one back to a later run. Background
 * commands stay up after their step while no other step runs; starting the same command again
 * in the same session replaces the old one (so a re-run server does not find its port taken).
 */
export function keepSessions(inner: Target): KeptTarget {
  const pool = new Map<string, Session>();
  const jobs = new Set<KeptJob>();
  let signal: AbortSignal | undefined;
  let currentStep: string | undefined;

  const stopJob = async (j: KeptJob) => {
    jobs.delete(j);
    await j.real.stop().catch(() => {});
  };

  const wrap = (real: Session, interactive: boolean): Session => ({
    name: real.name,
    get alive() {
      return real.alive;
    },
    run: (command: string, opts: RunCommandOptions): Promise<CommandOutcome> => real.run(command, opts),
    writeFile: (relPath: string, content: string) => real.writeFile(relPath, content),
    async startBackground(command: string): Promise<BackgroundHandle> {
      for (const j of [...jobs]) if (j.session === real.name && j.command === command) await stopJob(j);
      const started = await real.startBackground(command);
      const job: KeptJob = { real: started, session: real.name, command, step: currentStep, ended: false };
      jobs.add(job);
      return {
        pid: started.pid,
        output: () => started.output(),
        async stop() {
          job.ended = true;
          if (signal?.aborted) await stopJob(job);
        },
      };
    },
    async close() {
      if (interactive || signal?.aborted || !real.alive) {
        if (pool.get(real.name) === real) pool.delete(real.name);
        await real.close();
      }
    },
  });

  return {
    name: inner.name,
    tag: inner.tag,
    tempDirs: inner.tempDirs,
    get kept() {
      return [...pool].filter(([, s]) => s.alive).map(([n]) => n);
    },
    get backgrounds() {
      return jobs.size;
    },
    async openSession(spec: SessionSpec): Promise<Session> {
      const open = pool.get(spec.name);
      if (open?.alive) return wrap(open, false);
      const real = await inner.openSession(spec);
      pool.set(spec.name, real);
      return wrap(real, false);
    },
    async openInteractive(from: Session, command: string, spec: SessionSpec, opts: RunCommandOptions) {
      const real = pool.get(from.name);
      if (!real) throw new Error(`session "${from.name}" is not open`);
      const opened = await inner.openInteractive(real, command, spec, opts);
      return { session: wrap(opened.session, true), outcome: opened.outcome };
    },
    async dispose() {
      // A run ending does not end live state; shutdown() does.
    },
    setSignal(s) {
      signal = s;
    },
    wrapEvents(events: RunEvents): RunEvents {
      return {
        ...events,
        stepStart(step) {
          currentStep = step.absPath;
          for (const j of [...jobs]) if (j.ended && j.step !== step.absPath) void stopJob(j);
          events.stepStart?.(step);
        },
        phase(label) {
          // A kept session is not opened again: saying so would mislead.
          const m = /^opening session (\S+)/.exec(label);
          if (m && pool.get(m[1]!)?.alive) return;
          events.phase?.(label);
        },
      };
    },
    async shutdown() {
      await Promise.allSettled([...jobs].map(stopJob));
      const open = [...pool.values()];
      pool.clear();
      await Promise.allSettled(open.map((s) => s.close()));
    },
  };
}
