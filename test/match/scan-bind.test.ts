import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlignContext } from '../../src/match/align-context.ts';
import { compileExpected } from '../../src/match/compile-line.ts';
import { matchOutput } from '../../src/match/compare.ts';
import { Bindings } from '../../src/normalise/bindings.ts';
import type { NormaliseContext } from '../../src/normalise/tokenize.ts';
import { contextOf } from '../normalise/fixtures.ts';

// A search that keeps no parts (one anchored alignment: most blocks, and every large output)
// matches and binds each line in one walk of the tokenizer (`scanBindLine`). A caching search
// matches the same line from its compiled parts and then binds the captures. Both must agree on
// everything: the outcome, the conflict, the bindings made and relied on, the steps counted.

/** Values of one kind: an actual line takes a sibling where the expected line has one. */
const KINDS: string[][] = [
  ['10.0.0.1', '10.0.0.2', '10.96.0.10', '10.244.1.7', '127.0.0.1', '0.0.0.0'],
  ['10.0.0.1:80', '10.0.0.2:8080', '10.96.0.10:53', '0.0.0.0/0', '10.0.0.0/8'],
  ['web-5746f499f-qzjjq', 'web-5746f499f-x7b9k', 'web-6c8f9d4b7-2kq8z', 'api-7cb97cfdd9-5gp4t', 'cilium-5gp4t'],
  ['KUBE-SEP-FFKEUBR5SKHPYVCQ', 'KUBE-SEP-RYQJBQ5TR32XWAUN', 'KUBE-SVC-FFKEUBR5SKHPYVCQ'],
  ['18s', '4m29s', '2d3h', '0.5 ms', '2 (5m22s ago)'],
  ['fe80::1/64', 'fd00::5', '[fd00::1]:53', '42:a5:ba:f7:76:97', '42:a5:ba:f7:76:98'],
  ['sha256:d9d4c7759175db31', 'sha256:0123456789abcdef', '8b1b7c6e-3f0a-4e8e-9d2c-5b8a1f0e7d3c'],
  ['2022-05-17T11:15:04Z', '2023-01-02T03:04:05Z', '09:46:05'],
  ['Running', 'Pending', 'kind-control-plane', 'all', '--', '<none>', '1/1', '0'],
  [' ', '  ', '\t', ' '],
  ['=', ':', ',', '/', '-', '.', '(', ')'],
];

const piece = fc.tuple(fc.nat(KINDS.length - 1), fc.nat(50), fc.nat(50), fc.double({ min: 0, max: 1, noNaN: true }));
/** An expected line and an actual line of (often) the same shape, made of the same kinds of pieces. */
const pairArb = fc.array(piece, { minLength: 1, maxLength: 10 }).map((ps) => {
  let exp = '';
  let act = '';
  for (const [kind, e, a, r] of ps) {
    const values = KINDS[kind]!;
    exp += values[e % values.length]!;
    // Mostly a sibling, sometimes the same value, rarely a value of another kind.
    act += r < 0.1 ? KINDS[(kind + 1) % KINDS.length]![a % 4]! : r < 0.4 ? values[e % values.length]! : values[a % values.length]!;
  }
  return { exp: exp.trim(), act: act.trim() };
});

/** Bindings the run made before: some examples already stand for some values. */
const priorArb = fc.array(fc.tuple(fc.nat(KINDS.length - 1), fc.nat(50), fc.nat(50)), { maxLength: 4 }).map((ps) => {
  const b = new Bindings();
  for (const [kind, e, a] of ps) {
    const values = KINDS[kind]!;
    b.tryBind(values[e % values.length]!, values[a % values.length]!, 'prior', 'earlier.md:1');
  }
  return b;
});

const contexts: Record<string, NormaliseContext> = {
  'built-ins': contextOf(),
  'with pins': contextOf({ pin: ['10.96.0.10', '127.0.0.1', '0.0.0.0', 'web-5746f499f-qzjjq'] }),
  'with lab classes': contextOf({ pin: ['10.96.0.10'], volatile: [{ name: 'sep-chain', pattern: 'KUBE-SEP-[A-Z2-7]{16}' }, 'port', 'count'] }),
  // A lab pattern that also matches nothing: an actual line must still hold a value there.
  'with a pattern that can match nothing': contextOf({ volatile: [{ name: 'digits', pattern: '[0-9]*' }] }),
};

/** Binds lines `0..n-1` pairwise in one context, as a search would, and reports everything it did. */
function bindAll(lines: { exp: string; act: string }[], prior: Bindings, ctx: NormaliseContext, caching: boolean) {
  const exp = compileExpected(
    lines.map((l, k) => ({ text: l.exp, line: k + 1 })),
    ctx,
  );
  const ac = new AlignContext(exp, lines.map((l) => l.act), prior.fork(), (i) => `page.md:${i + 1}`, prior);
  ac.caching = caching;
  ac.fingerprinting = true;
  ac.usedLog = {};
  const outcomes: unknown[] = [];
  const mark = ac.bindings.mark();
  for (let k = 0; k < exp.length; k++) {
    ac.lastConflict = undefined;
    outcomes.push([ac.bindLine(k, k), ac.lastConflict]);
  }
  const made = ac.bindings.madePairs();
  const state = { outcomes, made: [made.examples, made.actuals], all: ac.bindings.toJSON(), used: ac.usedLog, fp: [ac.fpA, ac.fpB], steps: ac.steps };
  ac.bindings.undo(mark);
  return state;
}

describe('matching a line from its scan agrees with matching its parts', () => {
  for (const [name, ctx] of Object.entries(contexts)) {
    it(`on generated lines and prior bindings (${name})`, () => {
      fc.assert(
        fc.property(fc.array(pairArb, { minLength: 1, maxLength: 4 }), priorArb, (lines, prior) => {
          expect(bindAll(lines, prior, ctx, false)).toEqual(bindAll(lines, prior, ctx, true));
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('finds the conflicts and mismatches it is meant to, not only agreements', () => {
    const ctx = contextOf();
    const prior = new Bindings();
    prior.tryBind('10.0.0.1', '10.9.9.9', 'ipv4', 'earlier.md:1');
    const cases = [
      { exp: 'pod web-5746f499f-qzjjq at 10.0.0.1', act: 'pod web-6c8f9d4b7-2kq8z at 10.9.9.9' },
      { exp: 'pod web-5746f499f-qzjjq at 10.0.0.1', act: 'pod web-6c8f9d4b7-2kq8z at 10.9.9.8' },
      { exp: 'pod web-5746f499f-qzjjq at 10.0.0.1 up', act: 'pod web-6c8f9d4b7-2kq8z at 10.9.9.8 down' },
      { exp: 'a  b 10.0.0.1', act: 'a b 10.9.9.9' },
    ];
    const outcomes = cases.map((c) => bindAll([c], prior, ctx, false).outcomes[0] as [boolean, { conflict?: { kind: string } } | undefined]);
    expect(outcomes.map(([ok, c]) => [ok, c?.conflict?.kind])).toEqual([
      [true, undefined],
      [false, 'example-bound'],
      // The shape fails after the conflict: a mismatch, as matching the parts first says.
      [false, undefined],
      [false, undefined],
    ]);
    for (const c of cases) expect(bindAll([c], prior, ctx, false)).toEqual(bindAll([c], prior, ctx, true));
  });

  it('a wrong value still fails a whole match made line by line', () => {
    const ctx = contextOf({ pin: ['10.96.0.10'] });
    const expected = ['web-5746f499f-qzjjq 10.0.0.1 Running', 'web-5746f499f-x7b9k 10.0.0.2 Running', 'dns 10.96.0.10:53', 'again web-5746f499f-qzjjq 10.0.0.1'];
    const good = ['web-6c8f9d4b7-2kq8z 10.1.0.1 Running', 'web-6c8f9d4b7-4dvbn 10.1.0.2 Running', 'dns 10.96.0.10:53', 'again web-6c8f9d4b7-2kq8z 10.1.0.1'];
    const run = (actual: string[]) => matchOutput({ expected: expected.map((text, k) => ({ text, line: k + 1 })), actual, mode: 'exact', bindings: new Bindings(), ctx });
    expect(run(good).ok).toBe(true);
    for (const [k, wrong] of [
      [3, 'again web-6c8f9d4b7-2kq8z 10.1.0.2'],
      [3, 'again web-6c8f9d4b7-4dvbn 10.1.0.1'],
      [2, 'dns 10.96.0.11:53'],
      [1, 'web-6c8f9d4b7-4dvbn 10.1.0.1 Running'],
      [0, 'web-6c8f9d4b7-2kq8z 10.1.0.1 Pending'],
    ] as const) {
      const actual = good.slice();
      actual[k] = wrong;
      expect(run(actual).ok, wrong).toBe(false);
    }
  });
});

describe('matching a huge line from its scan', () => {
  it('binds every value of a line with thousands of tokens, then matches short lines as before', () => {
    const ctx = contextOf();
    const n = 3000;
    const exp = Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join(' ');
    const act = Array.from({ length: n }, (_, i) => `10.1.${i >> 8}.${i & 255}`).join(' ');
    const lines = [{ exp, act }, { exp: 'web-5746f499f-qzjjq 10.0.0.1', act: 'web-6c8f9d4b7-2kq8z 10.1.0.1' }];
    const walked = bindAll(lines, new Bindings(), ctx, false);
    expect(walked).toEqual(bindAll(lines, new Bindings(), ctx, true));
    expect(walked.outcomes.map((o) => (o as unknown[])[0])).toEqual([true, true]);
    expect((walked.made[0] as string[]).length).toBe(n + 2);
  });
});
