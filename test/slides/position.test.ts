import { describe, expect, it } from 'vitest';
import { clampPosition, lastPosition, nextPosition, nextSlidePosition, previousPosition, previousSlidePosition, progressOf, samePosition } from '../../src/slides/position.ts';

const deck = { steps: [0, 2, 0, 3] };

describe('step navigation', () => {
  it('walks every step of every slide forwards and backwards', () => {
    const forward = [{ slide: 0, step: 0 }];
    for (let i = 0; i < 10; i++) forward.push(nextPosition(deck, forward.at(-1)!));
    expect(forward.map((p) => `${p.slide}.${p.step}`)).toEqual(['0.0', '1.0', '1.1', '1.2', '2.0', '3.0', '3.1', '3.2', '3.3', '3.3', '3.3']);
    const back = [lastPosition(deck)];
    for (let i = 0; i < 9; i++) back.push(previousPosition(deck, back.at(-1)!));
    expect(back.map((p) => `${p.slide}.${p.step}`)).toEqual(['3.3', '3.2', '3.1', '3.0', '2.0', '1.2', '1.1', '1.0', '0.0', '0.0']);
  });

  it('going back onto a slide shows it fully revealed, as it was left', () => {
    expect(previousPosition(deck, { slide: 2, step: 0 })).toEqual({ slide: 1, step: 2 });
  });

  it('skips whole slides with the slide moves', () => {
    expect(nextSlidePosition(deck, { slide: 1, step: 1 })).toEqual({ slide: 2, step: 0 });
    expect(previousSlidePosition(deck, { slide: 3, step: 2 })).toEqual({ slide: 2, step: 0 });
    expect(nextSlidePosition(deck, { slide: 3, step: 2 })).toEqual({ slide: 3, step: 2 });
  });

  it('clamps positions outside the deck', () => {
    expect(clampPosition(deck, { slide: 99, step: 99 })).toEqual({ slide: 3, step: 3 });
    expect(clampPosition(deck, { slide: -4, step: 2 })).toEqual({ slide: 0, step: 0 });
    expect(clampPosition(deck, { slide: Number.NaN, step: 1.7 })).toEqual({ slide: 0, step: 0 });
    expect(clampPosition({ steps: [] }, { slide: 3, step: 3 })).toEqual({ slide: 0, step: 0 });
  });

  it('measures progress over every step', () => {
    expect(progressOf(deck, { slide: 0, step: 0 })).toBe(0);
    expect(progressOf(deck, lastPosition(deck))).toBe(1);
    expect(progressOf(deck, { slide: 2, step: 0 })).toBeCloseTo(4 / 8);
    expect(samePosition({ slide: 1, step: 1 }, { slide: 1, step: 1 })).toBe(true);
  });
});
