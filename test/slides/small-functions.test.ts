import { describe, expect, it } from 'vitest';
import { fitCanvas } from '../../src/slides/fit.ts';
import { activeRange, litRangesPerLine, parseLineSteps } from '../../src/slides/line-ranges.ts';
import { actionForSwipe, describeSlide, positionForAction } from '../../src/slides/navigate.ts';
import { describePace, formatClock, formatDuration } from '../../src/slides/pacing.ts';
import { arrowHeadPoints, shaftEnd } from '../../src/slides/diagrams/arrow.ts';
import { formatDeckDate, readDeckMeta } from '../../src/slides/deck-meta.ts';

describe('line highlight steps', () => {
  it('parses ranges and keeps the rest of the meta', () => {
    const p = parseLineSteps('title="a.yaml" {1|3-4,6|all}');
    expect(p.rest).toBe('title="a.yaml"');
    expect(p.ranges.map((r) => (r === 'all' ? 'all' : [...r]))).toEqual([[1], [3, 4, 6], 'all']);
    expect(parseLineSteps('').ranges).toEqual([]);
    expect(parseLineSteps('{2-x}').error).toMatch(/not a line range/);
    expect(parseLineSteps('{5-2}').error).toMatch(/range goes up/);
  });
  it('lists, per line, the ranges that light it', () => {
    const { ranges } = parseLineSteps('{1|2-3|*}');
    expect(litRangesPerLine(ranges, 4)).toEqual([[0, 2], [1, 2], [1, 2], [2]]);
  });
  it('moves one range per step from the code’s base step, keeping the last', () => {
    expect([0, 1, 2, 3, 4, 5].map((s) => activeRange(s, 2, 3))).toEqual([0, 0, 0, 1, 2, 2]);
    expect(activeRange(3, 0, 0)).toBe(-1);
  });
});

describe('navigation helpers', () => {
  const deck = { steps: [1, 0, 2] };
  it('maps actions to positions', () => {
    expect(positionForAction(deck, { slide: 0, step: 0 }, { type: 'goto', slide: 3 })).toEqual({ slide: 2, step: 0 });
    expect(positionForAction(deck, { slide: 1, step: 0 }, { type: 'last' })).toEqual({ slide: 2, step: 2 });
    expect(positionForAction(deck, { slide: 1, step: 0 }, { type: 'blackout' })).toBeUndefined();
  });
  it('reads swipes', () => {
    expect(actionForSwipe(-120, 10)?.type).toBe('next');
    expect(actionForSwipe(120, 10)?.type).toBe('previous');
    expect(actionForSwipe(30, 0)).toBeUndefined();
    expect(actionForSwipe(-100, 200)).toBeUndefined();
  });
  it('describes a slide for screen readers', () => {
    expect(describeSlide(2, 40, 'Services')).toBe('Slide 3 of 40: Services');
  });
});

describe('clocks and fitting', () => {
  it('formats durations and the wall clock', () => {
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(-5)).toBe('0:00');
    expect(formatClock(new Date(2026, 2, 24, 9, 5))).toBe('09:05');
  });
  it('compares progress with planned time', () => {
    expect(describePace(10 * 60_000, 40 * 60_000, 0.5).label).toBe('10 min ahead');
    expect(describePace(30 * 60_000, 40 * 60_000, 0.5).state).toBe('behind');
    expect(describePace(20 * 60_000 + 20_000, 40 * 60_000, 0.5).label).toBe('on time');
  });
  it('fits the 16:9 canvas into any box, centred', () => {
    expect(fitCanvas(960, 540)).toEqual({ scale: 0.5, x: 0, y: 0 });
    expect(fitCanvas(1000, 540)).toEqual({ scale: 0.5, x: 20, y: 0 });
    expect(fitCanvas(960, 1000)).toEqual({ scale: 0.5, x: 0, y: 230 });
    expect(fitCanvas(0, 100).scale).toBe(0);
  });
});

describe('diagram arrows', () => {
  it('puts the tip on the end point and stops the shaft before it', () => {
    expect(arrowHeadPoints(0, 0, 100, 0, 20).startsWith('100,0 ')).toBe(true);
    expect(shaftEnd(0, 0, 100, 0, 20)).toEqual([84, 0]);
  });
});

describe('deck frontmatter', () => {
  it('accepts the documented keys and formats dates', () => {
    const { meta } = readDeckMeta({ title: 'T', date: new Date('2026-03-24T00:00:00Z'), duration: 45 }, 'slides/t.mdx');
    expect(meta).toEqual({ title: 'T', date: '2026-03-24', duration: 45 });
    expect(formatDeckDate('2026-03-24')).toBe('24 March 2026');
  });
  it('takes a 4:3 canvas and refuses other shapes', () => {
    expect(readDeckMeta({ title: 'T', aspect: '4:3' }, 'slides/t.mdx').meta).toEqual({ title: 'T', aspect: '4:3' });
    const { meta, problems } = readDeckMeta({ title: 'T', aspect: '21:9' }, 'slides/t.mdx');
    expect(meta).toBeUndefined();
    expect(problems[0]!.message).toMatch(/aspect/);
  });
  it('reports unknown keys and a missing title at the deck file', () => {
    const { meta, problems } = readDeckMeta({ titel: 'T' }, 'slides/t.mdx');
    expect(meta).toBeUndefined();
    expect(problems.map((p) => p.location.file)).toEqual(expect.arrayContaining(['slides/t.mdx']));
    expect(problems.map((p) => p.message).join('\n')).toMatch(/title/);
  });
});
