import { describe, expect, it } from 'vitest';
import { renderDiff } from '../../src/match/diff.ts';
import { matchOutput } from '../../src/match/compare.ts';
import type { OutputMode } from '../../src/model/block.ts';
import type { VolatileDef } from '../../src/model/lab.ts';
import { Bindings } from '../../src/normalise/bindings.ts';
import { normaliseOutput } from '../../src/normalise/normalise.ts';
import { contextOf, fixtureCases, readJson, readText } from '../normalise/fixtures.ts';

/** test/fixtures/match/<case>/case.json */
interface MatchCase {
  mode: OutputMode;
  ok: boolean;
  pin?: string[];
  volatile?: VolatileDef[];
  /** Bindings of the run before this command (e.g. lab.yaml bindings). */
  bindings?: Record<string, string>;
  /** Pairs `made` must include. */
  made?: Record<string, string>;
  /** Pairs `used` must equal. */
  used?: Record<string, string>;
  /** Substrings of the rendered diff (plain, file `x.mdx`). */
  diff?: string[];
}

describe('matchOutput fixtures (seed outputs against today’s variants)', () => {
  for (const { name, dir } of fixtureCases('match')) {
    it(name, () => {
      const c = readJson<MatchCase>(dir, 'case.json');
      const expected = readText(dir, 'expected.txt')
        .replace(/\n$/, '')
        .split('\n')
        .map((text, k) => ({ text, line: k + 1 }));
      const actual = normaliseOutput(readText(dir, 'actual.txt'));
      const bindings = new Bindings(c.bindings ?? {}, 'lab.yaml bindings', 'learned');
      const before = bindings.toJSON();
      const r = matchOutput({ expected, actual, mode: c.mode, bindings, ctx: contextOf(c), source: 'x.mdx' });
      const rendered = renderDiff(r.diff, { color: false, file: 'x.mdx' });
      expect(r.ok, rendered).toBe(c.ok);
      expect(bindings.toJSON()).toEqual(before);
      if (c.made) expect(r.made).toMatchObject(c.made);
      if (c.used) expect(r.used).toEqual(c.used);
      for (const piece of c.diff ?? []) expect(rendered).toContain(piece);
      if (!c.ok) expect(r.diff.some((l) => l.op === '-' || l.op === '+'), rendered).toBe(true);
      if (c.ok && c.mode !== 'ignore') expect(r.diff.filter((l) => l.op === '-' || l.op === '+')).toEqual([]);
    });
  }
});
