import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchOutput, type MatchResult } from '../../src/match/compare.ts';
import type { OutputMode } from '../../src/model/block.ts';
import { Bindings } from '../../src/normalise/bindings.ts';
import { contextOf } from '../normalise/fixtures.ts';

const ctx = contextOf({ pin: ['10.96.0.10'] });
const lines = (text: string, first = 1) => text.split('\n').map((t, k) => ({ text: t, line: first + k }));

function match(expected: string, actual: string, mode: OutputMode = 'exact', bindings = new Bindings(), source = '02-services.mdx'): MatchResult {
  return matchOutput({ expected: lines(expected), actual: actual.split('\n'), mode, bindings, ctx, source });
}

const notes = (r: MatchResult) => r.diff.flatMap((l) => l.notes ?? []);

describe('bindings across a lab run', () => {
  it('carries bindings from one command to the next and names where they were made', () => {
    const run = new Bindings();
    const first = match('website-5746f499f-qzjjq   1/1     Running   0          85m', 'website-7c9d8b5f4-x2k4p   1/1     Running   0          3m', 'exact', run);
    expect(first.ok).toBe(true);
    run.adopt(first.bindings);
    const second = match('pod "website-5746f499f-qzjjq" deleted', 'pod "website-7c9d8b5f4-x2k4p" deleted', 'exact', run, '03-dns.mdx');
    expect(second.ok).toBe(true);
    expect(second.made).toEqual({});
    expect(second.used).toEqual({ 'website-5746f499f-qzjjq': 'website-7c9d8b5f4-x2k4p', '5746f499f': '7c9d8b5f4' });
    expect(notes(second)).toEqual(['website-5746f499f-qzjjq → website-7c9d8b5f4-x2k4p (generated name, bound earlier at 02-services.mdx:1)']);
  });

  it('fails when a replacement pod is really the old one', () => {
    const run = new Bindings({ 'website-5746f499f-qzjjq': 'website-7c9d8b5f4-x2k4p' }, 'lab.yaml bindings', 'learned');
    const r = match('website-5746f499f-nnpxc   1/1     Running   0          79m', 'website-7c9d8b5f4-x2k4p   1/1     Running   0          5m', 'exact', run);
    expect(r.ok).toBe(false);
    expect(notes(r)).toEqual([
      'website-5746f499f-nnpxc and website-5746f499f-qzjjq (bound at lab.yaml bindings) both matched website-7c9d8b5f4-x2k4p — two example values cannot be the same real object within a step',
    ]);
    expect(r.bindings.has('website-5746f499f-nnpxc')).toBe(false);
  });

  it('never binds ages and timestamps, and leaves the input bindings alone', () => {
    const run = new Bindings();
    const r = match('web    1/1     Running   0          18s   2022-05-17 11:15:04', 'web    1/1     Running   0          4m    2025-11-22 03:15:09', 'exact', run);
    expect(r.ok).toBe(true);
    expect(r.made).toEqual({});
    expect(run.size).toBe(0);
  });

  it('binds a pod’s ReplicaSet hash so a later label follows it', () => {
    const r = match('pod/website-5746f499f-qzjjq\npod-template-hash=5746f499f', 'pod/website-7c9d8b5f4-x2k4p\npod-template-hash=6d4b75cb6d');
    expect(r.ok).toBe(false);
    expect(notes(r).join('\n')).toContain('5746f499f was bound to 7c9d8b5f4 at 02-services.mdx:1, but here it matched 6d4b75cb6d');
  });
});

describe('alignment search (contract §5 rule 5)', () => {
  it('skips an elision candidate whose values conflict with earlier bindings', () => {
    const run = new Bindings({ '10.0.0.1': '10.244.0.5' });
    const r = match('...\nAddress: 10.0.0.2\nAddress: 10.0.0.1\n...', 'Address: 10.244.0.7\nAddress: 10.244.0.8\nAddress: 10.244.0.5', 'exact', run);
    expect(r.ok).toBe(true);
    expect(r.made).toEqual({ '10.0.0.2': '10.244.0.8' });
  });

  it('finds the one order of repeated line shapes that agrees with the bindings', () => {
    const run = new Bindings({ '10.0.0.12': '10.244.0.14' });
    const r = match('Address: 10.0.0.202\nAddress: 10.0.0.12', 'Address: 10.244.0.14\nAddress: 10.244.0.13', 'unordered', run);
    expect(r.ok).toBe(true);
    expect(r.made).toEqual({ '10.0.0.202': '10.244.0.13' });
    expect(match('Address: 10.0.0.202\nAddress: 10.0.0.12', 'Address: 10.244.0.14\nAddress: 10.244.0.13', 'exact', run).ok).toBe(false);
  });

  it('fails only when no alignment exists', () => {
    const run = new Bindings({ '10.0.0.12': '10.244.0.14', '10.0.0.202': '10.244.0.99' });
    const r = match('Address: 10.0.0.202\nAddress: 10.0.0.12', 'Address: 10.244.0.14\nAddress: 10.244.0.13', 'unordered', run);
    expect(r.ok).toBe(false);
    expect(notes(r).join('\n')).toContain('10.0.0.202 was bound to 10.244.0.99');
  });
});

describe('modes', () => {
  it('exact: `...` stands for zero or more lines, anywhere', () => {
    expect(match('...', '').ok).toBe(true);
    expect(match('a\n...', 'a').ok).toBe(true);
    expect(match('...\nz', 'x\ny\nz').ok).toBe(true);
    expect(match('a\n...\n...\nz', 'a\nz').ok).toBe(true);
    expect(match('a\n...\nz', 'a\nb').ok).toBe(false);
    expect(match('', 'something').ok).toBe(false);
    expect(match('', '').ok).toBe(true);
  });

  it('contains: expected lines in order, others between', () => {
    expect(match('b\nd', 'a\nb\nc\nd\ne', 'contains').ok).toBe(true);
    expect(match('d\nb', 'a\nb\nc\nd\ne', 'contains').ok).toBe(false);
  });

  it('unordered: the same lines in any order; `...` allows extra lines', () => {
    expect(match('b\na', 'a\nb', 'unordered').ok).toBe(true);
    expect(match('b\na', 'a\nb\nc', 'unordered').ok).toBe(false);
    expect(match('b\n...\na', 'a\nc\nb', 'unordered').ok).toBe(true);
    expect(match('b\nb', 'b\nc', 'unordered').ok).toBe(false);
  });

  it('ignore: always passes', () => {
    const r = match('x', 'y', 'ignore');
    expect(r).toMatchObject({ ok: true, made: {}, used: {}, diff: [] });
  });

  it('normalises both sides: ANSI, trailing blanks, outer blank lines, wide whitespace runs', () => {
    expect(match('\nNAME   READY  \n', '\x1b[1mNAME\x1b[0m\tREADY\n\n').ok).toBe(true);
    expect(match('a b', 'a  b').ok).toBe(false);
  });
});

describe('the diff', () => {
  it('marks lines matched through volatile tokens with notes, and is JSON-serialisable', () => {
    const r = match('NAME   IP\nweb    10.0.0.128', 'NAME   IP\nweb    10.244.0.7');
    expect(r.diff).toEqual([
      { op: '=', text: 'NAME   IP', line: 1 },
      { op: '~', text: 'web    10.0.0.128', line: 2, notes: ['10.0.0.128 → 10.244.0.7 (IP address)'] },
    ]);
    expect(JSON.parse(JSON.stringify(r)).diff).toEqual(r.diff);
  });

  it('pairs a missing line with the actual line it differs from', () => {
    const r = match('web    1/1     Running   0          18s', 'web    0/1     Pending   0          2s');
    expect(r.diff.map((l) => l.op)).toEqual(['-', '+']);
    expect(r.diff[0]!.notes).toEqual(['column 8: expected "1/1", got "0/1"']);
    expect(r.reason).toBe('1 expected line not matched, 1 unexpected actual line');
  });

  it('explains whitespace of the wrong kind', () => {
    expect(notes(match('service/website exposed', 'service/website   exposed'))).toEqual(['column 16: expected a single space, got 3 blanks']);
    expect(notes(match('NAME   READY', 'NAME READY'))).toEqual(['column 5: expected a run of spaces (two or more, or a tab), got a single space']);
  });
});

// Lines built from real-looking pieces; `[[`/`]]` are left out: as expected text they are markers,
// so the same text on the actual side is not "the same output".
const piece = fc.oneof(
  fc.string().map((s) => s.replace(/\[\[|\]\]/g, '')),
  fc.constantFrom(' ', '   ', '\t', '...', ':', '/', '-', 'Running', '1/1', '10.0.0.1', '10.96.0.10:53', '10.0.0.0/8', 'fe80::1/64', '42:a5:ba:f7:76:97', '18s', '4m29s', '2 (5m22s ago)', 'time=0.502 ms', 'Tue May 17 09:46:05 2022', '[18/May/2022:21:45:00 +0000]', 'website-5746f499f-qzjjq', 'pod-template-hash=5746f499f', 'cilium-5gp4t', 'KUBE-SEP-FFKEUBR5SKHPYVCQ', 'sha256:d9d4c7759175db31aa32', '10-0-0-12.web'),
);
const text = fc.array(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), { maxLength: 12 });

describe('matching properties', () => {
  it('any text matches itself in every mode, binding each example to itself', () => {
    fc.assert(
      fc.property(text, fc.constantFrom<OutputMode>('exact', 'contains', 'unordered', 'ignore'), (ls, mode) => {
        const r = matchOutput({ expected: ls.map((t, k) => ({ text: t, line: k + 1 })), actual: ls, mode, bindings: new Bindings(), ctx });
        expect(r.ok, JSON.stringify(r.diff)).toBe(true);
        for (const [example, actual] of Object.entries(r.made)) expect(actual).toBe(example);
      }),
      { numRuns: 1500 },
    );
  });

  it('hands over the bindings it made as pairs in binding order, the same as its record and its bindings', () => {
    const variant = (ls: string[]) => ls.map((l) => l.replaceAll('10.0.0.1', '10.9.8.7').replaceAll('5746f499f', '7c9d8b5f4').replaceAll('FFKEUBR5SKHPYVCQ', 'ABCDEFGHIJKLMNOP'));
    fc.assert(
      fc.property(text, fc.constantFrom<OutputMode>('exact', 'contains', 'unordered'), fc.boolean(), (ls, mode, shifted) => {
        const input = new Bindings({ 'cilium-5gp4t': 'cilium-9zz9z' }, 'lab.yaml bindings', 'learned');
        const actual = shifted ? variant(ls) : ls;
        const r = matchOutput({ expected: ls.map((t, k) => ({ text: t, line: k + 1 })), actual, mode, bindings: input, ctx });
        const { examples, actuals } = r.madePairs;
        expect(examples).toHaveLength(actuals.length);
        expect(Object.fromEntries(examples.map((e, k) => [e, actuals[k]]))).toEqual(r.made);
        expect(Object.keys(r.made)).toEqual(examples);
        if (r.ok) for (let k = 0; k < examples.length; k++) expect(r.bindings.get(examples[k]!)).toBe(actuals[k]);
        for (const e of examples) expect(input.has(e)).toBe(false);
      }),
      { numRuns: 1000 },
    );
    const r = match('web-5746f499f-qzjjq 10.0.0.1', 'web-7c9d8b5f4-x2k4p 10.9.8.7');
    expect(r.madePairs).toEqual({ examples: ['web-5746f499f-qzjjq', '5746f499f', '10.0.0.1'], actuals: ['web-7c9d8b5f4-x2k4p', '7c9d8b5f4', '10.9.8.7'] });
  });
});

describe('long outputs of repeated lines', () => {
  // Repeated expected lines share their compiled parts; each line must still bind on its own.
  const row = (ip: string, age: string) => `web-6c5b4d9f7-x2k4m   1/1     Running   0          ${age}   ${ip}   kind-control-plane`;
  const expected = Array.from({ length: 6000 }, (_, k) => row('10.244.0.5', k % 2 ? '18s' : '2m5s')).join('\n');

  it('binds every copy of a repeated line to the same actual values', () => {
    const actual = Array.from({ length: 6000 }, (_, k) => row('10.244.1.9', k % 3 ? '40s' : '1m')).join('\n');
    const r = match(expected, actual);
    expect(r.ok).toBe(true);
    expect(r.made).toMatchObject({ '10.244.0.5': '10.244.1.9' });
  });

  it('still finds the one copy whose value differs, at its own line', () => {
    const actual = Array.from({ length: 6000 }, (_, k) => row(k === 4321 ? '10.244.1.7' : '10.244.1.9', '40s')).join('\n');
    const r = match(expected, actual);
    expect(r.ok).toBe(false);
    const bad = r.diff.filter((l) => l.op !== '=' && l.op !== '~');
    expect(bad.map((l) => l.line)).toContain(4322);
    expect(JSON.stringify(bad)).toContain('10.244.1.7');
  });
});
