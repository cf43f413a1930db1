import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlockResult } from '../../src/model/result.ts';
import { AHEAD_PART } from '../../src/run/run-lab.ts';
import { fence, runOneStepLab } from './helpers.ts';

// The runner's shortcuts for consecutive blocks (typing them ahead, reusing the substitution it
// typed, opening the session before the first block, not normalising an output twice) must give
// exactly the results of running every block on its own.

let dir: string;
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-run-fast-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a one-step lab; with `ahead: false` every command is substituted and run on its own (the slow path). */
async function run(name: string, blocks: string[], ahead: boolean) {
  const { result, batches } = await runOneStepLab(dir, name, blocks, ahead);
  return { results: result.results.map(comparable), batches };
}

/** A result without what differs from run to run (times) or by folder (file paths). */
function comparable(r: BlockResult) {
  return {
    id: r.id,
    line: r.line,
    hash: r.hash,
    status: r.status,
    reason: r.reason,
    bindings: r.bindings,
    commands: r.commands.map((c) => ({ command: c.command, ran: c.ran, exitCode: c.exitCode, output: c.output, ok: c.ok, failure: c.failure, diff: c.diff })),
  };
}

const blocks = [
  // Types 10.0.0.1 (bound to itself once it ran) without printing it, so the next block is typed
  // ahead before that binding exists: the bindings it records must still name it.
  fence('', ['$ echo 10.0.0.1 > /dev/null; echo typed', 'typed']),
  fence('', ['$ echo 10.0.0.1/24 > /dev/null; echo hidden', 'hidden']),
  // An output that binds an example, and a later command that uses it.
  fence('', ['$ echo 10.244.$((1 + 1)).7', '10.96.0.5']),
  fence('', ['$ echo plain', 'plain']),
  fence('', ['$ echo 10.96.0.5 is bound', '10.96.0.5 is bound', '$ echo 10.96.0.5 again', '10.96.0.5 again']),
  // Drifted output still fails, and says which line.
  fence('', ['$ echo actual line', 'expected line']),
  fence('', ['$ printf "a\\r\\nb  \\n\\n"', 'a', 'b']),
  fence('', ['$ echo after', 'after']),
];

describe('fast paths of the runner give the results of the slow path', () => {
  it('typed ahead with reused substitutions, as every command run alone', async () => {
    const fast = await run('same', blocks, true);
    const slow = await run('same', blocks, false);
    // The fast run did type ahead, the first block included, and the slow run did not.
    expect(fast.batches[0]?.[0]).toBe('echo 10.0.0.1 > /dev/null; echo typed');
    expect(fast.batches.flat()).toContain('echo 10.0.0.1/24 > /dev/null; echo hidden');
    expect(slow.batches).toEqual([]);
    expect(fast.results).toEqual(slow.results);
    expect(fast.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'pass', 'pass']);
    // The typed value counts as used by the block typed ahead before it was bound.
    expect(fast.results[1]!.bindings).toEqual({ '10.0.0.1': '10.0.0.1' });
    expect(fast.results[4]!.bindings).toEqual({ '10.96.0.5': '10.244.2.7' });
    expect(fast.results[4]!.commands.map((c) => c.ran)).toEqual(['echo 10.244.2.7 is bound', 'echo 10.244.2.7 again']);
    const drifted = fast.results[5]!;
    expect(drifted.reason).toMatch(/output of `echo actual line` drifted \(\S*\/01-step\.mdx:31\)$/);
    expect(drifted.commands[0]!.diff).toMatchObject([
      { op: '-', text: 'expected line', line: 32 },
      { op: '+', text: 'actual line' },
    ]);
    expect(fast.results[6]!.commands[0]!.output).toBe('a\nb');
  });
});

describe('a long run of blocks typed ahead in parts', () => {
  // More blocks than one part: the first part is typed before the first block runs, the next
  // ones behind the commands still waiting, across a value that must be bound first, a drift,
  // a timeout that restarts the shell and a command that ends it.
  const long: string[] = [];
  let k = 0;
  const plain = (n: number) => {
    for (const end = k + n; k < end; k++) long.push(fence('', [`$ echo "line ${k} $((${k} * 2))"`, `line ${k} ${k * 2}`]));
  };
  // With one command a block, the first part is blocks [0, first), the second (typed when block 1
  // runs) [first, first + more), and the third is typed when `low` commands are left: the value
  // the block `bound` binds is not bound yet then, so the third part stops before `user`.
  const { first, more, low } = AHEAD_PART;
  const bound = first + more - low / 2;
  const user = first + more + 4;
  plain(bound);
  long.push(fence('', ['$ echo 10.244.$((3 + 4)).1', '10.96.7.7']));
  plain(user - bound - 1);
  long.push(fence('', ['$ echo 10.96.7.7 is bound', '10.96.7.7 is bound']));
  long.push(fence('', ['$ echo actual', 'expected']));
  plain(40);
  const timeout = user + 42;
  long.push(fence('timeout=400ms', ['$ export KEPT=yes; sleep 30']));
  plain(30);
  long.push(fence('exit=any', ['$ false', '$ echo "status $?"', 'status 1']));
  long.push(fence('exit=3', ['$ exit 3', 'exit']));
  long.push(fence('', ['$ echo "[${KEPT-unset}]"', '[unset]']));
  plain(first + more);

  it('gives the results of the slow path, typing in order the commands that run next', async () => {
    const fast = await run('long', long, true);
    const slow = await run('long', long, false);
    expect(slow.batches).toEqual([]);
    expect(fast.results).toEqual(slow.results);
    const statuses = fast.results.map((r) => r.status);
    expect(fast.results.flatMap((r, k) => (r.status === 'pass' ? [] : [[k, r.status]]))).toEqual([
      [user + 1, 'fail'],
      [timeout, 'fail'],
    ]);
    expect(fast.results[user + 1]!.reason).toMatch(/output of `echo actual` drifted/);
    expect(fast.results[timeout]!.commands[0]!.failure).toBe('timeout');
    expect(fast.results[user]!.commands[0]!.ran).toBe('echo 10.244.7.1 is bound');
    // Parts: a small first one, then more behind the waiting commands, each the commands that
    // run next, in order (those typed into the shell that `exit 3` ended are typed again into the next).
    expect(fast.batches.length).toBeGreaterThan(4);
    expect(fast.batches.slice(0, 3).map((b) => b.length)).toEqual([first, more, user - first - more]);
    const ran = fast.results.flatMap((r) => r.commands.map((c) => c.ran));
    for (const batch of fast.batches) {
      const at = ran.indexOf(batch[0]!);
      expect(ran.slice(at, at + batch.length)).toEqual(batch);
    }
    const afterExit = ran.indexOf('echo "[${KEPT-unset}]"');
    expect(fast.batches.filter((b) => b.includes(ran[afterExit + 1]!))).toHaveLength(2);
  });
});
