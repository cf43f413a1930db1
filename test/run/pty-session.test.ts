import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findTrailingPrompt, toLines } from '../../src/run/pty-session.ts';
import { createLocalTarget, type LocalTarget } from '../../src/run/targets/local.ts';
import type { Session } from '../../src/run/targets/types.ts';
import { eventually, processesWithArg, specFor, uniqueMarker } from './helpers.ts';

const T = { timeoutMs: 10_000 };
const BUSYBOX = "PS1='/ # ' busybox sh -i";
let dir: string;
let target: LocalTarget;
let host: Session;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-pty-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await target?.dispose();
});

async function openBusybox(): Promise<{ session: Session; output: string }> {
  target = createLocalTarget();
  host = await target.openSession(specFor('host', dir));
  await host.run('mkdir -p box && cd box && export FROM_HOST=yes', T);
  const { session, outcome } = await target.openInteractive(host, BUSYBOX, specFor('client', dir, { prompt: '/ # ' }), T);
  expect(outcome).toMatchObject({ exitCode: 0, timedOut: false, closed: false });
  return { session, output: outcome.output };
}

describe('interactive busybox sh in a pseudo-terminal', () => {
  it('loads the prebuilt node-pty binary under this Node', () => {
    const pty = createRequire(import.meta.url)('@lydell/node-pty') as { spawn: unknown };
    expect(typeof pty.spawn).toBe('function');
  });

  it('returns what the program printed before its first prompt', async () => {
    const { output } = await openBusybox();
    expect(output).toContain('BusyBox');
    expect(output).not.toContain('/ # ');
    expect(output).not.toContain('\r\n');
  });

  it('runs commands with the opening session cwd and environment, stdout a terminal, without echo or prompts', async () => {
    const { session } = await openBusybox();
    const out = await session.run('pwd; echo "$FROM_HOST"; [ -t 1 ] && echo tty', T);
    expect(out).toMatchObject({ output: `${dir}/box\nyes\ntty\n`, exitCode: 0, closed: false, timedOut: false });
  });

  it('reports exit codes, keeps $? and state between commands', async () => {
    const { session } = await openBusybox();
    expect((await session.run('ls /no-such-dir-lt', T))).toMatchObject({ exitCode: 1, output: 'ls: /no-such-dir-lt: No such file or directory\n' });
    expect((await session.run('echo "status $?"', T)).output).toBe('status 1\n');
    await session.run('cd /tmp; V=kept', T);
    expect((await session.run('pwd; echo $V', T)).output).toBe('/tmp\nkept\n');
  });

  it('handles stdin readers, here-documents, syntax errors and output without newline', async () => {
    const { session } = await openBusybox();
    expect((await session.run('cat', T)).output).toBe('');
    expect((await session.run('cat <<EOF\nline $((1+1))\nEOF', T)).output).toBe('line 2\n');
    const broken = await session.run('echo "open', T);
    expect(broken.exitCode).not.toBe(0);
    expect(broken.closed).toBe(false);
    expect((await session.run('printf abc', T)).output).toBe('abc');
    expect((await session.run('echo ok', T)).output).toBe('ok\n');
  });

  it('closes on exit with its status', async () => {
    const { session } = await openBusybox();
    const out = await session.run('exit 4', T);
    expect(out).toMatchObject({ exitCode: 4, closed: true, timedOut: false });
    expect(session.alive).toBe(false);
    await expect(session.run('echo no', T)).rejects.toThrow(/closed/);
  });

  it('kills the terminal’s jobs on timeout and comes back with a fresh shell', async () => {
    const { session } = await openBusybox();
    const marker = uniqueMarker();
    const out = await session.run(`echo before; sleep ${marker}`, { timeoutMs: 500 });
    expect(out).toMatchObject({ timedOut: true, exitCode: null, closed: false });
    expect(out.output).toBe('before\n');
    expect(await eventually(() => processesWithArg(marker), (p) => p.length === 0)).toEqual([]);
    expect((await session.run('echo again', T)).output).toBe('again\n');
  });

  it('writes files and runs background jobs', async () => {
    const { session } = await openBusybox();
    await session.writeFile('from-pty.txt', 'a\tb\n$x\n');
    expect(readFileSync(join(dir, 'box/from-pty.txt'), 'utf8')).toBe('a\tb\n$x\n');
    const marker = uniqueMarker();
    const bg = await session.startBackground(`echo bg $FROM_HOST; sleep ${marker}`);
    expect(await eventually(() => bg.output(), (o) => o !== '')).toBe('bg yes\n');
    expect((await session.run('echo quiet', T)).output).toBe('quiet\n');
    await bg.stop();
    expect(processesWithArg(marker)).toEqual([]);
  });

  it('returns a closed session when the program exits before its prompt', async () => {
    target = createLocalTarget();
    host = await target.openSession(specFor('host', dir));
    const { session, outcome } = await target.openInteractive(host, 'echo bye; exit 7', specFor('gone', dir, { prompt: '/ # ' }), T);
    expect(outcome).toMatchObject({ exitCode: 7, closed: true, timedOut: false });
    expect(outcome.output).toBe('bye\n');
    expect(session.alive).toBe(false);
  });

  it('times out when the prompt never appears', async () => {
    target = createLocalTarget();
    host = await target.openSession(specFor('host', dir));
    const marker = uniqueMarker();
    const { session, outcome } = await target.openInteractive(host, `echo waiting; sleep ${marker}`, specFor('slow', dir, { prompt: '/ # ' }), { timeoutMs: 500 });
    expect(outcome).toMatchObject({ timedOut: true, closed: true, exitCode: null, output: 'waiting\n' });
    expect(session.alive).toBe(false);
    expect(await eventually(() => processesWithArg(marker), (p) => p.length === 0)).toEqual([]);
  });
});

describe('prompt detection', () => {
  it('finds a prompt at the very end, ignoring escapes a line editor prints after it', () => {
    expect(findTrailingPrompt('banner\r\n/ # ', '/ # ')).toBe(8);
    expect(findTrailingPrompt('banner\r\n/ # \u001b[6n', '/ # ')).toBe(8);
    expect(findTrailingPrompt('/ # ls\r\n', '/ # ')).toBe(-1);
  });

  it('turns terminal line ends into \\n and keeps lone carriage returns', () => {
    expect(toLines('a\r\nb\rc\r\n')).toBe('a\nb\rc\n');
  });
});
