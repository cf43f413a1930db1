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

/**
 * Links leave the browser in a PDF: a site link becomes the page's public URL (SITE_URL at build
 * time). Without one there is nothing to point to, so `data-slides-local-links` tells the export
 * how many site links it has to drop rather than print as links to this machine.
 */
function absoluteLinks(): void {
  const rootUrl = canvas.dataset.publicRoot;
  const base = canvas.dataset.base ?? '/';
  let local = 0;
  for (const a of canvas.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    const href = a.getAttribute('href')!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) continue;
    const target = new URL(href, location.href);
    const path = target.pathname;
    if (!rootUrl) {
      local++;
      continue;
    }
    const route = base !== '/' && path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path.replace(/^\/+/, '');
    a.href = new URL(route + target.search + target.hash, rootUrl).href;
  }
  document.documentElement.dataset.slidesLocalLinks = String(local);
}
absoluteLinks();

async function whenReady(): Promise<void> {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.decode().catch(() => undefined)));
  // Two frames: styles and layout of the revealed steps have been applied.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  document.documentElement.dataset.slidesPages = String(canvas.querySelectorAll('.slide').length);
  document.documentElement.dataset.slidesReady = 'true';
}
void whenReady();
