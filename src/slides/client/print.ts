/**
 * The print route (/slides/<deck>/print/): every slide fully revealed, one page each; with
 * `?steps`, one page per step. When fonts and images are ready it sets
 * `<html data-slides-ready>` — the signal the PDF export waits for (no guessing with network idle).
 */
import { applySteps, cloneSlide, readDeck } from './deck-view.ts';

const canvas = document.querySelector<HTMLElement>('[data-print-root]')!;
const dom = readDeck(canvas);
const perStep = new URLSearchParams(location.search).has('steps');

for (const [i, slide] of dom.slides.entries()) {
  const steps = dom.shape.steps[i] ?? 0;
  if (perStep) {
    for (let step = 0; step < steps; step++) {
      const copy = cloneSlide(slide);
      copy.inert = false;
      copy.removeAttribute('aria-hidden');
      copy.dataset.printStep = String(step);
      applySteps(copy, step);
      slide.before(copy);
    }
  }
  slide.dataset.printStep = String(steps);
  applySteps(slide, steps);
  // A page per slide shows code whole: dimmed lines help a live audience follow, not a reader.
  if (!perStep) for (const code of slide.querySelectorAll('.sc')) code.classList.remove('has-focus');
}

async function whenReady(): Promise<void> {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.decode().catch(() => undefined)));
  // Two frames: styles and layout of the revealed steps have been applied.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  document.documentElement.dataset.slidesPages = String(canvas.querySelectorAll('.slide').length);
  document.documentElement.dataset.slidesReady = 'true';
}
void whenReady();
