/**
 * The deck on a phone held upright: instead of the 16:9 canvas scaled to ~8 px text, every slide
 * reflows to the window's width and scrolls, with every piece of text at 16 CSS px or more and
 * no speaker notes anywhere; a desktop window keeps the canvas exactly as before.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANVAS, fitCanvas } from '../../src/slides/fit.ts';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, openBuiltSite } from './site.ts';

const DECK = 'k8s-networking-101';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

async function open(page: Page, hash = '#/1'): Promise<void> {
  await page.goto(site.url(`slides/${DECK}/${hash}`));
  await page.waitForSelector('[data-ready]', { state: 'attached' });
}

/** Text of the current slide as it shows: each visible text element and its size on screen (CSS px). */
function shownText(page: Page) {
  return page.evaluate(() => {
    const slide = document.querySelector<HTMLElement>('.deck-stage .slide.is-current')!;
    const out: { what: string; px: number }[] = [];
    for (const el of slide.querySelectorAll<HTMLElement>('h1, h2, h3, p, li, td, th, figcaption, .sc-title, .lb-badge, .rp-tag, .rp-text, .lb-body, .sc-body')) {
      if (!el.checkVisibility({ visibilityProperty: true }) || !el.textContent?.trim()) continue;
      // currentCSSZoom: the zoom the reading layout applies; the fixed canvas scales by transform instead.
      const px = parseFloat(getComputedStyle(el).fontSize) * el.currentCSSZoom;
      out.push({ what: `${el.tagName.toLowerCase()}.${el.className} “${el.textContent.trim().slice(0, 30)}”`, px });
    }
    return out;
  });
}

describe('the deck on a phone held upright', () => {
  it('reflows every slide so all its text is at least 16 px on screen, with no sideways scrolling', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await open(page);
    expect(await page.locator('.deck').evaluate((d) => d.classList.contains('is-reading'))).toBe(true);
    const slides = await page.locator('.deck-stage .slide').count();
    expect(slides).toBeGreaterThan(10);
    const small: string[] = [];
    for (let s = 1; s <= slides; s++) {
      // Every step shown: the slide's full content.
      await page.evaluate((s) => (location.hash = `#/${s}/99`), s);
      await page.waitForFunction((s) => document.querySelector<HTMLElement>('.deck-stage .slide.is-current')?.dataset.slide === String(s), s);
      for (const t of await shownText(page)) {
        if (t.px < 16) small.push(`slide ${s}: ${t.what} at ${t.px.toFixed(1)} px`);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `slide ${s} scrolls sideways`).toBeLessThanOrEqual(390);
    }
    expect(small).toEqual([]);
    // Body text (the slide's own size) is the reading size, 19 px, where the scaled canvas would show it at 8 px.
    const body = await page.locator('.deck-stage .slide.is-current').evaluate((s) => parseFloat(getComputedStyle(s).fontSize) * s.currentCSSZoom);
    expect(body).toBeCloseTo(19, 1);
    expect(fitCanvas(390, 844).scale * 40).toBeLessThan(9);
    await context.close();
  });

  it('scrolls a slide taller than the phone, and a new slide starts at its top', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await open(page);
    const slides = await page.locator('.deck-stage .slide').count();
    let tall = 0;
    for (let s = 1; s <= slides && !tall; s++) {
      await page.evaluate((s) => (location.hash = `#/${s}/99`), s);
      await page.waitForFunction((s) => document.querySelector<HTMLElement>('.deck-stage .slide.is-current')?.dataset.slide === String(s), s);
      if (await page.locator('.deck-stage').evaluate((st) => st.scrollHeight > st.clientHeight + 10)) tall = s;
    }
    expect(tall).toBeGreaterThan(0);
    const scrolled = await page.locator('.deck-stage').evaluate((st) => {
      st.scrollTop = st.scrollHeight;
      return st.scrollTop;
    });
    expect(scrolled).toBeGreaterThan(0);
    // The bottom of the slide clears the control bar once scrolled down.
    const clear = await page.evaluate(() => {
      const slide = document.querySelector('.deck-stage .slide.is-current .slide__body > :last-child')!.getBoundingClientRect();
      return slide.bottom <= document.querySelector('.deck-controls')!.getBoundingClientRect().top;
    });
    expect(clear).toBe(true);
    // From its last step, the next move is the next slide.
    await page.locator('[data-deck-action="next"]').click();
    await page.waitForFunction((s) => Number(document.querySelector<HTMLElement>('.deck-stage .slide.is-current')?.dataset.slide) === s + 1, tall);
    expect(await page.locator('.deck-stage').evaluate((st) => st.scrollTop)).toBe(0);
    await context.close();
  });

  it('never shows a speaker note, on a slide or in the overview', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await open(page);
    const notes = await page.evaluate(() => [...document.querySelectorAll('.slide-notes')].map((n) => n.textContent!.trim().replace(/\s+/g, ' ').slice(0, 60)).filter(Boolean));
    expect(notes.length).toBeGreaterThan(5);
    const slides = await page.locator('.deck-stage .slide').count();
    for (let s = 1; s <= slides; s++) {
      await page.evaluate((s) => (location.hash = `#/${s}/99`), s);
      await page.waitForFunction((s) => document.querySelector<HTMLElement>('.deck-stage .slide.is-current')?.dataset.slide === String(s), s);
      expect(await page.evaluate(() => [...document.querySelectorAll('.slide-notes')].some((n) => n.checkVisibility()))).toBe(false);
      const text = (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
      for (const n of notes) expect(text, `slide ${s}`).not.toContain(n);
    }
    await page.locator('[data-deck-action="overview"]').click();
    await page.locator('dialog.deck-overview[open]').waitFor();
    const text = (await page.evaluate(() => document.body.innerText)).replace(/\s+/g, ' ');
    for (const n of notes) expect(text).not.toContain(n);
    await context.close();
  });
});

describe('the deck on a desktop', () => {
  it('keeps the fixed 16:9 canvas, fitted and centred as before', async () => {
    for (const [width, height] of [
      [1920, 1080],
      [1280, 720],
      [1024, 768],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await open(page, '#/2');
      expect(await page.locator('.deck').evaluate((d) => d.classList.contains('is-reading'))).toBe(false);
      const fit = fitCanvas(width, height, CANVAS);
      const box = await page.locator('.deck-stage .slide.is-current').evaluate((s) => {
        const r = s.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height, zoom: s.currentCSSZoom };
      });
      expect(box.zoom).toBe(1);
      expect(box.w).toBeCloseTo(CANVAS.width * fit.scale, 1);
      expect(box.h).toBeCloseTo(CANVAS.height * fit.scale, 1);
      expect(box.x).toBeCloseTo(fit.x, 1);
      expect(box.y).toBeCloseTo(fit.y, 1);
      const body = await page.locator('.deck-stage .slide.is-current li, .deck-stage .slide.is-current p').first().evaluate((el) => getComputedStyle(el).fontSize);
      expect(body).toBe('40px');
      await context.close();
    }
  });
});
