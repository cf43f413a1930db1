/**
 * The deck's DOM, shared by the audience view, the presenter's previews and the print route:
 * reading slides, showing a position, revealing steps, fitting the canvas. Touches only the
 * slides involved, so a slide change costs the same with 10 slides or 200.
 */
import { activeRange } from '../line-ranges.ts';
import { fitCanvas, readingLayout } from '../fit.ts';
import type { DeckShape, Position } from '../position.ts';

/** The slides of a canvas and their step counts. */
export interface DeckDom {
  canvas: HTMLElement;
  slides: HTMLElement[];
  shape: DeckShape;
  titles: string[];
}

/** Reads the slides rendered into `canvas`. */
export function readDeck(canvas: HTMLElement): DeckDom {
  const slides = [...canvas.querySelectorAll<HTMLElement>('.slide')];
  return {
    canvas,
    slides,
    shape: { steps: slides.map((s) => Number(s.dataset.steps) || 0) },
    titles: slides.map((s) => s.dataset.title ?? ''),
  };
}

/** Reveals the steps of `slide` up to `step` (fragments, list items, code-line highlights). */
export function applySteps(slide: Element, step: number): void {
  for (const el of slide.querySelectorAll<HTMLElement>('[data-step]')) {
    const n = Number(el.dataset.step);
    el.classList.toggle('is-shown', n <= step);
  }
  for (const code of slide.querySelectorAll<HTMLElement>('.sc')) {
    const count = Number(code.dataset.ranges);
    if (!count) continue;
    const active = String(activeRange(step, Number(code.dataset.base), count));
    code.classList.add('has-focus');
    for (const line of code.querySelectorAll<HTMLElement>('.sc-line')) {
      line.classList.toggle('is-lit', (line.dataset.lit ?? '').split(' ').includes(active));
    }
  }
}

/** Makes every slide inert and hidden, ready for showPosition. */
export function hideAll(dom: DeckDom): void {
  for (const s of dom.slides) {
    s.inert = true;
    s.classList.remove('is-current');
  }
}

/** Shows `to` (hiding the slide of `from`, when it differs). */
export function showPosition(dom: DeckDom, from: Position | undefined, to: Position): void {
  const next = dom.slides[to.slide];
  const old = from ? dom.slides[from.slide] : undefined;
  if (old && old !== next) {
    old.classList.remove('is-current');
    old.inert = true;
  }
  if (!next) return;
  next.classList.add('is-current');
  next.inert = false;
  applySteps(next, to.step);
}

/** A copy of a slide for a preview or thumbnail: no ids (they would repeat on the page), not focusable. */
export function cloneSlide(slide: HTMLElement): HTMLElement {
  const copy = slide.cloneNode(true) as HTMLElement;
  for (const el of [copy, ...copy.querySelectorAll('[id]')]) el.removeAttribute('id');
  for (const el of copy.querySelectorAll('[aria-describedby]')) el.removeAttribute('aria-describedby');
  copy.inert = true;
  copy.setAttribute('aria-hidden', 'true');
  return copy;
}

/** Keeps `canvas` scaled and centred in `box` as the box resizes. */
export function fitToBox(box: HTMLElement, canvas: HTMLElement): void {
  const apply = () => {
    const fit = fitCanvas(box.clientWidth, box.clientHeight, { width: canvas.offsetWidth || 1920, height: canvas.offsetHeight || 1080 });
    canvas.style.setProperty('--fit-scale', String(fit.scale));
    canvas.style.setProperty('--fit-x', `${fit.x}px`);
    canvas.style.setProperty('--fit-y', `${fit.y}px`);
  };
  apply();
  new ResizeObserver(apply).observe(box);
}

/**
 * Like fitToBox, for the audience view: where the fitted canvas would be too small to read (a
 * phone held upright, see readingLayout), `root` gets `is-reading` and the slides reflow to the
 * window's width at a readable size and scroll down instead.
 */
export function fitOrRead(root: HTMLElement, box: HTMLElement, canvas: HTMLElement): void {
  let shape = { width: 1920, height: 1080 };
  const apply = () => {
    // The canvas as presented (a 4:3 deck is narrower); while reading, its laid-out size is not that.
    if (!root.classList.contains('is-reading')) shape = { width: canvas.offsetWidth || 1920, height: canvas.offsetHeight || 1080 };
    else shape = { width: parseFloat(getComputedStyle(canvas).getPropertyValue('--dk-canvas-w')) || shape.width, height: shape.height };
    const reading = readingLayout(box.clientWidth, box.clientHeight, shape);
    root.classList.toggle('is-reading', reading !== undefined);
    if (reading) {
      canvas.style.setProperty('--read-w', `${reading.width}px`);
      canvas.style.setProperty('--read-h', `${reading.minHeight}px`);
      canvas.style.setProperty('--read-zoom', String(reading.zoom));
      return;
    }
    const fit = fitCanvas(box.clientWidth, box.clientHeight, shape);
    canvas.style.setProperty('--fit-scale', String(fit.scale));
    canvas.style.setProperty('--fit-x', `${fit.x}px`);
    canvas.style.setProperty('--fit-y', `${fit.y}px`);
  };
  apply();
  new ResizeObserver(apply).observe(box);
}
