import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchOutput } from '../../src/match/compare.ts';
import { Bindings } from '../../src/normalise/bindings.ts';
import { tokenizeLine, tokenizeLineShared } from '../../src/normalise/tokenize.ts';
import { fixtureLines, lineArb } from './corpus.ts';
import { contextOf } from './fixtures.ts';

// The remembered tokenizer must give exactly what a fresh tokenization gives, on first and on
// later reads, for plain and expected lines, and follow a context that was edited after use.
describe('tokenizeLineShared', () => {
  const ctx = contextOf({ pin: ['10.96.0.10'], volatile: [{ name: 'port', pattern: '3\\d{4}' }] });

  it('equals tokenizeLine on every fixture line, read twice', () => {
    for (const line of fixtureLines()) {
      for (const expected of [true, false]) {
        const fresh = tokenizeLine(line, ctx, { expected });
        expect(tokenizeLineShared(line, ctx, { expected }), line).toEqual(fresh);
        expect(tokenizeLineShared(line, ctx, { expected }), line).toEqual(fresh);
      }
    }
  });

  it('equals tokenizeLine on generated lines, in any order of plain and expected reads', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(lineArb, fc.boolean()), { maxLength: 6 }), (reads) => {
        for (const [line, expected] of [...reads, ...reads.reverse()]) {
          expect(tokenizeLineShared(line, ctx, { expected })).toEqual(tokenizeLine(line, ctx, { expected }));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps a marker on an expected line and plain text on the same plain line apart', () => {
    const line = 'ip [[10.0.0.7]] up';
    expect(tokenizeLineShared(line, ctx, { expected: true }).some((t) => t.marked)).toBe(true);
    expect(tokenizeLineShared(line, ctx).some((t) => t.marked)).toBe(false);
  });

  it('hands out frozen tokens, so no caller can change what another reads', () => {
    const tokens = tokenizeLineShared('web 10.0.0.128 18s', ctx);
    expect(Object.isFrozen(tokens)).toBe(true);
    expect(tokens.every((t) => Object.isFrozen(t))).toBe(true);
  });

  it('follows a context whose classes or pins were edited after use', () => {
    const edited = contextOf();
    const line = 'web-5746f499f-qzjjq 10.0.0.1 18s';
    expect(tokenizeLineShared(line, edited).some((t) => t.cls === 'ipv4')).toBe(true);
    edited.classes.splice(edited.classes.findIndex((c) => c.name === 'ipv4'), 1);
    expect(tokenizeLineShared(line, edited)).toEqual(tokenizeLine(line, edited));
    expect(tokenizeLineShared(line, edited).some((t) => t.cls === 'ipv4')).toBe(false);
    const pinned = contextOf();
    expect(tokenizeLineShared('at 10.0.0.9', pinned).some((t) => t.cls === 'ipv4')).toBe(true);
    (pinned.pins as Set<string>).add('10.0.0.9');
    expect(tokenizeLineShared('at 10.0.0.9', pinned)).toEqual(tokenizeLine('at 10.0.0.9', pinned));
    expect(tokenizeLineShared('at 10.0.0.9', pinned).some((t) => t.cls === 'ipv4')).toBe(false);
    // One pin swapped for another keeps the set's size: the memo must still notice.
    const swapped = contextOf({ pin: ['10.0.0.1'] });
    expect(tokenizeLineShared('at 10.0.0.8', swapped).some((t) => t.cls === 'ipv4')).toBe(true);
    (swapped.pins as Set<string>).delete('10.0.0.1');
    (swapped.pins as Set<string>).add('10.0.0.8');
    expect(tokenizeLineShared('at 10.0.0.8', swapped)).toEqual(tokenizeLine('at 10.0.0.8', swapped));
    expect(tokenizeLineShared('at 10.0.0.8', swapped).some((t) => t.cls === 'ipv4')).toBe(false);
  });

  it('a line longer than the memo takes is tokenized afresh, with the same result', () => {
    const line = `${'x '.repeat(700)}10.0.0.1`;
    expect(tokenizeLineShared(line, ctx)).toEqual(tokenizeLine(line, ctx));
    expect(Object.isFrozen(tokenizeLineShared(line, ctx))).toBe(false);
  });

  it('matching with remembered expected lines still fails a wrong value and a wrong binding', () => {
    const expected = [{ text: 'svc 10.96.0.10 pod 10.0.0.7:30080', line: 3 }];
    const bindings = new Bindings();
    const ok = matchOutput({ expected, actual: ['svc 10.96.0.10 pod 10.0.0.42:30080'], mode: 'exact', bindings, ctx });
    expect(ok.ok).toBe(true);
    // Same lines again (now remembered): the pinned address must still be literal...
    expect(matchOutput({ expected, actual: ['svc 10.96.0.11 pod 10.0.0.42:30080'], mode: 'exact', bindings, ctx }).ok).toBe(false);
    // ...and once 10.0.0.7 is bound to 10.0.0.42, another address no longer matches.
    bindings.adopt(ok.bindings);
    expect(matchOutput({ expected, actual: ['svc 10.96.0.10 pod 10.0.0.43:30080'], mode: 'exact', bindings, ctx }).ok).toBe(false);
    expect(matchOutput({ expected, actual: ['svc 10.96.0.10 pod 10.0.0.42:30080'], mode: 'exact', bindings, ctx }).ok).toBe(true);
  });

  it('substitution reads the same tokens whether or not the line was read before', () => {
    const fresh = contextOf();
    const b = new Bindings();
    const m = matchOutput({ expected: [{ text: 'ip 10.0.0.7', line: 1 }], actual: ['ip 10.0.0.42'], mode: 'exact', bindings: b, ctx: fresh });
    b.adopt(m.bindings);
    const first = b.substitute('ping -c1 10.0.0.7 && curl 10.0.0.7:80', fresh);
    expect(first).toBe('ping -c1 10.0.0.42 && curl 10.0.0.42:80');
    expect(b.substitute('ping -c1 10.0.0.7 && curl 10.0.0.7:80', fresh)).toBe(first);
  });
});
