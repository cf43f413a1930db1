import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readProcess } from '../../src/run/process-group.ts';
import { openPipeSession, type PipeSession } from '../../src/run/session.ts';
import { eventually, processesWithArg, specFor, uniqueMarker } from './helpers.ts';

const T = { timeoutMs: 10_000 };
let dir: string;
let session: PipeSession;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-bg-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  session = await openPipeSession(specFor('host', dir), { tag: `test-bg-${process.pid}-${uniqueMarker()}` });
});
afterEach(async () => {
  await session.close();
});

describe('background commands', () => {
  it('run in their own process group from the session cwd and environment, and capture output', async () => {
    await session.run('mkdir -p srv && cd srv && export SERVED_BY=lab-bg', T);
    const marker = uniqueMarker();
    const bg = await session.startBackground(`echo "$SERVED_BY in $PWD"; echo oops >&2; sleep ${marker}`);
    expect(readProcess(bg.pid)?.pgid).toBe(bg.pid);
    expect(readProcess(bg.pid)?.pgid).not.toBe(readProcess(session.pid!)?.pgid);
    const out = await eventually(() => bg.output(), (o) => o.includes('oops'));
    expect(out).toBe(`lab-bg in ${dir}/srv\noops\n`);
    // The session stays usable while the job runs, and the job does not print into it.
    expect((await session.run('echo $?; echo free', T)).output).toBe('0\nfree\n');
    await bg.stop();
    expect(processesWithArg(marker)).toEqual([]);
    expect(bg.output()).toBe(out);
    await bg.stop();
  });

  it('stop() kills children the job started, even in other groups', async () => {
    const a = uniqueMarker();
    const b = uniqueMarker();
    const bg = await session.startBackground(`sleep ${a} & setsid sleep ${b} & wait`);
    await eventually(() => processesWithArg(b), (p) => p.length === 1);
    await bg.stop();
    expect(await eventually(() => [...processesWithArg(a), ...processesWithArg(b)], (p) => p.length === 0)).toEqual([]);
  });

  it('stop() escalates to SIGKILL when a job ignores SIGTERM', async () => {
    const marker = uniqueMarker();
    const bg = await session.startBackground(`trap '' TERM; echo ready; while :; do sleep ${marker}; done`);
    await eventually(() => bg.output(), (o) => o === 'ready\n');
    await bg.stop();
    expect(await eventually(() => processesWithArg(marker), (p) => p.length === 0)).toEqual([]);
    expect(readProcess(bg.pid)).toBeUndefined();
  });

  it('close() stops every background job', async () => {
    const marker = uniqueMarker();
    await session.startBackground(`sleep ${marker}`);
    await session.startBackground(`sleep ${marker}`);
    expect(await eventually(() => processesWithArg(marker), (p) => p.length === 2)).toHaveLength(2);
    await session.close();
    expect(processesWithArg(marker)).toEqual([]);
  });

  it('a timeout in the session leaves background jobs running', async () => {
    const marker = uniqueMarker();
    const bg = await session.startBackground(`sleep ${marker}`);
    await eventually(() => processesWithArg(marker), (p) => p.length === 1);
    expect((await session.run('sleep 30', { timeoutMs: 300 })).timedOut).toBe(true);
    expect(processesWithArg(marker)).toHaveLength(1);
    await bg.stop();
    expect(processesWithArg(marker)).toEqual([]);
  });
});
