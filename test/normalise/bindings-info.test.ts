import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bindings } from '../../src/normalise/bindings.ts';

/** Pairs with their class and origin, as a plain list per instance. */
interface Entry {
  example: string;
  actual: string;
  cls: string;
  origin: string | undefined;
}

// What notes say about a binding (its class, where it was made, how) is kept in numbered
// columns and one origin per run of entries: it must read back as bound, through forks, undos,
// adoptions and the copies they make, also past a few thousand entries.
describe('Bindings remember class and origin of every pair', () => {
  it('as a plain list would, in any order of operations', () => {
    const value = fc.constantFrom('a', 'b', 'c', 'd', '1', '2');
    const origin = fc.constantFrom('p.mdx:1', 'p.mdx:2', 'q.mdx:7', undefined);
    const cls = fc.constantFrom('ipv4', 'name', 'chain');
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ op: fc.constant('bind' as const), who: fc.nat(3), ex: value, act: value, origin, cls }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('fork' as const), who: fc.nat(3) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('undo' as const), who: fc.nat(3), to: fc.nat(6) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('adopt' as const), who: fc.nat(3), from: fc.nat(3) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const real: Bindings[] = [new Bindings()];
        // `v`: a version that changes with every write and is shared by a fork until either side
        // writes (adopting an unchanged fork changes nothing, not even the base).
        let versions = 0;
        const model: { entries: Entry[]; base: number; v: number }[] = [{ entries: [], base: 0, v: versions++ }];
        for (const o of ops) {
          const w = o.who % real.length;
          const m = model[w]!;
          if (o.op === 'bind') {
            const ok = real[w]!.tryBind(o.ex, o.act, o.cls, o.origin);
            const bound = m.entries.find((e) => e.example === o.ex);
            const taken = m.entries.some((e) => e.actual === o.act);
            expect(ok).toBe(bound ? bound.actual === o.act : !taken);
            if (!bound && !taken) {
              m.entries.push({ example: o.ex, actual: o.act, cls: o.cls, origin: o.origin });
              m.v = versions++;
            }
          } else if (o.op === 'fork') {
            real.push(real[w]!.fork());
            model.push({ entries: m.entries.slice(), base: m.entries.length, v: m.v });
          } else if (o.op === 'undo') {
            real[w]!.undo(o.to);
            const to = Math.max(o.to, m.base);
            if (to < m.entries.length) {
              m.entries.length = to;
              m.v = versions++;
            }
          } else {
            const f = o.from % real.length;
            real[w]!.adopt(real[f]!);
            if (model[f]!.v !== m.v) model[w] = { entries: model[f]!.entries.slice(), base: model[f]!.entries.length, v: model[f]!.v };
          }
          real.forEach((b, k) => {
            for (const e of model[k]!.entries) {
              const info = b.info(e.example);
              expect(info).toEqual(e.origin === undefined ? { actual: e.actual, cls: e.cls, how: 'learned' } : { actual: e.actual, cls: e.cls, origin: e.origin, how: 'learned' });
            }
            expect(b.size).toBe(model[k]!.entries.length);
          });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('past thousands of entries, with origins shared by neighbours, after copies and undos', () => {
    const b = new Bindings();
    const want = new Map<string, { cls: string; origin: string }>();
    for (let i = 0; i < 10_000; i++) {
      const origin = `p.mdx:${Math.floor(i / 3)}`;
      const cls = i % 2 ? 'ipv4' : 'name';
      expect(b.bindPair(`e${i}`, `a${i}`, cls, origin)).toBe(1);
      want.set(`e${i}`, { cls, origin });
    }
    const mark = b.mark();
    const f = b.fork();
    // The fork binds first (in place), the original then copies its own prefix.
    f.bindPair('e-fork', 'a-fork', 'chain', 'f.mdx:1');
    b.bindPair('e-orig', 'a-orig', 'digest', 'o.mdx:9');
    expect(f.info('e-fork')).toEqual({ actual: 'a-fork', cls: 'chain', origin: 'f.mdx:1', how: 'learned' });
    expect(b.info('e-orig')).toEqual({ actual: 'a-orig', cls: 'digest', origin: 'o.mdx:9', how: 'learned' });
    expect(b.has('e-fork')).toBe(false);
    b.undo(mark);
    b.bindPair('e-again', 'a-again', 'ipv4', 'p.mdx:0');
    expect(b.info('e-again')).toEqual({ actual: 'a-again', cls: 'ipv4', origin: 'p.mdx:0', how: 'learned' });
    for (const i of [0, 1, 2, 3, 4095, 4096, 4097, 9998, 9999]) {
      const w = want.get(`e${i}`)!;
      for (const x of [b, f]) expect(x.info(`e${i}`)).toEqual({ actual: `a${i}`, cls: w.cls, origin: w.origin, how: 'learned' });
    }
    // Pinned and typed values keep how they were made.
    const p = new Bindings();
    p.pinValues(['10.96.0.10']);
    p.bindTyped('10.0.0.9', 'ipv4', 'cmd.mdx:3');
    expect(p.info('10.96.0.10')).toMatchObject({ how: 'pinned', cls: 'pin', origin: 'lab.yaml pin' });
    expect(p.info('10.0.0.9')).toEqual({ actual: '10.0.0.9', cls: 'ipv4', origin: 'cmd.mdx:3', how: 'typed' });
  });
});
