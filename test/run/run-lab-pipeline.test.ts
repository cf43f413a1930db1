import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlockResult } from '../../src/model/result.ts';
import { fence, runOneStepLab } from './helpers.ts';

let dir: string;
beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-run-pipeline-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a one-step lab made of `blocks`, recording every batch of commands typed ahead. */
async function run(name: string, blocks: string[]) {
  const { result, batches } = await runOneStepLab(dir, name, blocks);
  const by = (k: number): BlockResult => result.results[k]!;
  return { result, batches, by, statuses: result.results.map((r) => r.status) };
}

describe('commands typed ahead by the runner', () => {
  it('runs consecutive blocks in one write and checks each as before, reporting every drift', async () => {
    const { statuses, batches, by } = await run('plain', [
      fence('', ['$ echo warm-up', 'warm-up']),
      fence('', ['$ echo one', 'one', '$ false', '$ echo "status $?"', 'status 1']),
      fence('exit=1', ['$ echo two', 'two', '$ (exit 1)']),
      fence('', ['$ echo three', 'drifted']),
      fence('skip="not here"', ['$ touch should-not-exist']),
      fence('', ['$ cat', '$ echo four', 'four']),
      fence('', ['$ echo five', 'drifted too']),
    ]);
    expect(statuses).toEqual(['pass', 'fail', 'pass', 'fail', 'skip', 'pass', 'fail']);
    // `false` has no expected exit of its own: a non-last command must exit 0.
    expect(by(1).reason).toMatch(/`false` exited 1/);
    expect(by(1).commands[2]!.output).toBe('status 1');
    // The first block is typed ahead too: its session is opened for it before the batch is typed.
    expect(batches).toEqual([['echo warm-up', 'echo one', 'false', 'echo "status $?"', 'echo two', '(exit 1)', 'echo three', 'cat', 'echo four', 'echo five']]);
  });

  it('does not type a command ahead of the output that binds a value it uses', async () => {
    const { statuses, batches, by } = await run('bound', [
      fence('', ['$ echo warm-up', 'warm-up']),
      fence('', ['$ echo 10.1.$((1 + 1)).3', '10.9.9.9']),
      fence('', ['$ echo 10.9.9.9 again', '10.9.9.9 again']),
      fence('', ['$ echo plain', 'plain']),
    ]);
    expect(statuses).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(by(2).commands[0]!.ran).toBe('echo 10.1.2.3 again');
    // Nothing is typed ahead of the output that binds the address; once bound, it is typed with the real value.
    expect(batches).toEqual([
      ['echo warm-up', 'echo 10.1.$((1 + 1)).3'],
      ['echo 10.1.2.3 again', 'echo plain'],
    ]);
  });

  it('stops at blocks that may run again, run in the background or write files', async () => {
    const { statuses, batches } = await run('barriers', [
      fence('', ['$ echo warm-up', 'warm-up']),
      fence('', ['$ echo a', 'a']),
      fence('wait=2s', ['$ echo b', 'b']),
      fence('', ['$ echo c', 'c']),
      fence('background', ['$ sleep 30']),
      fence('', ['$ echo d', 'd']),
      '```text file=note.txt\nhello\n```\n',
      fence('', ['$ cat note.txt', 'hello']),
      fence('', ['$ echo e', 'e']),
    ]);
    expect(statuses).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    for (const b of batches) {
      expect(b).not.toContain('echo b');
      expect(b).not.toContain('sleep 30');
    }
    expect(batches).toContainEqual(['cat note.txt', 'echo e']);
  });

  it('fails only the block that times out; the blocks typed behind it run in the restarted shell', async () => {
    const { statuses, batches, by } = await run('timeout', [
      fence('', ['$ export KEPT=yes; echo warm-up', 'warm-up']),
      fence('', ['$ echo a', 'a']),
      fence('timeout=500ms', ['$ sleep 30']),
      fence('', ['$ echo "b $KEPT"', 'b yes']),
    ]);
    expect(statuses).toEqual(['pass', 'pass', 'fail', 'pass']);
    expect(by(2).commands[0]!.timedOut).toBe(true);
    expect(batches[0]).toEqual(['export KEPT=yes; echo warm-up', 'echo a', 'sleep 30', 'echo "b $KEPT"']);
  });

  it('after a block whose command ends the shell, the next block runs in a new one', async () => {
    const { statuses, by } = await run('exit', [
      fence('', ['$ echo warm-up', 'warm-up']),
      fence('', ['$ export GONE=1; echo a', 'a']),
      fence('exit=3', ['$ exit 3', 'exit']),
      fence('', ['$ echo "[${GONE-unset}]"', '[unset]']),
    ]);
    expect(statuses, by(2).reason).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(by(3).commands[0]!.output).toBe('[unset]');
  });

  it('counts one attempt for a block without wait=, and its whole time', async () => {
    const { statuses, by } = await run('attempts', [
      fence('', ['$ echo warm-up', 'warm-up']),
      fence('', ['$ sleep 0.3; echo slept', 'slept']),
      fence('', ['$ echo drifted', 'expected']),
      // Passes on its second attempt: the first creates the file it then finds.
      fence('wait=5s', ['$ test -e again || { touch again; echo first; }; echo done', 'done']),
    ]);
    expect(statuses).toEqual(['pass', 'pass', 'fail', 'flaky']);
    expect([0, 1, 2, 3].map((k) => by(k).attempts)).toEqual([1, 1, 1, 2]);
    expect(by(1).durationMs).toBeGreaterThanOrEqual(by(1).commands[0]!.durationMs);
    expect(by(1).commands[0]!.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('records in each block the bindings its commands made and the earlier ones they used', async () => {
    const { statuses, by } = await run('bindings', [
      fence('', ['$ echo 10.244.$((0+1)).9', '10.0.0.5']),
      fence('', ['$ echo 10.0.0.5 $((7+3)).2.2.2', '10.0.0.5 10.0.0.6', '$ echo done', 'done']),
      fence('', ['$ echo 10.77.7.$((3+4))', '10.0.0.6']),
    ]);
    expect(statuses).toEqual(['pass', 'pass', 'fail']);
    expect(by(0).bindings).toEqual({ '10.0.0.5': '10.244.1.9' });
    expect(by(1).bindings).toEqual({ '10.0.0.5': '10.244.1.9', '10.0.0.6': '10.2.2.2' });
    expect(by(1).commands[0]!.ran).toBe('echo 10.244.1.9 $((7+3)).2.2.2');
  });
});
