import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PageLines } from '../../src/parse/page-lines.ts';

describe('PageLines', () => {
  it('reads the lines that splitting at newlines gives', () => {
    const text = fc.array(fc.oneof(fc.constantFrom('\n', '\n', '\r\n', '\r', '```', ''), fc.string({ maxLength: 5 })), { maxLength: 20 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: -2, max: 25 }), fc.integer({ min: -2, max: 25 }), (t, a, b) => {
        const split = t.split('\n');
        const lines = new PageLines(t);
        expect(lines.length).toBe(split.length);
        split.forEach((line, k) => {
          expect(lines.at(k)).toBe(line);
          expect(t.slice(lines.start(k), lines.end(k))).toBe(line);
        });
        expect(lines.at(-1)).toBeUndefined();
        expect(lines.at(split.length)).toBeUndefined();
        expect(lines.slice(a, b)).toEqual(split.slice(Math.max(0, a), Math.max(0, b)));
      }),
      { numRuns: 3000 },
    );
  });
});
