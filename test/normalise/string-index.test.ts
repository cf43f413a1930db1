import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringIndex } from '../../src/normalise/string-index.ts';

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
