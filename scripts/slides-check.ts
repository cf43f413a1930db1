/**
 * Checks a built deck for projection, in real Chromium at 1920×1080, every slide fully revealed:
 * - fails on content that overflows its box (a code block wider than its frame, anything cut off
 *   at the slide's edge), because overflow:hidden would cut it without a word;
 * - warns on text smaller than 20 px on the canvas (about 13 px on a 1280-wide projector) and on
 *   slides without a title (the overview, the presenter and screen readers name slides by it).
 *
 *   npm run slides:check                    # every deck of dist/ (builds the site if needed)
 *   npm run slides:check -- k8s-networking-101 --build
 *
 * Exit status: 0 no overflow, 1 overflow found, 2 no such deck / no build.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { serveStatic } from '../test/e2e/serve.ts';
import { launchBrowser, PROJECT_ROOT } from '../test/e2e/site.ts';
import { detectDeckBase, resolveBuiltDecks } from './slides-pdf.ts';

const DIST = path.resolve(PROJECT_ROOT, process.env.SLIDES_DIST ?? 'dist');

/** Text under this size (canvas px) is hard to read from the back of a room. */
export const MIN_TEXT_PX = 20;

/** One finding, on a slide (1-based, as the deck and the URL count). */
export interface SlideFinding {
  slide: number;
  title: string;
  message: string;
}

/** What checkDeckPage found. */
export interface DeckCheck {
  slides: number;
  failures: SlideFinding[];
  warnings: SlideFinding[];
}

/**
 * Opens `/slides/<deck>/print/` at `origin` in `page` and checks every slide. `prepare` runs in
 * the page before the check (the tests use it to add a slide that must fail).
 */
export async function checkDeck(page: Page, origin: string, deck: string, prepare?: () => void): Promise<DeckCheck> {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.emulateMedia({ media: 'print' });
  const response = await page.goto(`${origin}slides/${deck}/print/`);
  if (!response?.ok()) throw new Error(`slides/${deck}/print/ answered ${response?.status()} — is there a deck slides/${deck}.mdx, and was the site built since?`);
  await page.waitForFunction(() => document.documentElement.dataset.slidesReady === 'true', null, { timeout: 30_000 });
  if (prepare) await page.evaluate(prepare);
  return page.evaluate((minPx) => {
    const failures: { slide: number; title: string; message: string }[] = [];
    const warnings: { slide: number; title: string; message: string }[] = [];
    const slides = [...document.querySelectorAll<HTMLElement>('[data-print-root] > .slide')];
    const describe = (el: Element): string => {
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      const name = el.tagName.toLowerCase() + (el.classList.length ? `.${[...el.classList].join('.')}` : '');
      return `${name}${text ? ` “${text.length > 40 ? `${text.slice(0, 40)}…` : text}”` : ''}`;
    };
    for (const slide of slides) {
      const n = Number(slide.dataset.slide);
      const title = slide.dataset.title ?? '';
      const fail = (message: string) => failures.push({ slide: n, title, message });
      const warn = (message: string) => warnings.push({ slide: n, title, message });
      if (!title) warn('no title: give it a heading, or <Slide title="…">');
      const box = slide.getBoundingClientRect();
      const reported = new Set<Element>();
      const visible = [...slide.querySelectorAll<HTMLElement | SVGElement>('*')].filter((el) => {
        if (el.closest('[data-notes], .sr-only')) return false;
        const style = getComputedStyle(el);
        return style.display !== 'none' && style.visibility !== 'hidden';
      });
      // Anything past the slide's edge is cut off on the projector: name the outermost such element.
      for (const el of visible) {
        const r = el.getBoundingClientRect();
        if (!(r.width > 0 && r.height > 0) || [...reported].some((p) => p.contains(el))) continue;
        if (r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.top < box.top - 1) {
          reported.add(el);
          fail(`${describe(el)} runs past the slide's edge`);
        }
      }
      // Text that spills out of its (narrower) element past the edge.
      const texts = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
      for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        const el = node.parentElement!;
        if (!node.textContent?.trim() || !visible.includes(el) || [...reported].some((p) => p.contains(el))) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (r.width > 0 && (r.right > box.right + 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.top < box.top - 1)) {
          reported.add(el);
          fail(`${describe(el)} runs past the slide's edge`);
        }
      }
      // Content wider or taller than a box that hides or scrolls it (unless that content was named above).
      for (const el of visible) {
        if (!(el instanceof HTMLElement)) continue;
        const style = getComputedStyle(el);
        if (!/hidden|clip|auto|scroll/.test(style.overflowX + style.overflowY)) continue;
        const wide = el.scrollWidth - el.clientWidth;
        const tall = el.scrollHeight - el.clientHeight;
        if (wide <= 1 && tall <= 1) continue;
        if ([...reported].some((r) => r.contains(el) || el.contains(r))) continue;
        reported.add(el);
        fail(`${describe(el)} overflows its box by ${Math.max(wide, 0)} px across, ${Math.max(tall, 0)} px down`);
      }
      // Small text: every element with text of its own, at its size on the canvas (SVG text scaled by its drawing).
      const small = new Map<string, number>();
      const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue;
        const el = node.parentElement!;
        if (el.closest('[data-notes], .sr-only, [aria-hidden="true"]:not(svg)') || el.classList.contains('slide__number')) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        let px = parseFloat(style.fontSize);
        if (el instanceof SVGElement) px *= el.ownerSVGElement?.getScreenCTM()?.a ?? 1;
        if (px < minPx - 0.5) {
          const key = describe(el);
          small.set(key, Math.min(px, small.get(key) ?? Infinity));
        }
      }
      for (const [what, px] of small) warn(`${what} is ${px.toFixed(1)} px (under ${minPx} px)`);
    }
    return { slides: slides.length, failures, warnings };
  }, MIN_TEXT_PX);
}

/** The findings as lines: `deck.mdx slide 24 (DNS inside a pod): …`. */
export function formatFindings(deck: string, findings: SlideFinding[]): string[] {
  return findings.map((f) => `slides/${deck}.mdx slide ${f.slide}${f.title ? ` (${f.title})` : ''}: ${f.message}`);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { build: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    console.log('usage: npm run slides:check -- [deck...] [--build]');
    return 0;
  }
  const decks = await resolveBuiltDecks(DIST, positionals, values.build);
  if (typeof decks === 'number') return decks;
  const site = await serveStatic(DIST, await detectDeckBase(DIST, decks[0]!));
  const browser = await launchBrowser();
  let failed = false;
  try {
    const page = await browser.newPage();
    for (const deck of decks) {
      const result = await checkDeck(page, site.url(''), deck);
      for (const line of formatFindings(deck, result.warnings)) console.warn(`warning: ${line}`);
      for (const line of formatFindings(deck, result.failures)) console.error(`error: ${line}`);
      console.log(`slides/${deck}.mdx: ${result.slides} slides, ${result.failures.length} overflowing, ${result.warnings.length} warnings`);
      if (result.failures.length) failed = true;
    }
  } finally {
    await browser.close();
    await site.close();
  }
  if (failed) console.error('Shorten the content, split the slide, or use class="dense" (smaller code) on it.');
  return failed ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main();
