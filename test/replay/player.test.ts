import { describe, expect, it } from 'vitest';
import { clampSpeed, replayCues, TYPE_MS } from '../../src/replay/player.ts';

describe('replayCues', () => {
  it('types one character per TYPE_MS, then shows the output the recorded duration after the last one', () => {
    expect(replayCues(3, 900)).toEqual([
      { at: TYPE_MS, kind: 'chars', chars: 1 },
      { at: 2 * TYPE_MS, kind: 'chars', chars: 2 },
      { at: 3 * TYPE_MS, kind: 'chars', chars: 3 },
      { at: 3 * TYPE_MS, kind: 'typed' },
      { at: 3 * TYPE_MS + 900, kind: 'output' },
    ]);
  });

  it('without typing (reduced motion) shows the command at once and still waits the recorded time', () => {
    expect(replayCues(40, 1500, false)).toEqual([
      { at: 0, kind: 'typed' },
      { at: 1500, kind: 'output' },
    ]);
  });

  it('never schedules the output before the command is typed', () => {
    expect(replayCues(2, -10).at(-1)).toEqual({ at: 2 * TYPE_MS, kind: 'output' });
    expect(replayCues(2, Number.NaN).at(-1)).toEqual({ at: 2 * TYPE_MS, kind: 'output' });
  });

  it('keeps the cues in time order', () => {
    const cues = replayCues(25, 300);
    expect(cues.map((c) => c.at)).toEqual([...cues.map((c) => c.at)].sort((a, b) => a - b));
  });
});

describe('clampSpeed', () => {
  it('keeps a positive speed and turns nonsense into 1', () => {
    expect(clampSpeed(4)).toBe(4);
    expect(clampSpeed(0.5)).toBe(0.5);
    for (const bad of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) expect(clampSpeed(bad)).toBe(1);
  });
});
