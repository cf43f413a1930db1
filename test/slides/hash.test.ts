import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from '../../src/slides/hash.ts';

const deck = { steps: [0, 2, 0] };

describe('deep links', () => {
  it('reads #/slide and #/slide/step counting slides from 1', () => {
    expect(parseHash('#/2', deck)).toEqual({ slide: 1, step: 0 });
    expect(parseHash('#/2/2', deck)).toEqual({ slide: 1, step: 2 });
    expect(parseHash('/3/', deck)).toEqual({ slide: 2, step: 0 });
  });
  it('clamps links past the end instead of failing', () => {
    expect(parseHash('#/2/9', deck)).toEqual({ slide: 1, step: 2 });
    expect(parseHash('#/40', deck)).toEqual({ slide: 2, step: 0 });
  });
  it('leaves other hashes alone', () => {
    for (const h of ['', '#', '#intro', '#/x', '#/1/a', '#/-1']) expect(parseHash(h, deck), h).toBeUndefined();
  });
  it('round-trips', () => {
    for (const pos of [{ slide: 0, step: 0 }, { slide: 1, step: 2 }, { slide: 2, step: 0 }]) expect(parseHash(formatHash(pos), deck)).toEqual(pos);
    expect(formatHash({ slide: 11, step: 2 })).toBe('#/12/2');
    expect(formatHash({ slide: 11, step: 0 })).toBe('#/12');
  });
});
