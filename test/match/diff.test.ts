import { describe, expect, it } from 'vitest';
import { renderDiff } from '../../src/match/diff.ts';
import type { DiffLine } from '../../src/model/result.ts';

const diff: DiffLine[] = [
  { op: '=', text: 'NAME   READY   STATUS', line: 13 },
  { op: '~', text: 'web    1/1     Running   10.0.0.128', line: 14, notes: ['10.0.0.128 → 10.244.0.7 (IP address, bound earlier at 01-pods.mdx:40)'] },
  { op: '-', text: 'client 1/1     Running', line: 15, notes: ['column 8: expected "1/1", got "0/1"'] },
  { op: '+', text: 'client 0/1     Pending' },
];

describe('renderDiff', () => {
  it('prefixes each line with its op and source location, notes indented below', () => {
    expect(renderDiff(diff, { color: false, file: '02-pods.mdx' }).split('\n')).toEqual([
      '  02-pods.mdx:13  NAME   READY   STATUS',
      '~ 02-pods.mdx:14  web    1/1     Running   10.0.0.128',
      '                  ↳ 10.0.0.128 → 10.244.0.7 (IP address, bound earlier at 01-pods.mdx:40)',
      '- 02-pods.mdx:15  client 1/1     Running',
      '                  ↳ column 8: expected "1/1", got "0/1"',
      '+                 client 0/1     Pending',
    ]);
  });

  it('colours only when asked', () => {
    expect(renderDiff(diff, { color: false, file: 'x.mdx' })).not.toContain('\x1b[');
    // picocolors disables itself without a TTY unless forced; check the shape, not the codes.
    const coloured = renderDiff(diff, { color: true, file: 'x.mdx' });
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderDiff(diff, { color: false, file: 'x.mdx' }));
  });

  it('folds long runs of equal lines around changes', () => {
    const long: DiffLine[] = [
      ...Array.from({ length: 20 }, (_, k) => ({ op: '=' as const, text: `line ${k + 1}`, line: k + 1 })),
      { op: '-', text: 'missing', line: 21 },
      ...Array.from({ length: 20 }, (_, k) => ({ op: '=' as const, text: `line ${k + 22}`, line: k + 22 })),
    ];
    const out = renderDiff(long, { color: false, file: 'f.mdx' }).split('\n');
    expect(out).toHaveLength(9);
    expect(out.slice(1, 8)).toEqual([
      '  f.mdx:18  line 18',
      '  f.mdx:19  line 19',
      '  f.mdx:20  line 20',
      '- f.mdx:21  missing',
      '  f.mdx:22  line 22',
      '  f.mdx:23  line 23',
      '  f.mdx:24  line 24',
    ]);
    expect(out[0]).toMatch(/^ +… 17 matching lines$/);
    expect(out[8]).toMatch(/^ +… 17 matching lines$/);
  });
});

describe('renderDiff of a very long diff', () => {
  it('does not overflow the stack', () => {
    const long: DiffLine[] = Array.from({ length: 300_000 }, (_, k) => ({ op: '+', text: `line ${k}` }));
    expect(renderDiff(long, { color: false, file: 'x.mdx' }).split('\n')).toHaveLength(300_000);
  });
});
