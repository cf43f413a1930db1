import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  collectTree,
  findTaggedProcesses,
  isProcessAlive,
  listDescendants,
  listGroupMembers,
  listProcesses,
  ownStartTime,
  readProcess,
  readStartTime,
  SESSION_TAG_VAR,
  signalProcessGroup,
  terminate,
} from '../../src/run/process-group.ts';
import { eventually, processesWithArg, uniqueMarker } from './helpers.ts';

let started: ChildProcess | undefined;
afterEach(async () => {
  // The setsid child left the group: take the whole tree (a no-op when the test already did).
  if (started?.pid) await terminate(collectTree(started.pid), 0);
  started = undefined;
});

/** A detached shell with two sleeping children, one of them in a new group (setsid). */
async function startTree(marker: string, tag = 'none'): Promise<ChildProcess> {
  started = spawn('bash', ['-c', `sleep ${marker} & setsid sleep ${marker} & wait`], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [SESSION_TAG_VAR]: tag },
  });
  await eventually(() => processesWithArg(marker), (p) => p.length === 2);
  return started;
}

describe('process-group', () => {
  it('reads a process from /proc', () => {
    const me = readProcess(process.pid);
    expect(me?.pid).toBe(process.pid);
    expect(me?.ppid).toBe(process.ppid);
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(readProcess(2 ** 22 + 1)).toBeUndefined();
  });

  it('lists descendants across process groups', async () => {
    const marker = uniqueMarker();
    const child = await startTree(marker);
    const descendants = listDescendants(child.pid!).map((p) => p.pid).sort();
    expect(descendants).toEqual(processesWithArg(marker).sort());
    expect(listGroupMembers(child.pid!).map((p) => p.pid)).toContain(child.pid);
    const tree = collectTree(child.pid!);
    expect(tree.pgids.size).toBe(2);
    expect(tree.pids.size).toBe(3);
  });

  it('finds processes by their session tag', async () => {
    const tag = `lt-tag-${uniqueMarker()}`;
    const child = await startTree(uniqueMarker(), `${tag}.1`);
    expect(findTaggedProcesses(`${tag}.1`).map((p) => p.pid)).toContain(child.pid);
    expect(findTaggedProcesses(tag, { prefix: true })).toHaveLength(3);
    expect(findTaggedProcesses(tag)).toEqual([]);
  });

  it('finds a tagged process only among processes started at or after startedSince', async () => {
    const tag = `lt-since-${uniqueMarker()}`;
    const child = await startTree(uniqueMarker(), tag);
    const born = Number(readStartTime(child.pid!));
    expect(readProcess(child.pid!)?.startTime).toBe(born);
    // Anything this process started is at least as young as this process.
    expect(born).toBeGreaterThanOrEqual(ownStartTime());
    expect(ownStartTime()).toBeGreaterThan(0);
    expect(findTaggedProcesses(tag, { startedSince: ownStartTime() }).map((p) => p.pid)).toContain(child.pid);
    expect(findTaggedProcesses(tag, { startedSince: born }).map((p) => p.pid)).toContain(child.pid);
    // Started before the bound: not looked at, even though it carries the tag.
    expect(findTaggedProcesses(tag, { startedSince: born + 1_000_000 })).toEqual([]);
    // A snapshot taken before the process existed does not hold it.
    expect(findTaggedProcesses(tag, { processes: listProcesses().filter((p) => p.pid !== child.pid) }).map((p) => p.pid)).not.toContain(child.pid);
  });

  it('terminate() resolves at once when there is nothing to stop', async () => {
    await terminate({ pgids: [], pids: [] }, 60_000);
    await terminate({ pgids: [process.pid, 1, 0], pids: [process.pid, 1] }, 60_000);
  });

  it('terminate() ends whole groups, escalating to SIGKILL', async () => {
    const marker = uniqueMarker();
    const child = await startTree(marker);
    const tree = collectTree(child.pid!);
    await terminate(tree, 200);
    expect(processesWithArg(marker)).toEqual([]);
    expect(isProcessAlive(child.pid!)).toBe(false);
  });

  it('never signals its own group or init', () => {
    expect(signalProcessGroup(readProcess(process.pid)!.pgid, 'SIGCONT')).toBe(false);
    expect(signalProcessGroup(1, 'SIGCONT')).toBe(false);
    expect(signalProcessGroup(0, 'SIGCONT')).toBe(false);
  });
});
