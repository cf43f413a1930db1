import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockDir } from '../run/lab-lock.ts';
import { isProcessAlive, readStartTime } from '../run/process-group.ts';

/**
 * What a live-state daemon (`labs verify --keep` on a local lab) writes into its state folder
 * once it listens: enough for `labs run`, `labs stop` and `--watch` to find it and to tell a
 * live daemon from one that died.
 */
export interface LiveState {
  labId: string;
  /** Absolute path of the lab folder the daemon runs. */
  labDir: string;
  pid: number;
  /** Start time of `pid` in clock ticks since boot: a reused pid is not the daemon. */
  startTime: string;
  /** The unix socket it listens on. */
  socket: string;
  /** The lab's work folder (every session's starting folder). */
  workDir: string;
  /** ISO time the daemon started. */
  startedAt: string;
}

/** The state folder of a lab's daemon: `<lock folder>/<lab-id>.live/`, next to the lab's lock file. */
export function liveDir(labId: string, locks: string = lockDir()): string {
  return join(locks, `${labId.replace(/[^\w.-]/g, '_')}.live`);
}

export const STATE_FILE = 'state.json';
export const SOCKET_FILE = 'daemon.sock';
export const LOG_FILE = 'daemon.log';

/** Reads a lab's daemon state; undefined when there is none (or it is unreadable). */
export function readLiveState(labId: string, locks?: string): LiveState | undefined {
  try {
    const s = JSON.parse(readFileSync(join(liveDir(labId, locks), STATE_FILE), 'utf8')) as LiveState;
    return typeof s.pid === 'number' && typeof s.socket === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the daemon of a state is still running (same pid, same start time). */
export function isDaemonAlive(s: Pick<LiveState, 'pid' | 'startTime'>): boolean {
  if (!isProcessAlive(s.pid)) return false;
  return !s.startTime || readStartTime(s.pid) === s.startTime;
}

/** Labs that have a state folder in the lock folder (live or left by a daemon that died). */
export function listLiveLabs(locks: string = lockDir()): string[] {
  try {
    return readdirSync(locks, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name.endsWith('.live'))
      .map((e) => e.name.slice(0, -'.live'.length))
      .sort();
  } catch {
    return [];
  }
}
