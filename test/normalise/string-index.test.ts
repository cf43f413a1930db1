import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashString, StringIndex } from '../../src/normalise/string-index.ts';

describe('StringIndex', () => {
  it('numbers, finds and pops strings like an array with lookups', () => {
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('10.0.0.1', '10.0.0.2', 'web-5746f499f-qzjjq', ''));
    const op = fc.oneof(
      { weight: 3, arbitrary: key.map((k) => ({ op: 'add' as const, k })) },
      { weight: 2, arbitrary: key.map((k) => ({ op: 'find' as const, k })) },
      { weight: 1, arbitrary: fc.constant({ op: 'pop' as const, k: '' }) },
      { weight: 1, arbitrary: fc.constant({ op: 'clone' as const, k: '' }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        let index = new StringIndex();
        const model: string[] = [];
        for (const { op, k } of ops) {
          if (op === 'add') {
            if (model.includes(k)) continue;
            expect(index.add(k)).toBe(model.length);
            model.push(k);
          } else if (op === 'find') {
            expect(index.find(k)).toBe(model.indexOf(k));
          } else if (op === 'pop') {
            index.pop();
            model.pop();
          } else {
            const copy = index.clone();
            index.add('\u0000only in the original');
            index = copy;
          }
          expect(index.size).toBe(model.length);
        }
        model.forEach((k, e) => {
          expect(index.find(k)).toBe(e);
          expect(index.keyAt(e)).toBe(k);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('finds the first and the last entry of a key added more than once, across pops and growth', () => {
    const key = fc.constantFrom('a', 'b', '10.0.0.1', 'web-5746f499f-qzjjq', '');
    const op = fc.oneof(
      { weight: 4, arbitrary: key.map((k) => ({ op: 'add' as const, k })) },
      { weight: 2, arbitrary: key.map((k) => ({ op: 'find' as const, k })) },
      { weight: 1, arbitrary: fc.constant({ op: 'pop' as const, k: '' }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const index = new StringIndex();
        const model: string[] = [];
        for (const { op, k } of ops) {
          if (op === 'add') {
            expect(index.add(k)).toBe(model.length);
            model.push(k);
          } else if (op === 'pop') {
            index.pop();
            model.pop();
          }
          expect(index.find(k)).toBe(model.indexOf(k));
          expect(index.findLast(k)).toBe(model.lastIndexOf(k));
          for (let limit = 0; limit <= model.length; limit++) expect(index.findLast(k, limit)).toBe(model.slice(0, limit).lastIndexOf(k));
          const n = model.length >> 1;
          const prefix = index.clonePrefix(n);
          expect(prefix.size).toBe(n);
          expect(prefix.findLast(k)).toBe(model.slice(0, n).lastIndexOf(k));
          expect(prefix.keysFrom(0)).toEqual(model.slice(0, n));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('grows past many entries and still finds each', () => {
    const index = new StringIndex();
    for (let i = 0; i < 50_000; i++) index.add(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    for (let i = 0; i < 50_000; i += 997) expect(index.find(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)).toBe(i);
    expect(index.find('10.9.9.9')).toBe(-1);
  });

  it('keeps entry order across its storage chunks: adds, pops, prefixes and copies past 4,096 entries', () => {
    const index = new StringIndex();
    const model: string[] = [];
    const key = (i: number) => `k${i}`;
    const check = (ix: StringIndex, m: readonly string[]) => {
      expect(ix.size).toBe(m.length);
      for (const e of [0, 1, 4095, 4096, 4097, 8191, 8192, m.length - 1]) {
        if (e < 0 || e >= m.length) continue;
        expect(ix.keyAt(e)).toBe(m[e]);
        expect(ix.find(m[e]!)).toBe(e);
      }
      expect(ix.keysFrom(4090, Math.min(m.length, 4100))).toEqual(m.slice(4090, Math.min(m.length, 4100)));
      expect(ix.keysFrom(0)).toEqual(m);
    };
    for (let i = 0; i < 9000; i++) model.push(key(i)), index.add(key(i));
    check(index, model);
    // Pop back over two chunk boundaries, then grow again with other keys.
    for (let i = 0; i < 5000; i++) index.pop(), model.pop();
    check(index, model);
    expect(index.find(key(4500))).toBe(-1);
    for (let i = 0; i < 4200; i++) model.push(`again${i}`), index.add(`again${i}`);
    check(index, model);
    for (const n of [0, 4095, 4096, 4097, 8192]) {
      const prefix = index.clonePrefix(n);
      check(prefix, model.slice(0, n));
      prefix.add('only in the prefix');
      expect(index.find('only in the prefix')).toBe(-1);
    }
    const copy = index.clone();
    copy.pop();
    check(index, model);
  });
});

describe('StringIndex growth and removal', () => {
  // Growing re-places entries by walking the old table in slot order, and popping clears a slot,
  // which is right only while every probe passes older entries alone: long runs of adds, pops and
  // repeated keys through several growths must still find every entry, the first and the last of
  // a repeated key, in every prefix.
  it('agrees with an array through growths, pops and repeated keys', () => {
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.nat(400).map((k) => ({ op: 'add' as const, k: `v${k}` })) },
      { weight: 2, arbitrary: fc.nat(40).map((n) => ({ op: 'pop' as const, n })) },
      { weight: 1, arbitrary: fc.constant({ op: 'clone' as const }) },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 50, maxLength: 600 }), (steps) => {
        let index = new StringIndex();
        const model: string[] = [];
        for (const s of steps) {
          if (s.op === 'add') {
            expect(index.add(s.k)).toBe(model.length);
            model.push(s.k);
          } else if (s.op === 'pop') {
            for (let n = 0; n < s.n && model.length > 0; n++) index.pop(), model.pop();
          } else {
            index = index.clonePrefix(model.length);
          }
        }
        expect(index.size).toBe(model.length);
        for (let k = 0; k <= 400; k += 7) {
          const key = `v${k}`;
          expect(index.find(key), key).toBe(model.indexOf(key));
          expect(index.findLast(key), key).toBe(model.lastIndexOf(key));
          expect(index.findLast(key, model.length >> 1), key).toBe(model.slice(0, model.length >> 1).lastIndexOf(key));
        }
        model.forEach((key, e) => expect(index.keyAt(e)).toBe(key));
      }),
      { numRuns: 300 },
    );
  });

  it('finds every older entry after newer ones were popped, past several growths', () => {
    const index = new StringIndex();
    for (let i = 0; i < 40_000; i++) index.add(`d${i}`);
    for (let i = 0; i < 30_000; i++) index.pop();
    for (let i = 0; i < 10_000; i++) expect(index.find(`d${i}`)).toBe(i);
    for (let i = 10_000; i < 40_000; i += 97) expect(index.find(`d${i}`)).toBe(-1);
  });

  it('keeps a repeated key in entry order across a cluster that wraps around the end of the table', () => {
    // A new index has 16 slots: two entries of one key whose slot is the last wrap to slot 0,
    // and the ninth entry grows the table. `find` must still give the first entry.
    const keys = (home: number) => Array.from({ length: 5000 }, (_, i) => `w${i}`).filter((k) => (hashString(k) & 15) === home);
    const last = keys(15)[0]!;
    const fillers = [3, 4, 5, 6, 7, 8, 9].map((home) => keys(home)[0]!);
    const index = new StringIndex();
    index.add(last);
    index.add(last);
    for (const f of fillers) index.add(f);
    expect(index.find(last)).toBe(0);
    expect(index.findLast(last)).toBe(1);
    index.pop();
    expect(index.find(fillers[5]!)).toBe(7);
  });

  it('pops everything back to empty after growing, then grows again', () => {
    const index = new StringIndex();
    for (let i = 0; i < 20_000; i++) index.add(`k${i % 5000}`);
    for (let i = 0; i < 15_000; i++) index.pop();
    for (let i = 0; i < 5000; i += 13) {
      expect(index.find(`k${i}`)).toBe(i);
      expect(index.findLast(`k${i}`)).toBe(i);
    }
    for (let i = 0; i < 5000; i++) index.pop();
    expect(index.size).toBe(0);
    expect(index.find('k1')).toBe(-1);
    for (let i = 0; i < 9000; i++) expect(index.add(`n${i}`)).toBe(i);
    for (let i = 0; i < 9000; i += 101) expect(index.find(`n${i}`)).toBe(i);
  });
});
