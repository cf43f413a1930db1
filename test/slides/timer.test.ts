import { describe, expect, it } from 'vitest';
import type { TalkState } from '../../src/slides/sync.ts';
import { elapsedOf, formatCountdown, moveChange, readStoredTalk, resetChange, storeTalk, togglePause } from '../../src/slides/timer.ts';

const at = (over: Partial<TalkState> = {}): TalkState => ({ slide: 2, step: 1, blackout: false, ...over });

describe('talk timer', () => {
  it('starts on the first move, from whichever window makes it, and only then', () => {
    expect(moveChange(at(), { slide: 2, step: 2 }, 1000)).toEqual({ slide: 2, step: 2, blackout: false, startedAt: 1000 });
    expect(moveChange(at({ startedAt: 5 }), { slide: 3, step: 0 }, 1000)).toEqual({ slide: 3, step: 0, blackout: false });
    expect(moveChange(at(), { slide: 2, step: 1 }, 1000)).toBeUndefined();
  });

  it('a step on a black screen lifts the blackout and moves nowhere; a jump does both', () => {
    expect(moveChange(at({ blackout: true }), { slide: 2, step: 2 }, 1000)).toEqual({ blackout: false });
    expect(moveChange(at({ blackout: true, startedAt: 1 }), { slide: 9, step: 0 }, 1000, true)).toEqual({ slide: 9, step: 0, blackout: false });
  });

  it('counts elapsed time from the wall clock, frozen while paused, resumed without the pause', () => {
    expect(elapsedOf({}, 9999)).toBe(0);
    expect(elapsedOf({ startedAt: 1000 }, 61_000)).toBe(60_000);
    const paused = { ...at({ startedAt: 1000 }), ...togglePause(at({ startedAt: 1000 }), 31_000) };
    expect(paused.pausedAt).toBe(31_000);
    expect(elapsedOf(paused, 500_000)).toBe(30_000);
    const resumed = { ...paused, ...togglePause(paused, 91_000) };
    expect(resumed.pausedAt).toBeUndefined();
    expect(elapsedOf(resumed, 101_000)).toBe(40_000);
    expect(togglePause(at(), 7)).toEqual({ startedAt: 7, pausedAt: undefined });
  });

  it('resets to the first slide with the timer stopped', () => {
    expect({ ...at({ startedAt: 1, pausedAt: 2, blackout: true }), ...resetChange() }).toEqual({ slide: 0, step: 0, blackout: false, startedAt: undefined, pausedAt: undefined });
  });

  it('counts down the planned time, and past it with a minus', () => {
    expect(formatCountdown(45 * 60_000, 0)).toBe('45:00');
    expect(formatCountdown(45 * 60_000, 44 * 60_000 + 30_500)).toBe('0:29');
    expect(formatCountdown(60_000, 125_000)).toBe('−1:05');
    expect(formatCountdown(60_000, 60_400)).toBe('0:00');
  });

  it('stores position and timer, never the blackout, and refuses anything else', () => {
    const stored = storeTalk(at({ blackout: true, startedAt: 10, pausedAt: 20 }));
    expect(readStoredTalk(stored)).toEqual({ slide: 2, step: 1, startedAt: 10, pausedAt: 20 });
    expect(readStoredTalk(storeTalk(at()))).toEqual({ slide: 2, step: 1 });
    for (const bad of [null, '', '{', '[]', '{"slide":-1,"step":0}', '{"slide":1.5,"step":0}', '{"slide":1,"step":0,"startedAt":"x"}', '{"slide":1,"step":0,"pausedAt":5}']) {
      expect(readStoredTalk(bad), String(bad)).toBeUndefined();
    }
  });
});
