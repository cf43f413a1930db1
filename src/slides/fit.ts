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
