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
