import { execa } from 'execa';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Block, Step } from '../../src/model/block.ts';
import type { BlockResult } from '../../src/model/result.ts';
import { REDACTED, Redactor } from '../../src/redact/redact.ts';
import { createConsoleView } from '../../src/report/console.ts';

/** A stream that records each write. */
function recorder() {
  const writes: string[] = [];
  return { writes, stream: { write: (s: string) => void writes.push(s), isTTY: false } };
}

const block = (k: number): Block =>
  ({ kind: 'command', id: `s-${k}`, file: 'lab/01-s.mdx', line: 3 + 5 * k, commands: [{ text: `echo ${k}` }] }) as unknown as Block;
const step = { title: 'Step', file: 'lab/01-s.mdx', blocks: [] } as unknown as Step;

function result(k: number, over: Partial<BlockResult> = {}): BlockResult {
  return {
    id: `s-${k}`,
    file: 'lab/01-s.mdx',
    line: 3 + 5 * k,
    hash: 'h',
    status: 'pass',
    attempts: 1,
    durationMs: 2,
    commands: [{ command: `echo ${k}`, ran: `echo ${k}`, exitCode: 0, output: `${k}`, durationMs: 1, timedOut: false, ok: true }],
    bindings: {},
    at: '',
    ...over,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('console view off a terminal', () => {
  it('writes the lines of blocks that pass in quick succession together, in order, and everything else at once', () => {
    vi.useFakeTimers();
    const { writes, stream } = recorder();
    const view = createConsoleView({ stream });
    view.stepStart!(step);
    expect(writes.join('')).toBe('▶ Step lab/01-s.mdx\n');
    for (let k = 1; k <= 3; k++) {
      view.blockStart!(block(k));
      view.blockEnd!(block(k), result(k));
    }
    // Waiting, not lost: written together after a moment.
    expect(writes.length).toBe(1);
    vi.advanceTimersByTime(150);
    expect(writes.length).toBe(2);
    expect(writes[1]).toBe('  ✓ s-1 lab/01-s.mdx:8 2ms\n  ✓ s-2 lab/01-s.mdx:13 2ms\n  ✓ s-3 lab/01-s.mdx:18 2ms\n');
    // A line of another kind first writes what waits, so the order holds.
    view.blockEnd!(block(4), result(4));
    view.progress!('something else');
    expect(writes.slice(2)).toEqual(['  ✓ s-4 lab/01-s.mdx:23 2ms\n', '    something else\n']);
    view.blockEnd!(block(5), result(5));
    view.close();
    expect(writes.at(-1)).toBe('  ✓ s-5 lab/01-s.mdx:28 2ms\n');
  });

  it('writes a failing block and its diff at once', () => {
    const { writes, stream } = recorder();
    const view = createConsoleView({ stream });
    const failed = result(1, {
      status: 'fail',
      reason: 'output of `echo 1` drifted',
      commands: [{ command: 'echo 1', ran: 'echo 1', exitCode: 0, output: '1', durationMs: 1, timedOut: false, ok: false, failure: 'output', reason: 'output of `echo 1` drifted', diff: [{ op: '-', text: '2', line: 9 }, { op: '+', text: '1' }] }],
    } as Partial<BlockResult>);
    view.blockEnd!(block(1), failed);
    const out = writes.join('');
    expect(out).toContain('  ✗ s-1 lab/01-s.mdx:8 2ms\n');
    expect(out).toContain('output of `echo 1` drifted');
    expect(out).toContain('- lab/01-s.mdx:9  2\n');
    view.close();
  });

  it('says why a block was skipped, blocked or flaky, with secrets hidden and long reasons cut', () => {
    const { writes, stream } = recorder();
    const view = createConsoleView({ stream, redactor: new Redactor() });
    view.blockEnd!(block(1), result(1, { status: 'skip', reason: 'needs token=s3cr3tPlantedValue' }));
    view.blockEnd!(block(2), result(2, { status: 'blocked', reason: 'an earlier block errored' }));
    view.blockEnd!(block(3), result(3, { status: 'flaky', reason: 'passed on attempt 2' }));
    view.blockEnd!(block(4), result(4, { status: 'skip', reason: 'x'.repeat(200_000) }));
    view.close();
    const lines = writes.join('').split('\n');
    expect(lines[0]).toBe(`  - s-1 lab/01-s.mdx:8 2ms skipped: needs token=${REDACTED}`);
    expect(lines[1]).toBe('  · s-2 lab/01-s.mdx:13 2ms blocked: an earlier block errored');
    expect(lines[2]).toBe('  ~ s-3 lab/01-s.mdx:18 2ms flaky: passed on attempt 2');
    expect(lines[3]!.length).toBeLessThan(100_000);
  });

  it('hides in later lines a secret that a passing block printed', () => {
    const { writes, stream } = recorder();
    const view = createConsoleView({ stream, redactor: new Redactor() });
    const secret = 'ghp_PlantedGithubToken0123456789abcdefgh';
    view.blockEnd!(block(1), result(1, { commands: [{ command: 'cat token', ran: 'cat token', exitCode: 0, output: secret, durationMs: 1, timedOut: false, ok: true }] }));
    view.progress!(`still using ${secret}`);
    view.close();
    expect(writes.join('')).not.toContain(secret);
  });

  it('writes what waits when the process ends without closing the view', async () => {
    const script = [
      `import { createConsoleView } from ${JSON.stringify(join(import.meta.dirname, '../../src/report/console.ts'))};`,
      `const view = createConsoleView({ stream: process.stderr, tty: false });`,
      `const b = { kind: 'command', id: 's-1', file: 'f.mdx', line: 3, commands: [{ text: 'echo' }] };`,
      `view.blockEnd(b, { id: 's-1', file: 'f.mdx', line: 3, hash: 'h', status: 'pass', attempts: 1, durationMs: 0, commands: [], bindings: {}, at: '' });`,
      `process.exit(0);`,
    ].join('\n');
    const r = await execa(process.execPath, ['--input-type=module', '-e', script], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('  ✓ s-1 f.mdx:3 0ms');
  });
});

describe('the live line of a running block', () => {
  it('names the block and the first line of its command on a terminal, secrets hidden', () => {
    vi.useFakeTimers();
    const { writes, stream } = recorder();
    const view = createConsoleView({ stream: { ...stream, isTTY: true }, tty: true });
    const b = { kind: 'command', id: 's-9', file: 'lab/01-s.mdx', line: 3, commands: [{ text: 'curl -H "Authorization: Bearer s3cr3tT0kenValue99" x \\\n  --fail' }] } as unknown as Block;
    view.blockStart!(b);
    vi.advanceTimersByTime(250);
    const shown = writes.join('');
    expect(shown).toContain('s-9: curl -H "Authorization: Bearer [REDACTED]" x \\');
    expect(shown).not.toContain('s3cr3t');
    expect(shown).not.toContain('--fail');
    view.close();
  });

  it('names a file block by the path it writes, off a terminal after 30 s', () => {
    vi.useFakeTimers();
    const { writes, stream } = recorder();
    const view = createConsoleView({ stream });
    view.blockStart!({ kind: 'file', id: 's-10', file: 'lab/01-s.mdx', line: 3, path: 'conf/app.yaml' } as unknown as Block);
    vi.advanceTimersByTime(31_000);
    expect(writes.join('')).toContain('  … still running s-10: writing conf/app.yaml (30s)\n');
    view.close();
  });
});
