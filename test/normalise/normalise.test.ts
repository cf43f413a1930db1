import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseLine, normaliseOutput } from '../../src/normalise/normalise.ts';
import { fixtureCases, has, readJson, readText } from './fixtures.ts';

describe('normaliseOutput fixtures', () => {
  for (const { name, dir } of fixtureCases('normalise').filter((c) => has(c.dir, 'input.txt'))) {
    it(name, () => {
      expect(normaliseOutput(readText(dir, 'input.txt'))).toEqual(readJson<string[]>(dir, 'expected.json'));
    });
  }
});

// Pieces that exercise every rule: escapes (complete, cut short, lone), redraws, blanks, tabs.
const piece = fc.oneof(
  fc.string(),
  fc.constantFrom('\x1b[31m', '\x1b[0m', '\x1b[K', '\x1b]0;title\x07', '\x1b]8;;http://x\x1b\\', '\x1b(B', '\x1b', '\x1b[', '\x1b]', '\r', '\r\n', '\n', '  ', '\t', ' ', '\x07', '\x00', '[[', 'web  10.0.0.1'),
);
const output = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

describe('normaliseOutput properties', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(output, (raw) => {
        const once = normaliseOutput(raw);
        expect(normaliseOutput(once.join('\n'))).toEqual(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves no escapes, carriage returns, trailing blanks or outer blank lines', () => {
    fc.assert(
      fc.property(output, (raw) => {
        const lines = normaliseOutput(raw);
        for (const l of lines) {
          expect(l).not.toMatch(/[\x1b\r\x00]|[ \t]$/);
          expect(normaliseLine(l)).toBe(l);
        }
        if (lines.length > 0) {
          expect(lines[0]).not.toBe('');
          expect(lines[lines.length - 1]).not.toBe('');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps text without special characters as it is, line by line', () => {
    const line = fc.string().map((s) => s.replace(/[\x00-\x1f\x7f]/g, '').trimEnd()).filter((s) => s !== '');
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), (lines) => {
        expect(normaliseOutput(lines.join('\n'))).toEqual(lines);
      }),
    );
  });
});
