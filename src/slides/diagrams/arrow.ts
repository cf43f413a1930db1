/**
 * The head of an arrow from (x1, y1) to (x2, y2) as SVG polygon points: a triangle `size` long
 * whose tip is the end point. Drawn as a polygon rather than an SVG marker because markers are
 * found by id, and slide copies (previews, thumbnails, print steps) drop ids.
 */
export function arrowHeadPoints(x1: number, y1: number, x2: number, y2: number, size = 22): string {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const spread = Math.PI / 7;
  const p = (a: number) => `${round(x2 - size * Math.cos(a))},${round(y2 - size * Math.sin(a))}`;
  return `${round(x2)},${round(y2)} ${p(angle - spread)} ${p(angle + spread)}`;
}

/** The point `size` back from (x2, y2) along the line, where the shaft should stop so it does not poke through the tip. */
export function shaftEnd(x1: number, y1: number, x2: number, y2: number, size = 22): [number, number] {
  const length = Math.hypot(x2 - x1, y2 - y1) || 1;
  const k = Math.max(0, length - size * 0.8) / length;
  return [round(x1 + (x2 - x1) * k), round(y1 + (y2 - y1) * k)];
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
