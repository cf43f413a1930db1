/** The deck's fixed canvas: every slide is laid out at this size and scaled to the window. */
export const CANVAS = { width: 1920, height: 1080 } as const;

/** How to place the canvas in a box: uniform scale and the offsets that centre it (letterboxing). */
export interface Fit {
  scale: number;
  x: number;
  y: number;
}

/** Fits a `canvas`-sized area into a `width`×`height` box, keeping its aspect ratio. */
export function fitCanvas(width: number, height: number, canvas: { width: number; height: number } = CANVAS): Fit {
  if (!(width > 0) || !(height > 0)) return { scale: 0, x: 0, y: 0 };
  const scale = Math.min(width / canvas.width, height / canvas.height);
  return { scale, x: (width - canvas.width * scale) / 2, y: (height - canvas.height * scale) / 2 };
}

/** Body text size on the canvas (`.slide` in deck.css), in canvas pixels. */
export const CANVAS_BODY_PX = 40;
/** Below this on screen (CSS px), the scaled canvas is too small to read: a phone held upright. */
export const MIN_READABLE_PX = 16;
/** Body text size on screen in the reading layout, in CSS px. */
export const READING_BODY_PX = 19;

/** The reading layout: slides laid out `width` canvas pixels wide, any height, zoomed by `zoom`. */
export interface Reading {
  width: number;
  zoom: number;
  /** The window's height in canvas pixels: the least a slide fills. */
  minHeight: number;
}

/**
 * The reading layout for a `width`×`height` window, or undefined to keep the fixed canvas. A
 * portrait window on which the fitted canvas would show body text under MIN_READABLE_PX (a phone
 * held upright) gets slides that reflow to the window's width at READING_BODY_PX and scroll down;
 * landscape windows, 4:3 projectors and tablets keep the canvas as presented.
 */
export function readingLayout(width: number, height: number, canvas: { width: number; height: number } = CANVAS): Reading | undefined {
  if (!(width > 0) || !(height > 0) || height <= width) return undefined;
  if (fitCanvas(width, height, canvas).scale * CANVAS_BODY_PX >= MIN_READABLE_PX) return undefined;
  const zoom = READING_BODY_PX / CANVAS_BODY_PX;
  return { width: width / zoom, zoom, minHeight: height / zoom };
}
