import { describe, expect, it } from 'vitest';
import { CANVAS, CANVAS_BODY_PX, fitCanvas, MIN_READABLE_PX, READING_BODY_PX, readingLayout } from '../../src/slides/fit.ts';

describe('readingLayout', () => {
  it('reflows the slides of a phone held upright so body text is READING_BODY_PX on screen', () => {
    const r = readingLayout(390, 844)!;
    expect(r).toBeDefined();
    expect(CANVAS_BODY_PX * r.zoom).toBeCloseTo(READING_BODY_PX, 6);
    // Laid out exactly as wide as the window, at least as tall.
    expect(r.width * r.zoom).toBeCloseTo(390, 6);
    expect(r.minHeight * r.zoom).toBeCloseTo(844, 6);
    // The fixed canvas there would have shown body text far under the readable size.
    expect(fitCanvas(390, 844).scale * CANVAS_BODY_PX).toBeLessThan(MIN_READABLE_PX);
  });

  it('keeps the canvas as presented on projectors, laptops, tablets and landscape phones', () => {
    for (const [w, h] of [
      [1920, 1080],
      [1280, 720],
      [1024, 768],
      [1400, 1050],
      [844, 390],
      [820, 1180],
      [1080, 1080],
    ] as const) {
      expect(readingLayout(w, h), `${w}×${h}`).toBeUndefined();
    }
  });

  it('uses the reading layout exactly where the fitted canvas would be unreadable in portrait', () => {
    for (let w = 200; w <= 1400; w += 37) {
      const h = Math.round(w * 1.6);
      const tooSmall = fitCanvas(w, h, CANVAS).scale * CANVAS_BODY_PX < MIN_READABLE_PX;
      expect(readingLayout(w, h) !== undefined, `${w}×${h}`).toBe(tooSmall);
    }
  });

  it('takes a 4:3 deck’s narrower canvas into account', () => {
    // 700×1000: the 1920 canvas would be too small (scale 0.36), the 1440 one is readable (0.49).
    expect(readingLayout(700, 1000)).toBeDefined();
    expect(readingLayout(700, 1000, { width: 1440, height: 1080 })).toBeUndefined();
  });

  it('has nothing to lay out in an empty window', () => {
    expect(readingLayout(0, 800)).toBeUndefined();
    expect(readingLayout(Number.NaN, 800)).toBeUndefined();
  });
});
