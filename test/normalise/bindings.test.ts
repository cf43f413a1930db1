import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bindings } from '../../src/normalise/bindings.ts';
import { contextOf } from './fixtures.ts';

describe('Bindings', () => {
  it('binds once, then only agrees with the same actual value', () => {
    const b = new Bindings();
    expect(b.tryBind('10.0.0.128', '10.244.0.7', 'ipv4')).toBe(true);
    expect(b.tryBind('10.0.0.128', '10.244.0.7', 'ipv4')).toBe(true);
    expect(b.tryBind('10.0.0.128', '10.244.0.8', 'ipv4')).toBe(false);
    expect(b.get('10.0.0.128')).toBe('10.244.0.7');
  });

  it('never binds two examples to the same actual value', () => {
    const b = new Bindings({ 'web-5746f499f-qzjjq': 'web-6c5b4d9f7-dd2kq' });
    expect(b.tryBind('web-5746f499f-x7k2p', 'web-6c5b4d9f7-dd2kq', 'name')).toBe(false);
    expect(b.conflictOf('web-5746f499f-x7k2p', 'web-6c5b4d9f7-dd2kq')).toMatchObject({ kind: 'actual-taken', other: 'web-5746f499f-qzjjq' });
    expect(b.conflictOf('web-5746f499f-qzjjq', 'web-9c5b4d9f7-dd2kq')).toMatchObject({ kind: 'example-bound', info: { actual: 'web-6c5b4d9f7-dd2kq', origin: 'lab.yaml bindings' } });
    expect(b.conflictOf('web-5746f499f-qzjjq', 'web-6c5b4d9f7-dd2kq')).toBeUndefined();
  });

  it('forks copy-on-write: neither side sees the other’s later bindings', () => {
    const parent = new Bindings({ a: '1' });
    const child = parent.fork();
    expect(child.get('a')).toBe('1');
    child.tryBind('b', '2', 'x');
    parent.tryBind('c', '3', 'x');
    expect(parent.toJSON()).toEqual({ a: '1', c: '3' });
    expect(child.toJSON()).toEqual({ a: '1', b: '2' });
    expect(child.made()).toEqual({ b: '2' });
  });

  it('undoes back to a mark, freeing the actual values too', () => {
    const b = new Bindings({ a: '1' });
    const mark = b.mark();
    b.tryBind('b', '2', 'x');
    b.tryBind('c', '3', 'x');
    b.undo(mark);
    expect(b.toJSON()).toEqual({ a: '1' });
    expect(b.tryBind('d', '2', 'x')).toBe(true);
  });

  it('adopts the state of a fork that matched', () => {
    const run = new Bindings();
    const working = run.fork();
    working.tryBind('10.0.0.1', '10.244.0.5', 'ipv4');
    run.adopt(working);
    expect([...run.entries()]).toEqual([['10.0.0.1', '10.244.0.5']]);
    working.tryBind('10.0.0.2', '10.244.0.6', 'ipv4');
    expect(run.has('10.0.0.2')).toBe(false);
  });

  describe('substitute', () => {
    const ctx = contextOf({ pin: ['10.96.0.10'] });
    const b = new Bindings({
      '10.111.148.30': '10.96.211.4',
      '10.0.0.1': '10.244.0.5',
      '18.185.35.194': '172.18.0.2',
      'website-5746f499f-qzjjq': 'website-7c9d8b5f4-x2k4p',
      '31100': '30512',
    });

    it('replaces bound values that are whole tokens', () => {
      expect(b.substitute('curl 10.111.148.30', ctx)).toBe('curl 10.96.211.4');
      expect(b.substitute('kubectl delete pod website-5746f499f-qzjjq', ctx)).toBe('kubectl delete pod website-7c9d8b5f4-x2k4p');
      expect(b.substitute("kubectl get pod -o wide | grep '10.0.0.1 '", ctx)).toBe("kubectl get pod -o wide | grep '10.244.0.5 '");
    });

    it('never replaces inside a longer value', () => {
      expect(b.substitute('ping 10.0.0.12 10.0.0.1.5 website-5746f499f-qzjjq2', ctx)).toBe('ping 10.0.0.12 10.0.0.1.5 website-5746f499f-qzjjq2');
    });

    it('replaces a bound address behind a port, and marked values in plain text', () => {
      expect(b.substitute('curl -s 18.185.35.194:31100', ctx)).toBe('curl -s 172.18.0.2:31100');
      expect(b.substitute('curl -s host:31100 --port 31100.', ctx)).toBe('curl -s host:30512 --port 30512.');
    });

    it('runs unbound values as written, line by line', () => {
      expect(b.substitute('ip addr add 10.0.0.9/24 dev veth0\ncurl 10.111.148.30', ctx)).toBe('ip addr add 10.0.0.9/24 dev veth0\ncurl 10.96.211.4');
    });
  });
});

/**
 * The semantics of Bindings, written plainly: every instance owns a copy of its pairs. `sid`
 * names the storage a real instance would share (forks and adoptions share until one writes):
 * adopting the storage one already has changes nothing, not even what counts as `made`.
 */
let sids = 0;
class ModelBindings {
  pairs: [string, string][] = [];
  /** The scope each pair was made in (see `beginScope`). */
  scopes: number[] = [];
  current = 0;
  base = 0;
  sid = sids++;
  fork(): ModelBindings {
    const m = new ModelBindings();
    m.pairs = this.pairs.slice();
    m.scopes = this.scopes.slice();
    m.current = this.current;
    m.base = this.pairs.length;
    m.sid = this.sid;
    return m;
  }
  beginScope(): void {
    this.current++;
    this.sid = sids++;
  }
  /** The pair that stands for `actual` (the latest), and whether it still holds it in this scope. */
  holderOf(actual: string): { k: number; holds: boolean } {
    let k = this.pairs.length - 1;
    while (k >= 0 && this.pairs[k]![1] !== actual) k--;
    return { k, holds: k >= 0 && this.scopes[k]! >= this.current };
  }
  tryBind(example: string, actual: string): boolean {
    const bound = this.pairs.find(([e]) => e === example);
    if (bound) return bound[1] === actual;
    if (this.holderOf(actual).holds) return false;
    this.pairs.push([example, actual]);
    this.scopes.push(this.current);
    this.sid = sids++;
    return true;
  }
  adopt(other: ModelBindings): void {
    if (other === this || other.sid === this.sid) return;
    this.pairs = other.pairs.slice();
    this.scopes = other.scopes.slice();
    this.current = other.current;
    this.base = this.pairs.length;
    this.sid = other.sid;
  }
  undo(mark: number): void {
    const to = Math.max(this.base, mark);
    if (to >= this.pairs.length) return;
    this.pairs.length = to;
    this.scopes.length = to;
    this.sid = sids++;
  }
  made(): Record<string, string> {
    return Object.fromEntries(this.pairs.slice(this.base));
  }
}

describe('Bindings against a plain model', () => {
  it('fork, bind, mark, undo, adopt and new scopes agree in any order', () => {
    const value = fc.constantFrom('a', 'b', 'c', 'd', '1', '2', '3');
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: fc.constant('bind' as const), who: fc.nat(3), ex: value, act: value }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('fork' as const), who: fc.nat(3) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('mark' as const), who: fc.nat(3) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('undo' as const), who: fc.nat(3), m: fc.nat(3) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('adopt' as const), who: fc.nat(3), from: fc.nat(3) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('scope' as const), who: fc.nat(3) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const real: Bindings[] = [new Bindings()];
        const model: ModelBindings[] = [new ModelBindings()];
        const marks: number[][] = [[]];
        for (const o of ops) {
          const w = o.who % real.length;
          if (o.op === 'bind') expect(real[w]!.tryBind(o.ex, o.act, 'x')).toBe(model[w]!.tryBind(o.ex, o.act));
          else if (o.op === 'fork') {
            real.push(real[w]!.fork());
            model.push(model[w]!.fork());
            marks.push([]);
          } else if (o.op === 'mark') {
            marks[w]!.push(real[w]!.mark());
            marks[w]!.push(model[w]!.pairs.length);
          } else if (o.op === 'undo') {
            const k = marks[w]!.length === 0 ? -1 : (o.m % (marks[w]!.length / 2)) * 2;
            if (k >= 0) {
              real[w]!.undo(marks[w]![k]!);
              model[w]!.undo(marks[w]![k + 1]!);
            }
          } else if (o.op === 'scope') {
            real[w]!.beginScope();
            model[w]!.beginScope();
          } else {
            const f = o.from % real.length;
            real[w]!.adopt(real[f]!);
            model[w]!.adopt(model[f]!);
            marks[w] = [];
          }
          real.forEach((b, k) => {
            expect([...b.entries()]).toEqual(model[k]!.pairs);
            expect(b.made()).toEqual(model[k]!.made());
            for (const [e, a] of model[k]!.pairs) {
              expect(b.get(e)).toBe(a);
              expect(b.exampleOf(a)).toBe(model[k]!.pairs[model[k]!.holderOf(a).k]![0]);
              expect(b.conflictOf('\u0000new', a)?.kind).toBe(model[k]!.holderOf(a).holds ? 'actual-taken' : undefined);
            }
            for (const v of ['a', 'b', 'c', 'd', '1', '2', '3']) if (!model[k]!.pairs.some(([e]) => e === v)) expect(b.has(v)).toBe(false);
          });
        }
      }),
      { numRuns: 1500 },
    );
  });
});
