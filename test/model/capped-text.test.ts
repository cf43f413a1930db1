import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CappedText, capText } from '../../src/model/cap-output.ts';

// A session keeps only the first and last halves of what a command prints; the text it then
// gives must be exactly what cutting the whole output would give.
describe('CappedText', () => {
  const chunk = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\n', ' ', '1'), maxLength: 40 });

  it('gives what capText gives for the whole stream, however it is chunked', () => {
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 40 }), fc.integer({ min: 4, max: 120 }), (chunks, limit) => {
        const c = new CappedText(limit);
        for (const x of chunks) c.push(x);
        expect(c.text()).toBe(capText(chunks.join(''), limit));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps memory to the limit: a million lines leave a short text with exact counts', () => {
    const c = new CappedText(1024);
    for (let k = 0; k < 1_000_000; k++) c.push(`line ${k}\n`);
    const text = c.text();
    expect(text.length).toBeLessThan(1200);
    expect(text).toMatch(/^line 0\n/);
    expect(text).toMatch(/line 999999\n$/);
    expect(text).toMatch(/\[… [\d,]+ bytes \([\d,]+ lines\) of output left out; the first and last 512 B are kept …\]/);
  });
});
