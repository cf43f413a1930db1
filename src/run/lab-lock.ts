import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, readStartTime } from './process-group.ts';

/** Who holds a lab's lock: enough to tell whether that run is still alive and what it left behind. */
export interface LockHolder {
  labId: string;
  pid: number;
  /** Start time of `pid` in clock ticks since boot: a reused pid is not the holder. */
  startTime: string;
  host: string;
  /** ISO time the run took the lock. */
  startedAt: string;
  /** The command line of the run, for the message a second run prints. */
  command: string;
  /** Temporary folders the run made (work folders); a run that takes over a dead lock removes them. */
  tempDirs: string[];
  /** `LABS_SESSION` tags of the run's targets: processes that outlived it carry one. */
  tags: string[];
  /**
   * Set when the holder is a live-state daemon (`labs verify --keep` on a local lab): its state
   * folder (socket, state file). A run that finds the daemon dead removes it with the rest.
   */
  live?: string;
}

/** A lab's lock, held for a whole run. */
export interface LabLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** The lock of a run that died holding it (SIGKILL, power loss): its teardown is still owed. */
  readonly deadRun?: LockHolder;
  /** Notes a temporary folder or a session tag of this run in the lock, for a later run to clean up after a crash. */
  note(what: { tempDir?: string; tag?: string }): void;
  /** Removes the lock. Idempotent and synchronous, so it is safe in an exit handler. */
  release(): void;
  /**
   * Gives up the lock but leaves the dead run's record in its place, when this run could not do
   * the clean-up it owed (its target did not start): the next run takes it over and tries again.
   */
  releaseOwingCleanup(): void;
}

/** Options of {@link acquireLabLock}. */
export interface LabLockOptions {
  /** Folder of lock files. @default $LABS_LOCK_DIR, else <tmpdir>/labs-locks */
  dir?: string;
  command?: string;
  /** The holder is a live-state daemon with this state folder (see {@link LockHolder.live}). */
  live?: string;
}

/** Folder of the lock files: shared by every run on this machine, since a lab's namespaces and clusters are too. */
export function lockDir(): string {
  return process.env.LABS_LOCK_DIR || join(tmpdir(), 'labs-locks');
}

/**
 * Takes the lock of lab `labId`, or says who holds it. A lock whose process is gone is taken
 * over and returned as `deadRun`, so the caller can run that lab's teardown first and remove
 * the dead run's temporary folders.
 */
export function acquireLabLock(labId: string, opts: LabLockOptions = {}): { lock: LabLock } | { busy: LockHolder } {
  const dir = opts.dir ?? lockDir();
  mkdirSync(dir, { recursive: true, mode: 0o1777 });
  const path = join(dir, `${labId.replace(/[^\w.-]/g, '_')}.lock`);
  const holder: LockHolder = {
    labId,
    pid: process.pid,
    startTime: readStartTime(process.pid) ?? '',
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: opts.command ?? process.argv.slice(1).join(' '),
    tempDirs: [],
    tags: [],
    ...(opts.live ? { live: opts.live } : {}),
  };
  let deadRun: LockHolder | undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    if (createExclusive(path, holder)) return { lock: makeLock(path, holder, deadRun) };
    const current = readHolder(path);
    if (current === 'gone') continue; // released between our two looks
    if (current !== 'unreadable' && isHolderAlive(current)) return { busy: current };
    // Dead (or not a lock at all): move it aside under a name only we use, then check that what
    // we moved is what we judged dead — another run may have taken over in between.
    const aside = `${path}.dead-${process.pid}-${attempt}`;
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    const moved = readHolder(aside);
    if (moved !== 'gone' && moved !== 'unreadable' && isHolderAlive(moved)) {
      try {
        linkSync(aside, path); // put the live run's lock back
      } catch {
        // a third run took the place meanwhile; the live run still owns its file
      }
      rmQuiet(aside);
      return { busy: moved };
    }
    if (moved !== 'gone' && moved !== 'unreadable') deadRun = mergeDead(deadRun, moved);
    rmQuiet(aside);
  }
  throw new Error(`could not take the lock ${path}: it keeps changing; is another labs run starting over and over?`);
}

/** Locks this process holds: released on exit too (a forced second Ctrl-C), so no lock outlives its run. */
const held = new Set<LabLock>();
let exitHook = false;

function makeLock(path: string, holder: LockHolder, deadRun: LockHolder | undefined): LabLock {
  let released = false;
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const l of held) l.release();
    });
  }
  const lock: LabLock = {
    path,
    holder,
    deadRun,
    note({ tempDir, tag }) {
      if (released) return;
      if (tempDir && !holder.tempDirs.includes(tempDir)) holder.tempDirs.push(tempDir);
      if (tag && !holder.tags.includes(tag)) holder.tags.push(tag);
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(holder));
      renameSync(tmp, path);
    },
    release() {
      if (released) return;
      released = true;
      held.delete(lock);
      const current = readHolder(path);
      if (typeof current === 'object' && current.pid === holder.pid && current.startTime === holder.startTime) rmQuiet(path);
    },
    releaseOwingCleanup() {
      if (released || !deadRun) return lock.release();
      released = true;
      held.delete(lock);
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...deadRun, tempDirs: [...new Set([...deadRun.tempDirs, ...holder.tempDirs])] }));
      renameSync(tmp, path);
    },
  };
  held.add(lock);
  return lock;
}

/** Creates `path` holding `holder` only if it does not exist; the content is complete the moment it appears. */
function createExclusive(path: string, holder: LockHolder): boolean {
  const tmp = `${path}.${process.pid}.new`;
  writeFileSync(tmp, JSON.stringify(holder));
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmQuiet(tmp);
  }
}

function readHolder(path: string): LockHolder | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    if (typeof h.pid !== 'number') return 'unreadable';
    return { ...h, tempDirs: Array.isArray(h.tempDirs) ? h.tempDirs : [], tags: Array.isArray(h.tags) ? h.tags : [] };
  } catch {
    return 'unreadable';
  }
}

/** Whether the run that holds a lock still runs: same pid, same start time, on this machine. */
export function isHolderAlive(h: LockHolder): boolean {
  if (h.host && h.host !== hostname()) return true; // another machine's run: never ours to judge
  if (!isProcessAlive(h.pid)) return false;
  return !h.startTime || readStartTime(h.pid) === h.startTime;
}

function mergeDead(a: LockHolder | undefined, b: LockHolder): LockHolder {
  if (!a) return b;
  return { ...b, tempDirs: [...new Set([...a.tempDirs, ...b.tempDirs])], tags: [...new Set([...a.tags, ...b.tags])], live: b.live ?? a.live };
}

function rmQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
