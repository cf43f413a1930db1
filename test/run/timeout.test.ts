import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPipeSession, type PipeSession } from '../../src/run/session.ts';
import { eventually, processesWithArg, specFor, uniqueMarker } from './helpers.ts';

const DAEMONIZE = resolve(import.meta.dirname, '../fixtures/run/daemon/daemonize.sh');
let dir: string;
let session: PipeSession;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-timeout-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  session = await openPipeSession(specFor('host', dir), { tag: `test-timeout-${process.pid}-${uniqueMarker()}` });
});
afterEach(async () => {
  await session.close();
});

describe('timeouts', () => {
  it('kills the whole process group, including background children, and returns the output so far', async () => {
    const marker = uniqueMarker();
    const shellPid = session.pid!;
    const out = await session.run(`echo started; sleep ${marker} & sleep ${marker}`, { timeoutMs: 500 });
    expect(out.timedOut).toBe(true);
    expect(out.exitCode).toBeNull();
    expect(out.closed).toBe(false);
    expect(out.output).toContain('started\n');
    expect(await eventually(() => processesWithArg(marker), (p) => p.length === 0)).toEqual([]);
    expect(() => process.kill(shellPid, 0)).toThrow();
    expect(session.pid).not.toBe(shellPid);
  });

  it('kills process groups the command created (setsid) and daemons that left the tree', async () => {
    const grouped = uniqueMarker();
    const daemon = uniqueMarker();
    const out = await session.run(`setsid sleep ${grouped} & ${DAEMONIZE} ${daemon}; sleep 1000`, { timeoutMs: 800 });
    expect(out.timedOut).toBe(true);
    expect(await eventually(() => [...processesWithArg(grouped), ...processesWithArg(daemon)], (p) => p.length === 0)).toEqual([]);
  });

  it('restarts the session in the same working directory with its exported variables', async () => {
    await session.run('mkdir -p kept && cd kept && export KEPT=1 && GONE=2', { timeoutMs: 5000 });
    await session.run('sleep 30', { timeoutMs: 300 });
    expect(session.alive).toBe(true);
    const after = await session.run('pwd; echo "[$KEPT][$GONE]"; echo ok', { timeoutMs: 5000 });
    expect(after).toMatchObject({ output: `${dir}/kept\n[1][]\nok\n`, exitCode: 0, timedOut: false });
  });

  it('restores the exported variables as they were last, also after they shrank or went away', async () => {
    // The saved environment is overwritten in place: a shorter save must not keep a longer one's
    // tail (`export -p` sorts by name, so the gone variables were at the end of the longer save).
    await session.run(`export SHORT=before zzy_tail='echo leaked' zzz_long=${'x'.repeat(5000)}`, { timeoutMs: 5000 });
    await session.run('unset zzy_tail zzz_long; export SHORT=after1', { timeoutMs: 5000 });
    await session.run('sleep 30', { timeoutMs: 300 });
    const after = await session.run('echo "[${zzz_long-unset}][$SHORT][${zzy_tail-unset}]"', { timeoutMs: 5000 });
    expect(after).toMatchObject({ output: '[unset][after1][unset]\n', exitCode: 0, timedOut: false });
  });

  it('times out a command waiting on output that never comes, then works again', async () => {
    const out = await session.run('printf partial; sleep 30', { timeoutMs: 300 });
    expect(out.output).toBe('partial');
    expect((await session.run('echo back', { timeoutMs: 5000 })).output).toBe('back\n');
  });
});
