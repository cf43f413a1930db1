import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchOutput, type MatchInput, type MatchResult } from '../../src/match/compare.ts';
import type { OutputMode } from '../../src/model/block.ts';
import { Bindings } from '../../src/normalise/bindings.ts';
import { normaliseOutput } from '../../src/normalise/normalise.ts';
import { contextOf } from '../normalise/fixtures.ts';

const ctx = contextOf({});
const lines = (text: string) => text.split('\n').map((t, k) => ({ text: t, line: 1 + k }));

/** What a result says, read through its public fields (lazy ones included). */
const said = (r: MatchResult) => ({ ok: r.ok, made: r.made, madePairs: r.madePairs, used: r.used, diff: r.diff, reason: r.reason, bound: [...r.bindings.entries()] });

describe('matchOutput on lines the runner already normalised', () => {
  // Raw output as a shell prints it: CRLF, redraws, colour, trailing blanks, blank lines around.
  const piece = fc.constantFrom('pod', 'web', '10.0.0.7', '10.0.0.7:80', 'Running', '3m', ' ', '  ', '\t', '\r', '\x1b[32m', '\x1b[0m', '\r\n', '\n', '\n\n', 'a1b2c3');
  const raw = fc.array(piece, { maxLength: 24 }).map((ps) => ps.join(''));
  const mode = fc.constantFrom<OutputMode>('exact', 'contains', 'unordered');

  it('gives what normalising them again gives, passing and failing alike', () => {
    fc.assert(
      fc.property(raw, raw, mode, fc.boolean(), (printed, page, m, same) => {
        const actual = normaliseOutput(printed);
        // Half the cases expect what was printed (they should pass), half another output.
        const expected = lines(same ? actual.join('\n') : normaliseOutput(page).join('\n'));
        const input: MatchInput = { expected, actual, mode: m, bindings: new Bindings(), ctx, source: 'p.mdx' };
        const slow = matchOutput(input);
        const fast = matchOutput({ ...input, normalised: true });
        expect(said(fast)).toEqual(said(slow));
      }),
      { numRuns: 300 },
    );
  });

  it('still fails a drifted line and names it', () => {
    const r = matchOutput({ expected: lines('line 1\nline 2'), actual: normaliseOutput('line 1\nline 3\n'), normalised: true, mode: 'exact', bindings: new Bindings(), ctx, source: 'p.mdx' });
    expect(r.ok).toBe(false);
    expect(r.diff).toMatchObject([
      { op: '=', text: 'line 1' },
      { op: '-', text: 'line 2', line: 2 },
      { op: '+', text: 'line 3' },
    ]);
  });
});

describe('a successful match', () => {
  const run = () => matchOutput({ expected: lines('pod web at 10.0.0.7'), actual: ['pod web at 10.1.2.3'], mode: 'exact', bindings: new Bindings(), ctx, source: 'p.mdx' });

  it('has the fields of a plain object, the lazy ones enumerable and computed when read', () => {
    const r = run();
    expect(r.ok).toBe(true);
    expect(Object.keys(r)).toEqual(['ok', 'bindings', 'madePairs', 'used', 'made', 'diff']);
    for (const key of ['made', 'diff']) {
      const d = Object.getOwnPropertyDescriptor(r, key)!;
      expect(d.enumerable).toBe(true);
      expect(d.configurable).toBe(true);
    }
    expect(r.made).toEqual({ '10.0.0.7': '10.1.2.3' });
    expect(r.made).toBe(r.made);
    expect(r.diff).toMatchObject([{ op: '~', text: 'pod web at 10.0.0.7' }]);
    expect(r.diff).toBe(r.diff);
    // Serialised like a plain object with the same values.
    const plain = { ok: r.ok, bindings: r.bindings, madePairs: r.madePairs, used: r.used, made: r.made, diff: r.diff };
    expect(JSON.parse(JSON.stringify(r))).toEqual(JSON.parse(JSON.stringify(plain)));
    expect({ ...r }).toEqual(plain);
  });

  it('takes values set on its lazy fields', () => {
    const r = run();
    r.made = { a: 'b' };
    r.diff = [];
    expect(r.made).toEqual({ a: 'b' });
    expect(r.diff).toEqual([]);
  });
});
