import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPipeSession, type PipeSession } from '../../src/run/session.ts';
import type { CommandOutcome } from '../../src/run/targets/types.ts';
import { specFor, uniqueMarker } from './helpers.ts';

let dir: string;
const opened: PipeSession[] = [];

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-pipeline-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function open(command?: string): Promise<PipeSession> {
  const s = await openPipeSession(specFor('host', dir, command ? { command } : {}), { tag: `test-pipeline-${process.pid}-${uniqueMarker()}` });
  opened.push(s);
  return s;
}

/** What a command did, without its timing. */
const shape = (o: CommandOutcome) => ({ output: o.output, exitCode: o.exitCode, timedOut: o.timedOut, closed: o.closed });

/** Runs `commands` one by one in one session and typed ahead in another; returns both. */
async function bothWays(commands: string[], timeoutMs = 5000, shell?: string) {
  const one = await open(shell);
  const sequential = [];
  for (const c of commands) sequential.push(shape(await one.run(c, { timeoutMs })));
  const two = await open(shell);
  await two.runAhead(commands.map((command) => ({ command, timeoutMs })));
  const ahead = [];
  for (const c of commands) ahead.push(shape(await two.run(c, { timeoutMs })));
  return { sequential, ahead, session: two };
}

describe('commands typed ahead', () => {
  it('give each command the output, status and $? it has when typed alone', async () => {
    const commands = [
      'mkdir -p sub && cd sub && pwd',
      'export KEPT=1; PLAIN=2; greet() { echo "hi $1"; }',
      'echo "[$KEPT][$PLAIN]"; greet you',
      'false',
      'echo "status was $?"',
      '(exit 3)',
      'echo "status was $?"',
      'printf "no newline"',
      'cat <<EOF\nhere $KEPT\nEOF',
      'echo one \\\n  two',
      'echo "unclosed',
      'echo after the syntax error',
      'echo to stderr >&2; echo to stdout',
      'cd ..',
    ];
    const { sequential, ahead, session } = await bothWays(commands);
    expect(ahead).toEqual(sequential);
    expect(ahead[4]!.output).toBe('status was 1\n');
    expect(ahead[6]!.output).toBe('status was 3\n');
    expect(session.cwd).toBe(dir);
    expect(session.aheadCount).toBe(0);
  });

  it('keeps `set -x` tracing exactly as commands typed one by one show it', async () => {
    const { sequential, ahead } = await bothWays(['set -x', 'echo traced', 'false', 'echo "$?"', 'set +x', 'echo quiet']);
    expect(ahead).toEqual(sequential);
    expect(ahead[1]!.output).toBe('+ echo traced\ntraced\n');
  });

  it('keeps the protocol out of traces however tracing was turned on', async () => {
    // Without tracing the shell takes each status without discarding stderr; every way to turn
    // tracing on must make it discard again, or the protocol's own trace would show.
    const ways = [
      ['x=set', '$x -x'],
      ['f() { set -x; }', 'f'],
      ['eval "set -x"'],
      ['alias t="set -x"', 't'],
      ['shopt -s -o xtrace'],
    ];
    for (const way of ways) {
      const { sequential, ahead } = await bothWays([...way, 'echo traced', 'echo again']);
      expect(ahead, way.join('; ')).toEqual(sequential);
      expect(ahead.at(-2)!.output, way.join('; ')).toBe('+ echo traced\ntraced\n');
      expect(ahead.at(-1)!.output, way.join('; ')).toBe('+ echo again\nagain\n');
    }
  });

  for (const shell of ['sh', 'busybox sh']) {
    it(`works the same in a POSIX shell (${shell})`, async () => {
      const commands = ['cd /', 'false', 'echo "status $?"', 'X=1; set -x', 'echo "$X"', 'set +x', 'echo fine', 'exit 4'];
      const { sequential, ahead } = await bothWays(commands, 5000, shell);
      expect(ahead).toEqual(sequential);
      expect(ahead[2]!.output).toBe('status 1\n');
      expect(ahead.at(-1)).toMatchObject({ closed: true, exitCode: 4 });
    });
  }

  it('gives stdin-reading commands an empty stdin, so they cannot eat the commands behind them', async () => {
    const { sequential, ahead } = await bothWays(['cat', 'read -r line; echo "[$line]"', 'head -c 10; echo read', 'echo still here']);
    expect(ahead).toEqual(sequential);
    expect(ahead.map((o) => o.output)).toEqual(['', '[]\n', 'read\n', 'still here\n']);
  });

  it('holds each command typed ahead to its own timeout, also one shorter than the timeout before it', async () => {
    // One timer watches a whole run of commands: a later, shorter deadline must still be kept.
    const s = await open();
    const commands = [
      { command: 'echo first', timeoutMs: 60_000 },
      { command: 'sleep 30', timeoutMs: 300 },
      { command: 'echo after', timeoutMs: 60_000 },
    ];
    await s.runAhead(commands);
    const out = [];
    for (const c of commands) out.push(shape(await s.run(c.command, { timeoutMs: c.timeoutMs })));
    expect(out).toEqual([
      { output: 'first\n', exitCode: 0, timedOut: false, closed: false },
      { output: '', exitCode: null, timedOut: true, closed: false },
      { output: 'after\n', exitCode: 0, timedOut: false, closed: false },
    ]);
  });

  it('times out only the command that hangs, restarts the shell and runs the rest in it', async () => {
    const marker = uniqueMarker();
    const commands = ['export KEPT=yes; echo before', `sleep ${marker}`, 'echo "after $KEPT $?"', 'touch ran-after-timeout'];
    const s = await open();
    await s.runAhead(commands.map((command) => ({ command, timeoutMs: command.startsWith('sleep') ? 400 : 5000 })));
    const out = [];
    for (const command of commands) out.push(shape(await s.run(command, { timeoutMs: command.startsWith('sleep') ? 400 : 5000 })));
    expect(out[0]).toEqual({ output: 'before\n', exitCode: 0, timedOut: false, closed: false });
    expect(out[1]).toMatchObject({ exitCode: null, timedOut: true, closed: false });
    // As after a timeout when typed alone: exported variables restored, `$?` starts at 0.
    expect(out[2]).toEqual({ output: 'after yes 0\n', exitCode: 0, timedOut: false, closed: false });
    expect(out[3]).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(dir, 'ran-after-timeout'))).toBe(true);
    rmSync(join(dir, 'ran-after-timeout'));
  });

  for (const [name, ender] of [
    ['exit', 'exit 3'],
    ['set -e and a failing command', 'set -e; false'],
    ['exec', 'exec bash --noprofile --norc'],
  ] as const) {
    it(`runs nothing after a command that ends the shell (${name})`, async () => {
      const never = `never-${uniqueMarker()}`;
      const s = await open();
      const commands = ['echo first', ender, `touch ${never}`, 'echo never'];
      await s.runAhead(commands.map((command) => ({ command, timeoutMs: 5000 })));
      expect(shape(await s.run(commands[0]!, { timeoutMs: 5000 }))).toMatchObject({ output: 'first\n', exitCode: 0 });
      const ended = await s.run(commands[1]!, { timeoutMs: 5000 });
      expect(ended.closed).toBe(true);
      if (name === 'exit') expect(ended.exitCode).toBe(3);
      expect(s.alive).toBe(false);
      await expect(s.run(commands[2]!, { timeoutMs: 5000 })).rejects.toThrow(/closed/);
      expect(existsSync(join(dir, never))).toBe(false);
    });
  }

  it('stops the session rather than run a command out of order', async () => {
    const never = `never-${uniqueMarker()}`;
    const s = await open();
    await s.runAhead([
      { command: 'echo one', timeoutMs: 5000 },
      { command: `sleep 1; touch ${never}`, timeoutMs: 5000 },
    ]);
    expect((await s.run('echo one', { timeoutMs: 5000 })).output).toBe('one\n');
    await expect(s.run('echo other', { timeoutMs: 5000 })).rejects.toThrow(/not the command typed ahead/);
    expect(s.alive).toBe(false);
    await new Promise((r) => setTimeout(r, 1300));
    expect(existsSync(join(dir, never))).toBe(false);
  });

  it('refuses other work while commands are typed ahead', async () => {
    const s = await open();
    await s.runAhead([{ command: 'echo one', timeoutMs: 5000 }]);
    await expect(s.writeFile('x.txt', 'x')).rejects.toThrow(/typed ahead/);
    expect(s.alive).toBe(false);
  });

  it('types more commands behind unclaimed ones, each as if typed alone', async () => {
    const commands = [
      'mkdir -p part && cd part && pwd',
      'export KEPT=1',
      'false',
      // Typed behind a command that already ended (the shell idle), then behind one still running.
      'echo "status was $?"',
      'sleep 0.2; (exit 4)',
      'echo "status was $? [$KEPT]"',
      'set -x',
      'echo traced',
      'set +x',
      'cd .. && pwd',
    ];
    const one = await open();
    const sequential = [];
    for (const c of commands) sequential.push(shape(await one.run(c, { timeoutMs: 5000 })));
    const s = await open();
    const typed = (from: number, to: number) => s.runAhead(commands.slice(from, to).map((command) => ({ command, timeoutMs: 5000 })));
    const ahead = [];
    expect(await typed(0, 3)).toBe(true);
    ahead.push(shape(await s.run(commands[0]!, { timeoutMs: 5000 })));
    // Let `false` end before the next part is typed behind it.
    await new Promise((r) => setTimeout(r, 100));
    expect(await typed(3, 5)).toBe(true);
    expect(s.aheadCount).toBe(4);
    for (const c of commands.slice(1, 4)) ahead.push(shape(await s.run(c, { timeoutMs: 5000 })));
    // `sleep 0.2; (exit 4)` is still running: the rest goes behind it.
    expect(await typed(5, 10)).toBe(true);
    for (const c of commands.slice(4)) ahead.push(shape(await s.run(c, { timeoutMs: 5000 })));
    expect(ahead).toEqual(sequential);
    expect(ahead[3]!.output).toBe('status was 1\n');
    expect(ahead[5]!.output).toBe('status was 4 [1]\n');
    expect(ahead[7]!.output).toBe('+ echo traced\ntraced\n');
    expect(s.aheadCount).toBe(0);
  });

  it('commands typed behind one that times out run in the restarted shell, in order', async () => {
    const marker = uniqueMarker();
    const s = await open();
    const commands = [
      { command: 'export KEPT=yes; echo before', timeoutMs: 5000 },
      { command: `sleep ${marker}`, timeoutMs: 400 },
      { command: 'echo "after $KEPT"', timeoutMs: 5000 },
      { command: 'echo last', timeoutMs: 5000 },
    ];
    expect(await s.runAhead(commands.slice(0, 2))).toBe(true);
    expect(await s.runAhead(commands.slice(2))).toBe(true);
    const out = [];
    for (const c of commands) out.push(shape(await s.run(c.command, { timeoutMs: c.timeoutMs })));
    expect(out.map((o) => [o.output, o.timedOut])).toEqual([
      ['before\n', false],
      ['', true],
      ['after yes\n', false],
      ['last\n', false],
    ]);
  });

  it('types nothing behind waiting commands while its shell restarts, and says so', async () => {
    const s = await open();
    expect(await s.runAhead([{ command: 'echo one', timeoutMs: 5000 }, { command: 'echo two', timeoutMs: 5000 }])).toBe(true);
    // The flag a timeout raises while it replaces the shell (the commands behind are typed again then).
    (s as unknown as { restarting: boolean }).restarting = true;
    expect(await s.runAhead([{ command: 'echo three', timeoutMs: 5000 }])).toBe(false);
    (s as unknown as { restarting: boolean }).restarting = false;
    expect(s.aheadCount).toBe(2);
    expect((await s.run('echo one', { timeoutMs: 5000 })).output).toBe('one\n');
    expect((await s.run('echo two', { timeoutMs: 5000 })).output).toBe('two\n');
    // Not typed, so run on its own.
    expect((await s.run('echo three', { timeoutMs: 5000 })).output).toBe('three\n');
  });

  it('closing kills what was typed ahead instead of letting the shell read it', async () => {
    const never = `never-${uniqueMarker()}`;
    const s = await open();
    await s.runAhead([
      { command: 'sleep 0.3', timeoutMs: 5000 },
      { command: `touch ${never}`, timeoutMs: 5000 },
    ]);
    await s.close();
    await new Promise((r) => setTimeout(r, 600));
    expect(existsSync(join(dir, never))).toBe(false);
  });
});
