import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlockResult } from '../../src/model/result.ts';
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
