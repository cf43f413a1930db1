import { readFile, rm } from 'node:fs/promises';
import type { Block } from '../model/block.ts';
import type { Lab } from '../model/lab.ts';
import { livePath, type LiveRun } from '../model/live.ts';
import type { BlockResult } from '../model/result.ts';
import type { RunEvents } from '../run/events.ts';
import { writeFileAtomic } from './records.ts';

/** A run's live file, kept up to date from the run's events. */
export interface LiveWriter {
  /** Events to pass to the run (with the console view, see `combineEvents`). */
  events: RunEvents;
  /** Writes the state as of now if it is not written yet; resolves once it has landed (or failed). */
  flushed(): Promise<void>;
  /** Waits for the last write, then deletes the file: call it once the record is written, and on any way out. */
  close(): Promise<void>;
}

/** Options of createLiveWriter. */
export interface LiveWriterOptions {
  /** Steps the run checks (absolute paths), as `runLab`'s `onlySteps`. @default every step */
  onlySteps?: ReadonlySet<string>;
  /** @default process.pid */
  pid?: number;
  /** @default () => new Date() */
  now?: () => Date;
}

/**
 * Writes `<records folder>/.live/<lab-id>.json` as a run goes (see `LiveRun`), so `npm run dev`
 * can show which blocks are being verified. Writes are atomic and in order; a write that fails is
 * dropped (the run matters, its progress file does not).
 */
export function createLiveWriter(recordsDir: string, lab: Lab, options: LiveWriterOptions = {}): LiveWriter {
  const file = livePath(recordsDir, lab.id);
  const now = options.now ?? (() => new Date());
  const steps = options.onlySteps ? lab.steps.filter((s) => options.onlySteps!.has(s.absPath)) : lab.steps;
  const startedAt = now().toISOString();
  const run: LiveRun = { version: 1, lab: lab.id, pid: options.pid ?? process.pid, startedAt, updatedAt: startedAt, blocks: steps.flatMap((s) => s.blocks.map((b) => b.id)), done: {} };
  let closed = false;
  // Events come much faster than a file can be rewritten (a block of `echo` takes well under a
  // millisecond, and the file lists every block of the run): the file is rewritten at most every
  // LIVE_INTERVAL_MS, each time with the state as of then, and never by two writes at once.
  let dirty = false;
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastStart = -Infinity;
  const start = () => {
    timer = undefined;
    dirty = false;
    lastStart = process.uptime() * 1000; // monotonic, without loading Node's performance-timing modules
    run.updatedAt = now().toISOString();
    const text = JSON.stringify(run) + '\n';
    writing = writeFileAtomic(file, text)
      .catch(() => {})
      .then(() => {
        writing = undefined;
        if (dirty && !closed) schedule();
      });
  };
  const schedule = () => {
    if (writing || timer) return; // the write in flight, or the one waiting, picks the change up
    const wait = lastStart + LIVE_INTERVAL_MS - process.uptime() * 1000;
    if (wait <= 0) start();
    else {
      timer = setTimeout(start, wait);
      timer.unref();
    }
  };
  const write = () => {
    if (closed) return;
    dirty = true;
    schedule();
  };
  const events: RunEvents = {
    labStart: () => write(),
    phase: (label: string) => {
      run.phase = label;
      delete run.current;
      write();
    },
    blockStart: (block: Block) => {
      run.current = block.id;
      delete run.phase;
      write();
    },
    blockEnd: (block: Block, result: BlockResult) => {
      run.done[block.id] = result.status;
      if (run.current === block.id) delete run.current;
      write();
    },
  };
  return {
    events,
    async flushed() {
      while (writing || timer || (dirty && !closed)) {
        if (timer) {
          clearTimeout(timer);
          start();
        } else if (!writing) start();
        await writing;
      }
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await writing;
      await rm(file, { force: true }).catch(() => {});
    },
  };
}

/** The shortest time between two rewrites of a live file. */
const LIVE_INTERVAL_MS = 100;

const EVENT_NAMES = ['labStart', 'phase', 'progress', 'stepStart', 'blockStart', 'retry', 'blockEnd', 'labEnd'] as const satisfies readonly (keyof RunEvents)[];

/** Passes every run event to each of `targets` in turn (other methods, such as a view's `close`, are not events). */
export function combineEvents(...targets: RunEvents[]): RunEvents {
  const combined: RunEvents = {};
  for (const name of EVENT_NAMES) {
    if (!targets.some((t) => typeof t[name] === 'function')) continue;
    (combined as Record<string, (...args: unknown[]) => void>)[name] = (...args: unknown[]) => {
      for (const t of targets) (t[name] as ((...a: unknown[]) => void) | undefined)?.apply(t, args);
    };
  }
  return combined;
}

/**
 * Reads a lab's live file; undefined when there is none, it is unreadable, or the process that
 * wrote it is gone (a run killed with SIGKILL leaves its file behind: it must not show forever).
 */
export async function readLiveRun(recordsDir: string, labId: string, isAlive: (pid: number) => boolean = processIsAlive): Promise<LiveRun | undefined> {
  try {
    const data = JSON.parse(await readFile(livePath(recordsDir, labId), 'utf8')) as LiveRun;
    if (!data || data.version !== 1 || data.lab !== labId || !Array.isArray(data.blocks) || typeof data.done !== 'object' || !Number.isInteger(data.pid)) return undefined;
    return isAlive(data.pid) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process exists (one of another user counts: signalling it is refused, not unknown). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
