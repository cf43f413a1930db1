import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bindCapture } from '../../src/match/bind-capture.ts';
import { compileLine, compileParts, type Part } from '../../src/match/compile-line.ts';
import { matchLine } from '../../src/match/match-line.ts';
import { Bindings } from '../../src/normalise/bindings.ts';
import { MARKED_CLASS, type VolatileClass } from '../../src/normalise/classes.ts';
import { withFlag } from '../../src/normalise/scan-plan.ts';
import { tokenizeLine, type NormaliseContext } from '../../src/normalise/tokenize.ts';
import { fixtureLines, lineArb } from '../normalise/corpus.ts';
import { contextOf } from '../normalise/fixtures.ts';

// Compiled parts are made straight from the tokenizer's scan. The reference makes them the way
// they were first made: tokenize the line, then turn every token into a part, looking its class
// up by name. Both must give the same parts for every line and context.
function compilePartsReference(text: string, ctx: NormaliseContext): Part[] {
  const parts: Part[] = [];
  for (const t of tokenizeLine(text, ctx, { expected: true })) {
    if (t.marked) {
      parts.push({ kind: 'mark', start: t.start, text: t.text, spaced: /\s/.test(t.text) });
    } else if (t.cls !== undefined) {
      const cls = ctx.classes.find((c) => c.name === t.cls) ?? MARKED_CLASS;
      const re = cls.matcherFor?.(t.text) ?? cls.pattern;
      parts.push({ kind: 'vol', start: t.start, text: t.text, cls, sticky: withFlag(re, 'y') });
    } else {
      parts.push({ kind: 'lit', start: t.start, text: t.text });
    }
  }
  return parts;
}

/** A part as compared: the class by identity, the matcher by identity, parts only if given. */
function view(p: Part): unknown[] {
  if (p.kind === 'vol') return [p.kind, p.start, p.text, p.cls, p.sticky];
  return p.kind === 'mark' ? [p.kind, p.start, p.text, p.spaced] : [p.kind, p.start, p.text];
}

function check(text: string, ctx: NormaliseContext): void {
  const fast = compileParts(text, ctx);
  const reference = compilePartsReference(text, ctx);
  expect(fast.map(view), text).toEqual(reference.map(view));
  // The parts a volatile part carries are its class's parts of its text.
  for (const p of fast) if (p.kind === 'vol' && p.parts !== undefined) expect(p.parts, text).toEqual(p.cls.partsOf!(p.text));
}

const labClasses: VolatileClass[] = contextOf({
  volatile: [
    { name: 'port', pattern: '3\\d{4}' },
    { name: 'sep-chain', pattern: 'KUBE-SEP-[A-Z2-7]{16}' },
    { name: 'colon', pattern: ':\\d+' },
  ],
}).classes;
const contexts: Record<string, NormaliseContext> = {
  'built-ins': contextOf(),
  'with pins': contextOf({ pin: ['10.96.0.10', '10.0.0.1', '5746f499f', 'fe80::1', 'KUBE-SEP-FFKEUBR5SKHPYVCQ', '0.0.0.0'] }),
  'with lab classes': contextOf({ pin: ['10.96.0.10'], volatile: [{ name: 'lab', pattern: '[0-9]+' }, { name: 'age', pattern: '\\d+x', bind: false }, 'port', 'count'] }),
  // Two classes of one name (a context made by hand): a token of the second is looked up by name.
  'two classes of one name': { classes: [...labClasses, { ...labClasses[0]!, pattern: /4\d{4}/g }], pins: new Set(['30000']) },
};
const MARKERS = ['[[0.5]]', '[[ ]]', '[[a b]]', '[[', ']]', '[[10.0.0.1]]', ' [[x]]  '];
const expectedLineArb = fc.array(fc.oneof({ weight: 3, arbitrary: lineArb }, { weight: 1, arbitrary: fc.constantFrom(...MARKERS) }), { maxLength: 4 }).map((p) => p.join(''));

describe('compiled parts agree with parts made from tokens', () => {
  const corpus = fixtureLines();
  for (const [name, ctx] of Object.entries(contexts)) {
    it(`on every fixture line (${name})`, () => {
      for (const line of corpus) check(line, ctx);
    });
    it(`on generated lines with markers (${name})`, () => {
      fc.assert(
        fc.property(expectedLineArb, (line) => check(line, ctx)),
        { numRuns: 3000 },
      );
    });
  }

  it('literal text split by a pinned value is one part, as the tokens have it', () => {
    const ctx = contextOf({ pin: ['10.0.0.1'] });
    const parts = compileParts('to 10.0.0.1 from 10.0.0.2', ctx);
    expect(parts.map((p) => [p.kind, p.start, p.text])).toEqual([
      ['lit', 0, 'to 10.0.0.1 from '],
      ['vol', 17, '10.0.0.2'],
    ]);
  });
});

describe('a capture binds the same with the parts its compiled line carries', () => {
  // Actual lines: the expected line with its digits and hex letters shifted, so tokens keep their
  // shapes but stand for other values (and sometimes for a value another token already took).
  const shift = (line: string, by: number) => line.replace(/[0-9a-f]/g, (c) => '0123456789abcdef'[(parseInt(c, 16) + by) % 16]!);
  for (const [name, ctx] of Object.entries(contexts)) {
    it(`bindings and conflicts agree (${name})`, () => {
      fc.assert(
        fc.property(fc.array(expectedLineArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(15), { minLength: 6, maxLength: 6 }), (lines, shifts) => {
          const withParts = new Bindings();
          const fromText = new Bindings();
          lines.forEach((text, k) => {
            const cl = compileLine(text, k + 1, k, ctx);
            const m = matchLine(cl, shift(text, shifts[k]!));
            if (!m.ok) return;
            for (const cap of m.caps) {
              const a = bindCapture(withParts, cap, 'x');
              const b = bindCapture(fromText, { ...cap, exampleParts: undefined }, 'x');
              expect(a, text).toEqual(b);
            }
          });
          expect(withParts.toJSON()).toEqual(fromText.toJSON());
        }),
        { numRuns: 1500 },
      );
    });
  }
});
