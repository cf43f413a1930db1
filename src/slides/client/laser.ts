/**
 * The laser pointer: the presenter's mouse over the current slide, shown as a dot on every
 * audience screen. Positions travel in canvas pixels (1920×1080), so each window places the dot
 * on its own scaled canvas.
 */

/** Shows the dot `el` (a child of the canvas) at canvas point x, y; null hides it. */
export function showLaser(el: HTMLElement, x: number | null, y: number | null): void {
  if (x === null || y === null) {
    el.hidden = true;
    return;
  }
  el.hidden = false;
  el.style.transform = `translate(${x}px, ${y}px)`;
}

/** The canvas point under a mouse event on `canvas` (scaled by a CSS transform), or null outside it. */
export function canvasPoint(canvas: HTMLElement, clientX: number, clientY: number): { x: number; y: number } | null {
  const box = canvas.getBoundingClientRect();
  if (!(box.width > 0) || clientX < box.left || clientX > box.right || clientY < box.top || clientY > box.bottom) return null;
  const scale = box.width / canvas.offsetWidth;
  return { x: Math.round((clientX - box.left) / scale), y: Math.round((clientY - box.top) / scale) };
}
