import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VolatileDef } from '../../src/model/lab.ts';
import { tokenizeLine, type Token } from '../../src/normalise/tokenize.ts';
import { contextOf, fixtureCases, has, readJson, readText } from './fixtures.ts';

const volatileOf = (tokens: Token[]) => tokens.filter((t) => t.cls !== undefined).map((t) => [t.cls, t.text]);

describe('tokenizeLine fixtures (real outputs from the seed lab)', () => {
  for (const { name, dir } of fixtureCases('normalise').filter((c) => has(c.dir, 'lines.txt'))) {
    it(name, () => {
      const ctx = contextOf(has(dir, 'context.json') ? readJson<{ pin?: string[]; volatile?: VolatileDef[] }>(dir, 'context.json') : {});
      const lines = readText(dir, 'lines.txt').replace(/\n$/, '').split('\n');
      const expected = readJson<[string, string][][]>(dir, 'tokens.json');
      expect(lines.map((l) => volatileOf(tokenizeLine(l, ctx, { expected: true })))).toEqual(expected);
    });
  }
});

describe('tokenizeLine', () => {
  const ctx = contextOf();

  it('returns spans that cover the line, with literal text between tokens', () => {
    const line = 'web    1/1     Running   0          18s   10.0.0.128   ip-172-31-24-84';
    const tokens = tokenizeLine(line, ctx);
    expect(tokens.map((t) => t.text).join('')).toBe(line);
    const start = line.indexOf('10.0.0.128');
    expect(tokens.find((t) => t.cls === 'ipv4')).toEqual({ text: '10.0.0.128', start, end: start + 10, cls: 'ipv4' });
  });

  it('treats [[…]] as a marker only on the expected side', () => {
    const line = 'rtt = [[0.079/0.261/0.502]] ms';
    expect(tokenizeLine(line, ctx, { expected: true })).toEqual([
      { text: 'rtt = ', start: 0, end: 6 },
      { text: '0.079/0.261/0.502', start: 6, end: 27, cls: 'marked', marked: true },
      { text: ' ms', start: 27, end: 30 },
    ]);
    expect(tokenizeLine(line, ctx).some((t) => t.marked)).toBe(false);
  });

  it('keeps pinned values literal, also behind a port', () => {
    const pinned = contextOf({ pin: ['10.96.0.10'] });
    expect(volatileOf(tokenizeLine('Address: 10.96.0.10:53 and 10.96.0.100', pinned))).toEqual([['ipv4', '10.96.0.100']]);
  });

  it('needs a digit in a generated suffix unless a hash precedes it', () => {
    expect(volatileOf(tokenizeLine('cilium-xkzqv cilium-5gp4t website-5746f499f-qzjjq kube-system', ctx))).toEqual([
      ['name', 'cilium-5gp4t'],
      ['name', 'website-5746f499f-qzjjq'],
    ]);
  });

  it('lets a lab class win a tie with a built-in one and replace a built-in by name', () => {
    const lab = contextOf({ volatile: [{ name: 'port', pattern: '3\\d{4}' }, { name: 'age', pattern: '\\d+x', bind: false }] });
    expect(volatileOf(tokenizeLine('80:31100/TCP 18s 12x', lab))).toEqual([
      ['port', '31100'],
      ['age', '12x'],
    ]);
  });

  it('does not let a lab pattern match inside a word', () => {
    const lab = contextOf({ volatile: [{ name: 'word', pattern: 'abc' }] });
    expect(volatileOf(tokenizeLine('xabc abc abcx', lab))).toEqual([['word', 'abc']]);
  });
});

const fragment = fc.oneof(
  fc.string(),
  fc.constantFrom(' ', '   ', '\t', '[[', ']]', '...', ':', '.', '-', '/', '10.0.0.1', '10.96.0.10:53', 'fe80::1/64', '42:a5:ba:f7:76:97', '18s', '4m29s', '2 (5m22s ago)', '0.079/0.261/0.502 ms', 'Tue May 17 09:46:05 2022', '[18/May/2022:21:45:00 +0000]', 'website-5746f499f-qzjjq', 'pod-template-hash=5746f499f', 'KUBE-SEP-FFKEUBR5SKHPYVCQ', 'sha256:d9d4c7759175db31', '1.2.3.4.5'),
);
const line = fc.array(fragment, { maxLength: 30 }).map((p) => p.join(''));

describe('tokenizeLine properties', () => {
  const ctx = contextOf({ pin: ['10.96.0.10'], volatile: [{ name: 'lab', pattern: '[0-9]+' }] });

  it('never throws, and its spans cover the line in order', () => {
    fc.assert(
      fc.property(line, fc.boolean(), (l, expected) => {
        const tokens = tokenizeLine(l, ctx, { expected });
        let pos = 0;
        for (const t of tokens) {
          expect(t.start).toBe(pos);
          expect(t.end).toBeGreaterThan(t.start);
          if (!t.marked) expect(l.slice(t.start, t.end)).toBe(t.text);
          else expect(l.slice(t.start, t.end)).toBe(`[[${t.text}]]`);
          pos = t.end;
        }
        expect(pos).toBe(l.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic and never splits a volatile token from the same class twice', () => {
    fc.assert(
      fc.property(line, (l) => {
        const a = tokenizeLine(l, ctx, { expected: true });
        expect(tokenizeLine(l, ctx, { expected: true })).toEqual(a);
        for (const [x, y] of a.slice(1).map((t, k) => [a[k]!, t] as const)) expect(x.cls === undefined && y.cls === undefined).toBe(false);
      }),
    );
  });

  it('handles a megabyte of adversarial text in one line', () => {
    for (const unit of ['1', '1.', '1:', 'ab:', 'abcdef0123456789', '1.2.3.', 'fe80::1:', 'web-2bcdf-', '2-', '1d2h3m4s', '10.0.0.1 ']) {
      const l = unit.repeat(Math.ceil(1_000_000 / unit.length));
      const tokens = tokenizeLine(l, ctx);
      expect(tokens.reduce((n, t) => n + t.text.length, 0)).toBe(l.length);
    }
  });
});
