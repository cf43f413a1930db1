import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** One live process as seen in /proc. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Session id (the `setsid` group a process belongs to). */
  sid: number;
  /** Executable name as the kernel shows it (truncated to 15 characters). */
  comm: string;
  /** Kernel state letter: R, S, D, Z (zombie), T, … */
  state: string;
  /** When it started, in clock ticks since boot (see {@link readStartTime}). */
  startTime: number;
}

/** Environment variable every process a target starts carries, so teardown also finds processes that escaped their group (daemons). */
export const SESSION_TAG_VAR = 'LABS_SESSION';

/**
 * Lists every process on the machine by reading /proc (Linux only). Zombies are left out: they
 * are already dead and only wait for their parent to reap them.
 */
export function listProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcess(Number(name));
    if (info && info.state !== 'Z' && info.state !== 'X') out.push(info);
  }
  return out;
}

/** Reads /proc/PID/stat; undefined when the process is gone. */
export function readProcess(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm sits in parentheses and may itself contain spaces or ')', so split at the last ')'.
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  return {
    pid,
    comm: stat.slice(open + 1, close),
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    startTime: Number(fields[19]),
  };
}

/**
 * When a process started, in clock ticks since boot (field 22 of /proc/PID/stat): with the pid,
 * it names one process for good, since pids are reused. Undefined when the process is gone.
 */
export function readStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether a process exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  const info = readProcess(pid);
  return info !== undefined && info.state !== 'Z' && info.state !== 'X';
}

/** Every descendant of `pid` (children, grandchildren, …), not including `pid` itself. */
export function listDescendants(pid: number, processes: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of processes) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const out: ProcessInfo[] = [];
  const queue = [pid];
  const seen = new Set<number>([pid]);
  while (queue.length > 0) {
    const next = queue.shift()!;
    for (const child of children.get(next) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** Processes whose process group is `pgid`. */
export function listGroupMembers(pgid: number, processes: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  return processes.filter((p) => p.pgid === pgid);
}

/** Reads one variable from /proc/PID/environ (the environment the process was started with). */
export function readProcessEnv(pid: number, name: string): string | undefined {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return undefined;
  }
  const prefix = `${name}=`;
  for (const entry of raw.split('\0')) {
    if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  }
  return undefined;
}

/** Options of {@link findTaggedProcesses}. */
export interface FindTaggedOptions {
  /** Match every value that starts with the tag. @default false */
  prefix?: boolean;
  /**
   * Only look at processes that started at or after this time (clock ticks since boot). A tag
   * this process made is carried only by processes started after it, so {@link ownStartTime}
   * spares reading the environment of every older process on the machine. @default all processes
   */
  startedSince?: number;
  /** A snapshot from {@link listProcesses} to search instead of taking a new one. */
  processes?: ProcessInfo[];
}

/**
 * Processes started with `SESSION_TAG_VAR` set to `tag` (or, with `prefix: true`, to a value that
 * starts with `tag`). Finds daemons that left their process group and were re-parented to init.
 */
export function findTaggedProcesses(tag: string, options: FindTaggedOptions = {}): ProcessInfo[] {
  const since = options.startedSince;
  return (options.processes ?? listProcesses()).filter((p) => {
    if (p.pid === process.pid) return false;
    if (since !== undefined && !(p.startTime >= since)) return false;
    const value = readProcessEnv(p.pid, SESSION_TAG_VAR);
    if (value === undefined) return false;
    return options.prefix ? value.startsWith(tag) : value === tag;
  });
}

/**
 * Sends `signal` to every process of group `pgid`. Refuses groups that would hit this process or
 * the whole machine (pgid ≤ 1, our own group). Returns false when the group no longer exists.
 */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1 || pgid === ownProcessGroup()) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to one process; false when it is gone. Never signals this process or pid ≤ 1. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Everything that belongs to a process tree rooted at `pid`: its group, its descendants and their
 * groups. Taken as a snapshot, so call it *before* killing (killed parents orphan their children).
 */
export function collectTree(pid: number, processes: ProcessInfo[] = listProcesses()): { pids: Set<number>; pgids: Set<number> } {
  const pids = new Set<number>();
  const pgids = new Set<number>();
  const root = processes.find((p) => p.pid === pid);
  if (root) {
    pids.add(root.pid);
    pgids.add(root.pgid);
  }
  for (const p of listDescendants(pid, processes)) {
    pids.add(p.pid);
    pgids.add(p.pgid);
  }
  for (const p of processes) if (pgids.has(p.pgid)) pids.add(p.pid);
  return { pids, pgids };
}

/**
 * `collectTree` of a process group leader (the shell or terminal program of a session), with the
 * leader's own group first; empty sets without a pid (no shell running).
 */
export function collectLeaderTree(pid: number | undefined, processes?: ProcessInfo[]): { pids: Set<number>; pgids: Set<number> } {
  const pgids = new Set<number>();
  const pids = new Set<number>();
  if (pid) {
    const tree = collectTree(pid, processes);
    pgids.add(pid);
    for (const g of tree.pgids) pgids.add(g);
    for (const p of tree.pids) pids.add(p);
  }
  return { pids, pgids };
}

/** What to kill: process groups and single processes. */
export interface KillSet {
  pgids: Iterable<number>;
  pids?: Iterable<number>;
}

/** Sends SIGKILL to every group and process of `set` at once (synchronous: usable while exiting). */
export function killNow(set: KillSet): void {
  const own = ownProcessGroup();
  for (const g of set.pgids) if (g !== own) signalProcessGroup(g, 'SIGKILL');
  for (const p of set.pids ?? []) signalProcess(p, 'SIGKILL');
}

/**
 * Stops groups and processes politely: SIGTERM, then SIGKILL to whatever is still alive after
 * `graceMs`. Resolves once nothing of `set` is left (or after a last SIGKILL).
 */
export async function terminate(set: KillSet, graceMs = 1000): Promise<void> {
  const own = ownProcessGroup();
  const pgids = [...set.pgids].filter((g) => g > 1 && g !== own);
  const pids = [...(set.pids ?? [])].filter((p) => p > 1 && p !== process.pid);
  if (pgids.length === 0 && pids.length === 0) return;
  // Usually all of it is gone already (a shell that exited): asking the kernel about each group
  // and process is cheaper than reading every process on the machine.
  if (!pgids.some((g) => exists(-g)) && !pids.some((p) => exists(p))) return;
  for (const g of pgids) signalProcessGroup(g, 'SIGTERM');
  for (const p of pids) signalProcess(p, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!anyAlive(pgids, pids)) return;
    await sleep(20);
  }
  killNow({ pgids, pids });
  // SIGKILL is not instant; wait briefly so callers can rely on "gone" when this resolves.
  const hardDeadline = Date.now() + 2000;
  while (Date.now() < hardDeadline && anyAlive(pgids, pids)) await sleep(10);
}

/**
 * Whether a process (`id` > 0) or a process group (`-pgid`) exists, zombies included: signal 0
 * checks without sending anything; EPERM means it exists but belongs to someone else.
 */
function exists(id: number): boolean {
  try {
    process.kill(id, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function anyAlive(pgids: number[], pids: number[]): boolean {
  const live = listProcesses();
  const groups = new Set(pgids);
  const single = new Set(pids);
  return live.some((p) => groups.has(p.pgid) || single.has(p.pid));
}

let cachedOwnStart: number | undefined;
/**
 * When this process started (clock ticks since boot; 0 when unknown, which excludes nothing):
 * every process carrying a tag it made started at or after it.
 */
export function ownStartTime(): number {
  cachedOwnStart ??= Number(readStartTime(process.pid)) || 0;
  return cachedOwnStart;
}

let cachedOwnGroup: number | undefined;
function ownProcessGroup(): number {
  cachedOwnGroup ??= readProcess(process.pid)?.pgid ?? -1;
  return cachedOwnGroup;
}
