import { describe, expect, it } from 'vitest';
import { addBindableExamples, Bindings } from '../../src/normalise/bindings.ts';
import { buildClasses } from '../../src/normalise/classes.ts';
import type { NormaliseContext } from '../../src/normalise/tokenize.ts';

const ctx: NormaliseContext = { classes: buildClasses(), pins: new Set() };

function examplesOf(...lines: string[]): Set<string> {
  const into = new Set<string>();
  addBindableExamples(lines, ctx, into);
  return into;
}

describe('addBindableExamples', () => {
  it('collects the values matching could bind, with their parts, and no ages or timestamps', () => {
    const got = examplesOf('web-5746f499f-qzjjq   1/1   Running   0   18s   10.244.1.2:8080', 'Tue May 17 09:46:05 2022');
    expect(got).toContain('web-5746f499f-qzjjq');
    expect(got).toContain('5746f499f');
    expect(got).toContain('10.244.1.2:8080');
    expect(got).toContain('10.244.1.2');
    expect(got).not.toContain('18s');
    expect([...got].some((v) => v.includes('May'))).toBe(false);
  });
});

describe('Bindings.substitutionIsFixed', () => {
  const examples = examplesOf('pod web-5746f499f-qzjjq at 10.244.1.2:8080', '10-96-0-7.default.pod.cluster.local has address');

  it('holds for a command that uses none of the values an output before it could bind', () => {
    expect(new Bindings().substitutionIsFixed('echo hello 10.0.0.1', ctx, examples)).toBe(true);
    expect(new Bindings().substitutionIsFixed('curl 10.244.1.2', ctx, new Set())).toBe(true);
  });

  it('fails for a command holding such a value, whole, as a part, dashed or as a plain word', () => {
    const b = new Bindings();
    expect(b.substitutionIsFixed('curl 10.244.1.2:8080', ctx, examples)).toBe(false);
    expect(b.substitutionIsFixed('curl http://10.244.1.2/', ctx, examples)).toBe(false);
    expect(b.substitutionIsFixed('kubectl logs web-5746f499f-qzjjq', ctx, examples)).toBe(false);
    expect(b.substitutionIsFixed('kubectl get rs -l pod-template-hash=5746f499f', ctx, examples)).toBe(false);
    expect(b.substitutionIsFixed('ping -c1 10.96.0.7', ctx, examples)).toBe(false);
    expect(b.substitutionIsFixed('echo 10.244.1.2.', ctx, examples)).toBe(false);
  });

  it('holds again once the value is bound: a binding never changes within a step', () => {
    const b = new Bindings({ '10.244.1.2:8080': '10.0.3.4:8080', '10.244.1.2': '10.0.3.4' }, 'test', 'learned');
    expect(b.substitutionIsFixed('curl 10.244.1.2:8080', ctx, examples)).toBe(true);
    expect(b.substitutionIsFixed('kubectl logs web-5746f499f-qzjjq', ctx, examples)).toBe(false);
  });
});
