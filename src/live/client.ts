import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lab } from '../model/lab.ts';
import { loadLab } from '../parse/load-lab.ts';
import { createIsolatedLocalTarget } from '../run/kubeconfig.ts';
import { acquireLabLock } from '../run/lab-lock.ts';
import { reclaimDeadRun } from '../run/reclaim.ts';
import type { DaemonHello } from './daemon.ts';
import { sendRequest } from './protocol.ts';
import { isDaemonAlive, liveDir, readLiveState, type LiveState } from './state.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isProcessAlive } from '../run/process-group.ts';

const DAEMON_MAIN = join(import.meta.dirname, 'daemon-main.ts');

/** The live state of a lab when its daemon is running; undefined otherwise. */
export function findLive(labId: string): LiveState | undefined {
  const s = readLiveState(labId);
  return s && isDaemonAlive(s) ? s : undefined;
}

/** The live state of this lab folder (not of another folder with the same lab id). */
export function findLiveOf(lab: { id: string; dir: string }): LiveState | undefined {
  const s = findLive(lab.id);
  return s && resolve(s.labDir) === resolve(lab.dir) ? s : undefined;
}

/**
 * Starts the live-state daemon of a local lab in its own detached process and waits until it
 * listens (or says why it cannot: bad lab, lab busy).
 */
export function startDaemon(labDir: string, cwd: string): Promise<{ state: LiveState } | { error: string; status: number }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [...process.execArgv, DAEMON_MAIN, labDir, cwd], {
      cwd,
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: process.env,
    });
    let settled = false;
    const settle = (v: { state: LiveState } | { error: string; status: number }) => {
      if (settled) return;
      settled = true;
      if (child.connected) child.disconnect();
      child.unref();
      resolvePromise(v);
    };
    child.on('message', (m: DaemonHello) => settle('ready' in m ? { state: m.ready } : m));
    child.on('error', (e) => settle({ error: `could not start the live-state daemon: ${e.message}`, status: 2 }));
    child.on('exit', (code, signal) => settle({ error: `the live-state daemon ended before it was ready (${signal ?? `exit ${code}`})`, status: 2 }));
  });
}

/** What `labs stop` did for one lab. */
export type StopOutcome = 'stopped' | 'reclaimed' | 'none' | { busy: string };

/**
 * Ends a lab's live state: asks its daemon to stop (teardown, processes, work folder, lock,
 * socket) and waits until the process is gone; when the daemon died, cleans up after it the
 * way a run that finds a dead lock does. Idempotent: `none` when there is nothing to stop.
 */
export async function stopLive(labId: string, out: (s: string) => void, o: { color?: boolean; labDir?: string } = {}): Promise<StopOutcome> {
  const state = readLiveState(labId);
  if (state && isDaemonAlive(state)) {
    try {
      const r = await sendRequest(state.socket, { op: 'stop', color: o.color === true }, { onOutput: out });
      if (r.message) out(r.message + '\n');
    } catch {
      // It went away while we asked: what it left is cleaned up below.
    }
    for (let i = 0; i < 200 && isDaemonAlive(state); i++) await sleep(50);
    if (isDaemonAlive(state)) {
      process.kill(state.pid, 'SIGKILL');
      for (let i = 0; i < 40 && isProcessAlive(state.pid); i++) await sleep(50);
    } else if (!readLiveState(labId)) {
      return 'stopped';
    }
  }
  // No daemon (or one that did not end): take its lock and clean up after it.
  const got = acquireLabLock(labId, { command: `labs stop ${labId}` });
  if ('busy' in got) {
    const h = got.busy;
    return { busy: `${labId} is held by another run (pid ${h.pid}, started ${h.startedAt}); it is not live state, so labs stop leaves it alone` };
  }
  const { lock } = got;
  try {
    if (!lock.deadRun) {
      await rm(liveDir(labId), { recursive: true, force: true });
      return state ? 'reclaimed' : 'none';
    }
    const labDir = state?.labDir ?? o.labDir;
    const loaded = labDir ? await loadLab(labDir) : { lab: undefined };
    // Without its lab, the dead run's processes and folders still go; only its teardown cannot run.
    const lab: Lab = loaded.lab ?? { id: labId, dir: '', configFile: '', config: { title: labId, target: 'local' } as Lab['config'], steps: [] };
    const target = createIsolatedLocalTarget();
    const workDir = await mkdtemp(join(tmpdir(), `labs-${labId}-`));
    try {
      if (!loaded.lab) out(`  the lab folder of ${labId} is not known: its teardown could not run (run it by hand)\n`);
      const done = await reclaimDeadRun(lab, lock.deadRun, target, workDir);
      if (done.killed > 0) out(`  stopped ${done.killed} process${done.killed === 1 ? '' : 'es'} it left running\n`);
      for (const f of done.teardownFailures) out(`  ! teardown: ${f}\n`);
    } finally {
      await target.dispose();
      await rm(workDir, { recursive: true, force: true });
    }
    await rm(liveDir(labId), { recursive: true, force: true });
    return 'reclaimed';
  } finally {
    lock.release();
  }
}
