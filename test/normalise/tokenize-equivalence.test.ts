import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CLASSES } from '../../src/normalise/classes.ts';
import type { VolatileClass } from '../../src/normalise/classes/types.ts';
import { tokenizeLine } from '../../src/normalise/tokenize.ts';
import { fixtureLines, lineArb } from './corpus.ts';
import { contextOf } from './fixtures.ts';
import { tokenizeLineReference } from './reference-tokenize.ts';

// The tokenizer walks a line once and tries the built-in classes only where `starts` lets them
// start; lab classes are searched. The reference searches every class: both must agree.
const contexts = {
  'built-ins': contextOf(),
  'with pins': contextOf({ pin: ['10.96.0.10', '10.0.0.1', '5746f499f', 'fe80::1', 'KUBE-SEP-FFKEUBR5SKHPYVCQ'] }),
  'with lab classes': contextOf({
    pin: ['10.96.0.10'],
    volatile: [
      { name: 'port', pattern: '3\\d{4}' },
      { name: 'lab', pattern: '[0-9]+' },
      { name: 'sep-chain', pattern: 'KUBE-SEP-[A-Z2-7]{16}' },
      { name: 'colon', pattern: ':\\d+' },
      { name: 'age', pattern: '\\d+x', bind: false },
    ],
  }),
};

describe('tokenizeLine agrees with the searching reference', () => {
  const corpus = fixtureLines();

  for (const [name, ctx] of Object.entries(contexts)) {
    it(`on every fixture line (${name})`, () => {
      for (const line of corpus) {
        for (const expected of [true, false]) expect(tokenizeLine(line, ctx, { expected }), line).toEqual(tokenizeLineReference(line, ctx, { expected }));
      }
    });

    it(`on generated lines (${name})`, () => {
      fc.assert(
        fc.property(lineArb, fc.boolean(), (line, expected) => {
          expect(tokenizeLine(line, ctx, { expected })).toEqual(tokenizeLineReference(line, ctx, { expected }));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('when the class list is edited after use', () => {
    const ctx = contextOf();
    const line = 'web-5746f499f-qzjjq 10.0.0.1 18s';
    expect(tokenizeLine(line, ctx)).toEqual(tokenizeLineReference(line, ctx));
    ctx.classes.splice(ctx.classes.findIndex((c) => c.name === 'ipv4'), 1);
    expect(tokenizeLine(line, ctx)).toEqual(tokenizeLineReference(line, ctx));
    expect(tokenizeLine(line, ctx).some((t) => t.cls === 'ipv4')).toBe(false);
  });
});

/** Whether a class's `starts` lets a token start at `q` (the contract of `VolatileClass.starts`). */
function startsAccepts(cls: VolatileClass, line: string, q: number): boolean {
  const s = cls.starts!;
  const c = line[q]!;
  const next = line[q + 1];
  const pairOk = s.pairs.some(([a, b]) => a.includes(c) && (next === undefined || next.charCodeAt(0) >= 128 || b.includes(next)));
  const before = line[q - 1];
  const beforeOk = before === undefined || ((s.afterWord || !/\w/.test(before)) && !(s.notAfter ?? '').includes(before));
  return pairOk && beforeOk && (s.test?.(line, q) ?? true);
}

describe('built-in classes say where their tokens can start', () => {
  for (const cls of BUILTIN_CLASSES) {
    it(`${cls.name}: wherever the pattern matches, starts accepts`, () => {
      expect(cls.starts).toBeDefined();
      const sticky = new RegExp(cls.pattern.source, 'y');
      const check = (line: string) => {
        for (let q = 0; q < line.length; q++) {
          sticky.lastIndex = q;
          const m = sticky.exec(line);
          if (m && m[0].length > 0) expect(startsAccepts(cls, line, q), `${JSON.stringify(line)} at ${q}: ${m[0]}`).toBe(true);
        }
      };
      fixtureLines().forEach(check);
      fc.assert(fc.property(lineArb, check), { numRuns: 3000 });
    });
  }
});
