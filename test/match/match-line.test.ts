import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLine } from '../../src/match/compile-line.ts';
import { matchLine, matchLiteral } from '../../src/match/match-line.ts';
import { fixtureLines, lineArb } from '../normalise/corpus.ts';
import { contextOf } from '../normalise/fixtures.ts';

/** `matchLiteral` without its fast path: characters equal, whitespace runs equal by kind (any kind before a number). */
function matchLiteralSlowly(t: string, a: string, p: number): number {
  let i = 0;
  while (i < t.length) {
    const c = t[i]!;
    if (c !== ' ' && c !== '\t') {
      if (a[p] !== c) return -1;
      i++;
      p++;
      continue;
    }
    let e = i;
    while (t[e] === ' ' || t[e] === '\t') e++;
    let q = p;
    while (a[q] === ' ' || a[q] === '\t') q++;
    const wide = (run: string) => run.includes('\t') || run.length >= 2;
    // Before a number (in the actual text, and in the expected text unless the run ends it) a run of either kind will do.
    const beforeNumber = /\d/.test(a[q] ?? '') && (e === t.length || /\d/.test(t[e]!));
    if (q === p || (wide(t.slice(i, e)) !== wide(a.slice(p, q)) && !beforeNumber)) return -1;
    i = e;
    p = q;
  }
  return p;
}

describe('matchLiteral', () => {
  const text = fc.string({ unit: fc.constantFrom(' ', ' ', '\t', 'a', 'b', '1'), maxLength: 10 });

  it('agrees with the plain character loop (its fast path takes equal text)', () => {
    fc.assert(
      fc.property(text, text, text, (t, before, after) => {
        for (const a of [before + t + after, before + t.replace(/ +/g, '  ') + after, before + t.replace(/[ \t]+/g, ' ') + after]) {
          for (let p = 0; p <= a.length; p++) expect(matchLiteral(t, a, p), JSON.stringify([t, a, p])).toBe(matchLiteralSlowly(t, a, p));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('compiled lines', () => {
  const ctx = contextOf({ pin: ['10.96.0.10'] });

  it('give the same parts whether kept or computed for one use', () => {
    const check = (line: string) => {
      const kept = compileLine(line, 1, 0, ctx);
      const once = compileLine(line, 1, 0, ctx);
      expect(once.transientParts()).toEqual(kept.parts);
      expect(matchLine(once, line, once.transientParts())).toEqual(matchLine(kept, line));
    };
    fixtureLines().forEach(check);
    fc.assert(fc.property(lineArb, check), { numRuns: 500 });
  });
});
