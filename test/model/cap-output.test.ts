import { describe, expect, it } from 'vitest';
import { capDiff, capResult, capText, STORE_CAP } from '../../src/model/cap-output.ts';
import type { BlockResult } from '../../src/model/result.ts';

describe('capText', () => {
  it('leaves text that fits alone', () => {
    expect(capText('a\nb\n', 10)).toBe('a\nb\n');
  });

  it('keeps the first and last lines whole and says how much was left out', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i + 1}`);
    const out = capText(lines.join('\n'), 1000);
    const kept = out.split('\n');
    expect(kept[0]).toBe('line 1');
    expect(kept.at(-1)).toBe('line 10000');
    const marker = kept.find((l) => l.startsWith('[… '))!;
    expect(marker).toMatch(/^\[… [\d,]+ bytes \([\d,]+ lines\) of output left out; the first and last 500 B are kept …\]$/);
    // the numbers are exact: what was kept plus what was left out is the whole
    const [, bytes, count] = /([\d,]+) bytes \(([\d,]+) lines/.exec(marker)!;
    expect(kept.length - 1 + Number(count!.replaceAll(',', ''))).toBe(10_000);
    expect(out.length - marker.length - 2 + Number(bytes!.replaceAll(',', ''))).toBe(lines.join('\n').length);
    // every kept line is a whole line of the input
    for (const l of kept) if (l !== marker) expect(lines).toContain(l);
    expect(out.length).toBeLessThan(1300);
  });

  it('cut twice, it keeps one marker that counts everything left out', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i + 1}`);
    const twice = capText(capText(lines.join('\n'), 4000), 1000);
    const markers = twice.split('\n').filter((l) => l.startsWith('[… '));
    expect(markers).toHaveLength(1);
    const kept = twice.split('\n').length - 1;
    expect(kept + Number(/\(([\d,]+) lines/.exec(markers[0]!)![1]!.replaceAll(',', ''))).toBe(10_000);
  });

  it('cuts a single huge line too', () => {
    const out = capText('x'.repeat(100_000), 1000);
    expect(out.length).toBeLessThan(1300);
    expect(out).toContain('left out');
  });
});

describe('capResult', () => {
  it('caps outputs and diffs of every command', () => {
    const big = Array.from({ length: 200_000 }, (_, i) => `row ${i}`).join('\n');
    const r: BlockResult = {
      id: 'b', file: 'f.mdx', line: 1, hash: 'h', status: 'fail', attempts: 1, durationMs: 1, bindings: {}, at: '',
      commands: [{ command: 'seq', ran: 'seq', exitCode: 0, output: big, durationMs: 1, timedOut: false, ok: false, diff: big.split('\n').map((text) => ({ op: '+' as const, text })) }],
    };
    const c = capResult(r).commands[0]!;
    expect(c.output.length).toBeLessThan(STORE_CAP + 300);
    expect(c.diff!.length).toBe(401);
    expect(c.diff!.at(-1)!.text).toBe('[… 199,600 more diff lines left out]');
    expect(capDiff(c.diff!.slice(0, 3))).toHaveLength(3);
  });
});
