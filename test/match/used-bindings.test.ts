import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keysOf } from '../../src/match/bind-capture.ts';
import { compileLine } from '../../src/match/compile-line.ts';
import { matchOutput } from '../../src/match/compare.ts';
import { matchLine } from '../../src/match/match-line.ts';
import { Bindings } from '../../src/normalise/bindings.ts';
import { buildContext } from '../../src/normalise/context.ts';
import { lineArb } from '../normalise/corpus.ts';

// A match reports the bindings of the run it relied on (`used`). With a single possible alignment
// it records them as it binds, from the fork's own entries; this must be exactly what looking every
// captured value up in the run's bindings gives.
const ctx = buildContext({ pin: ['10.96.0.10'] });
const shift = (line: string, by: number) => line.replace(/[0-9a-f]/g, (c) => '0123456789abcdef'[(parseInt(c, 16) + by) % 16]!);

/** `used` the slow way: every key of every capture that the run's bindings hold. */
function usedReference(expected: string[], actual: string[], run: Bindings): Record<string, string> {
  const used: Record<string, string> = {};
  expected.forEach((text, k) => {
    const m = matchLine(compileLine(text, k + 1, k, ctx), actual[k]!);
    if (m.ok) for (const cap of m.caps) for (const key of keysOf(cap)) if (run.has(key)) used[key] = run.get(key)!;
  });
  return used;
}

describe('the bindings a match relied on', () => {
  it('are those of its captures the run already held', () => {
    let compared = 0;
    let relied = 0;
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 5 }), fc.nat(5), fc.nat(15), fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), (lines, again, by, earlier) => {
        // Some lines come twice: their values are bound by this match, then agreed with.
        const expected = [...lines, ...lines.slice(0, again)].map((l) => l.trim()).filter((l) => l !== '' && l !== '...');
        if (expected.length === 0) return;
        const actual = expected.map((l) => shift(l, by));
        // The run so far: an earlier block matched some of the same lines.
        const run = new Bindings();
        run.pinValues(ctx.pins);
        const before = expected.map((l, k) => [l, actual[k]!] as const).filter((_, k) => earlier[k]);
        for (const [e, a] of before) {
          const r = matchOutput({ expected: [{ text: e, line: 1 }], actual: [a], mode: 'exact', bindings: run, ctx });
          if (r.ok) run.adopt(r.bindings);
        }
        const r = matchOutput({ expected: expected.map((text, k) => ({ text, line: k + 1 })), actual, mode: 'exact', bindings: run, ctx });
        if (!r.ok) return;
        compared++;
        const reference = usedReference(expected, actual, run);
        if (Object.keys(reference).length > 0) relied++;
        expect(r.used).toEqual(reference);
      }),
      { numRuns: 2000 },
    );
    // The cases compared include many that relied on earlier bindings.
    expect(compared).toBeGreaterThan(100);
    expect(relied).toBeGreaterThan(50);
  });

  it('leave out values the match itself bound and then met again', () => {
    const run = new Bindings();
    run.pinValues(ctx.pins);
    const first = matchOutput({ expected: [{ text: 'via 10.0.0.9', line: 1 }], actual: ['via 10.1.0.9'], mode: 'exact', bindings: run, ctx });
    run.adopt(first.bindings);
    const r = matchOutput({
      expected: [{ text: 'a 10.0.0.1 via 10.0.0.9', line: 1 }, { text: 'b 10.0.0.1', line: 2 }],
      actual: ['a 10.0.0.2 via 10.1.0.9', 'b 10.0.0.2'],
      mode: 'exact',
      bindings: run,
      ctx,
    });
    expect(r.ok).toBe(true);
    expect(r.used).toEqual({ '10.0.0.9': '10.1.0.9' });
  });
});
