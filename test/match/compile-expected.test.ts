import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalLine, compileExpected, isElision } from '../../src/match/compile-line.ts';
import { buildContext } from '../../src/normalise/context.ts';
import { normaliseLine, normaliseLines, normaliseOutput } from '../../src/normalise/normalise.ts';

const ctx = buildContext();
// Lines near the shortcuts' edges: elisions with all kinds of whitespace around them, almost
// elisions, ANSI colours, carriage returns, trailing blanks.
const piece = fc.constantFrom('...', '..', '.', ' ', '\t', '\u00a0', '\u2003', '\ufeff', '\r', '\x1b[32m', '\x1b[0m', 'x', '10.0.0.1', '\v', '\u200b', '');
const line = fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 6 }).map((a) => a.join(''));

describe('compiling expected lines', () => {
  it('finds `...` lines exactly as trimming would', () => {
    fc.assert(
      fc.property(line, (text) => {
        expect(isElision(text)).toBe(text.trim() === '...');
      }),
      { numRuns: 5000 },
    );
    for (const t of ['...', ' ...\t', '\u3000...\ufeff', '....', '... .', '.. .', '…', '\u200b...']) expect(isElision(t), JSON.stringify(t)).toBe(t.trim() === '...');
  });

  it('normalises and trims lines as normalising each line and dropping blank ends does', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (texts) => {
        const compiled = compileExpected(
          texts.map((text, k) => ({ text, line: k + 10 })),
          ctx,
        );
        const norm = texts.map(normaliseLine);
        let a = 0;
        let b = norm.length;
        while (a < b && norm[a] === '') a++;
        while (b > a && norm[b - 1] === '') b--;
        expect(compiled.map((l) => [l.text, l.line, l.index, l.elision])).toEqual(norm.slice(a, b).map((t, k) => [t, a + k + 10, k, t.trim() === '...']));
        for (const l of compiled) if (l.elision) expect(l.parts).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('normaliseLines gives what mapping normaliseLine gives, and the same array when nothing changes', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const got = normaliseLines(lines);
        expect(got).toEqual(lines.map(normaliseLine));
        if (lines.every((l) => normaliseLine(l) === l)) expect(got).toBe(lines);
        else expect(got).not.toBe(lines);
      }),
      { numRuns: 2000 },
    );
    const input = ['ok', 'red \x1b[31mtext\x1b[0m  ', 'done'];
    expect(normaliseLines(input)).toEqual(['ok', 'red text', 'done']);
    expect(input[1]).toBe('red \x1b[31mtext\x1b[0m  ');
    expect(normaliseOutput('\n\na  \nb\r\n\n')).toEqual(['a', 'b']);
  });

  it('hands out line views that agree with the list, keep parts by position and leave the source alone', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (texts) => {
        const expected = texts.map((text, k) => ({ text, line: k + 10 }));
        const before = JSON.stringify(expected);
        const compiled = compileExpected(expected, ctx);
        const views = compiled.map((l) => l);
        expect(views.map((l, k) => [l.index, l.line, l.text, l.elision])).toEqual(
          Array.from({ length: compiled.length }, (_, k) => [k, compiled.lineAt(k), compiled.textAt(k), compiled.elisionAt(k)]),
        );
        expect([...compiled].map((l) => l.index)).toEqual(views.map((l) => l.index));
        expect(compiled.filter((l) => l.elision).map((l) => l.index)).toEqual(views.filter((l) => l.elision).map((l) => l.index));
        expect(compiled.hasElision).toBe(views.some((l) => l.elision));
        expect(compiled.at(compiled.length)).toBeUndefined();
        expect(compiled.at(-1)).toBeUndefined();
        for (let k = 0; k < compiled.length; k++) {
          // Parts made for the moment equal the kept ones, from any view of the line.
          const once = compiled.transientPartsAt(k);
          const kept = compiled.at(k)!.parts;
          expect(once).toEqual(kept);
          expect(compiled.at(k)!.transientParts()).toEqual(kept);
          expect(compiled.at(k)!.canon).toBe(compiled.elisionAt(k) || kept.some((p) => p.kind !== 'lit') ? undefined : canonicalLine(compiled.textAt(k)));
          if (compiled.elisionAt(k)) expect(kept).toEqual([]);
        }
        // Normalised texts live in the list; the expected lines are not changed.
        expect(JSON.stringify(expected)).toBe(before);
      }),
      { numRuns: 1000 },
    );
  });
});
