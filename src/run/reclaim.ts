import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { DEFAULT_HOST_PROMPT, HOST_SESSION, type Lab } from '../model/lab.ts';
import { normaliseOutput } from '../normalise/normalise.ts';
import { lockDir, type LockHolder } from './lab-lock.ts';
import { findTaggedProcesses, terminate } from './process-group.ts';
import type { Target } from './targets/types.ts';

/** What cleaning up after a dead run did, for the console. */
export interface ReclaimOutcome {
  /** Processes of the dead run that were still alive and were stopped. */
  killed: number;
  /** Temporary folders removed. */
  removed: string[];
  /** Teardown commands that failed (the run goes on: a teardown of nothing often fails). */
  teardownFailures: string[];
}

/**
 * Cleans up after a run of `lab` that died holding its lock (SIGKILL, power loss), before this
 * run starts: stops the processes it left (they carry its session tags), runs the lab's
 * teardown in a fresh host session of `target`, and removes its temporary folders.
 */
export async function reclaimDeadRun(lab: Lab, dead: LockHolder, target: Target, workDir: string, timeoutMs = 120_000): Promise<ReclaimOutcome> {
  const outcome: ReclaimOutcome = { killed: 0, removed: [], teardownFailures: [] };
  for (const tag of dead.tags) {
    const left = findTaggedProcesses(tag, { prefix: true });
    outcome.killed += left.length;
    await terminate({ pgids: left.map((p) => p.pgid), pids: left.map((p) => p.pid) }, 500);
  }
  const teardown = lab.config.teardown ?? [];
  if (teardown.length > 0) {
    const host = lab.config.sessions?.[HOST_SESSION];
    const session = await target.openSession({ name: HOST_SESSION, cwd: workDir, env: host?.env ?? {}, prompt: host?.prompt ?? DEFAULT_HOST_PROMPT });
    try {
      for (const command of teardown) {
        const o = await session.run(command, { timeoutMs });
        if (o.timedOut || o.exitCode !== 0) {
          const said = normaliseOutput(o.output).slice(-3).join(' / ');
          outcome.teardownFailures.push(`\`${command.split('\n')[0]}\` ${o.timedOut ? 'timed out' : `exited ${o.exitCode}`}${said ? `: ${said}` : ''}`);
        }
      }
    } finally {
      await session.close();
    }
  }
  for (const dir of dead.tempDirs) {
    if (!isReclaimable(dir)) continue;
    await rm(dir, { recursive: true, force: true });
    outcome.removed.push(dir);
  }
  // A live-state daemon that died leaves its socket and state file: they go with it.
  if (dead.live && isLiveStateDir(dead.live)) {
    await rm(dead.live, { recursive: true, force: true });
    outcome.removed.push(dead.live);
  }
  return outcome;
}

/** Only a daemon's own state folder: `<lab>.live` directly in the lock folder. */
export function isLiveStateDir(dir: string): boolean {
  const abs = resolve(dir);
  return dirname(abs) === resolve(lockDir()) && /^[\w.-]+\.live$/.test(basename(abs));
}

/** Only folders a run makes itself: `labs-*` directly in the temp folder. Anything else in a lock file is ignored. */
export function isReclaimable(dir: string): boolean {
  const abs = resolve(dir);
  return dirname(abs) === resolve(tmpdir()) && /^labs-[\w.-]+$/.test(basename(abs));
}
