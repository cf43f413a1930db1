/**
 * Presenting a talk in the browser: nothing private reaches the projector (overview thumbnails),
 * the presenter's own overview, go-to, key help, notes zoom and scrolling, blackout that a
 * clicker cannot skip past, the timer (any window starts it; pause, countdown, kept across closed
 * windows, reset), forced colours, slide titles and the laser pointer. Runs against dist-e2e.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, openBuiltSite } from './site.ts';

const DECK = 'k8s-networking-101';
let site: StaticSite;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(async () => {
  await closeBuiltSite({ site, browser });
  expect(errors).toEqual([]);
});

async function open(context: BrowserContext, view: '' | 'presenter/' = '', hash = ''): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e}`));
  await page.goto(site.url(`slides/${DECK}/${view}${hash}`));
  await page.waitForSelector('[data-ready]', { state: 'attached' });
  return page;
}

const slideOf = (page: Page) => page.evaluate(() => Number(document.querySelector<HTMLElement>('[data-current] .slide.is-current, .deck-stage .slide.is-current')!.dataset.slide));
const waitSlide = (page: Page, n: number) =>
  page.waitForFunction((s) => document.querySelector<HTMLElement>('[data-current] .slide.is-current, .deck-stage .slide.is-current')?.dataset.slide === String(s), n, { timeout: 5000 });
/** Every speaker note's text in the deck, read from the page's own markup. */
const noteTexts = (page: Page) => page.evaluate(() => [...document.querySelectorAll('.deck-canvas [data-notes]')].map((n) => (n.textContent ?? '').trim().slice(0, 40)).filter(Boolean));

describe('nothing private on the projector', () => {
  it('the audience overview shows no speaker notes, and its thumbnails keep the slide layout', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await open(context);
    const notes = await noteTexts(page);
    expect(notes.length).toBeGreaterThan(10);
    await page.keyboard.press('o');
    await page.waitForSelector('dialog.deck-overview[open]');
    // What a person sees: the rendered text of the open dialog.
    const seen = await page.locator('dialog.deck-overview').innerText();
    for (const note of notes) expect(seen).not.toContain(note);
    const hidden = await page.evaluate(() => [...document.querySelectorAll('.deck-overview [data-notes]')].every((n) => getComputedStyle(n).display === 'none'));
    expect(hidden).toBe(true);
    const align = await page.evaluate(() => getComputedStyle(document.querySelector('.deck-overview__item .slide p')!).textAlign);
    expect(['start', 'left']).toContain(align);
    await context.close();
  });

  it('every slide has a title for the overview, the presenter and screen readers', async () => {
    const context = await browser.newContext();
    const page = await open(context);
    const untitled = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.deck-stage .slide')].filter((s) => !s.dataset.title).map((s) => s.dataset.slide));
    expect(untitled).toEqual([]);
    await context.close();
  });

  it('hides the Copy button and projects the status badge at a readable size', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await open(context);
    const chrome = await page.evaluate(() => ({
      copy: [...document.querySelectorAll('.deck-stage .lb-copy')].map((b) => getComputedStyle(b).display),
      badge: [...document.querySelectorAll('.deck-stage .lb-badge')].map((b) => parseFloat(getComputedStyle(b).fontSize)),
    }));
    expect(chrome.copy.length).toBeGreaterThan(0);
    expect(new Set(chrome.copy)).toEqual(new Set(['none']));
    expect(Math.min(...chrome.badge)).toBeGreaterThanOrEqual(20);
    await context.close();
  });
});

describe('keys', () => {
  it('? opens the key help in both views, Esc closes it', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    for (const view of ['', 'presenter/'] as const) {
      const page = await open(context, view);
      await page.keyboard.press('?');
      const help = page.locator('[data-key-help]');
      expect(await help.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
      const text = await help.innerText();
      expect(text).toMatch(/overview/i);
      expect(text.includes('notes text bigger')).toBe(view === 'presenter/');
      // The deck's own keys are off while the help is open.
      const before = await slideOf(page);
      await page.keyboard.press('ArrowDown');
      expect(await slideOf(page)).toBe(before);
      await page.keyboard.press('Escape');
      expect(await help.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
      await page.close();
    }
    await context.close();
  });

  it('the presenter has its own overview and go-to, and the audience follows', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const audience = await open(context, '', '#/1');
    const presenter = await open(context, 'presenter/');
    await presenter.keyboard.press('o');
    await presenter.waitForSelector('dialog.deck-overview[open]');
    const count = await presenter.locator('.deck-overview__item').count();
    expect(count).toBe(await audience.locator('.deck-stage .slide').count());
    await presenter.keyboard.press('ArrowRight');
    await presenter.keyboard.press('ArrowRight');
    await presenter.keyboard.press('Enter');
    await waitSlide(presenter, 3);
    await waitSlide(audience, 3);
    // The audience never showed a grid.
    expect(await audience.locator('dialog.deck-overview').evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    await presenter.keyboard.type('12');
    expect(await presenter.locator('[data-deck-jump]').textContent()).toBe('Go to slide 12 — Enter');
    await presenter.keyboard.press('Enter');
    await waitSlide(audience, 12);
    await presenter.evaluate(() => (location.hash = '#/20'));
    await waitSlide(presenter, 20);
    await waitSlide(audience, 20);
    await context.close();
  });

  it('notes zoom with + and −, and scroll with J and K', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const presenter = await open(context, 'presenter/', '#/1');
    const size = () => presenter.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-notes-panel]')!).fontSize));
    const start = await size();
    await presenter.keyboard.press('+');
    await presenter.keyboard.press('+');
    expect(await size()).toBeGreaterThan(start);
    for (let i = 0; i < 8; i++) await presenter.keyboard.press('+');
    const scroller = presenter.locator('.pv-notes');
    const scroll = () => scroller.evaluate((el) => el.scrollTop + (el.querySelector<HTMLElement>('[data-notes-panel]')!.scrollTop ?? 0));
    expect(await scroll()).toBe(0);
    await presenter.keyboard.press('j');
    await presenter.waitForFunction(() => {
      const el = document.querySelector<HTMLElement>('.pv-notes')!;
      return el.scrollTop + document.querySelector<HTMLElement>('[data-notes-panel]')!.scrollTop > 0;
    });
    await presenter.keyboard.press('k');
    await presenter.keyboard.press('k');
    await presenter.waitForFunction(() => document.querySelector<HTMLElement>('.pv-notes')!.scrollTop + document.querySelector<HTMLElement>('[data-notes-panel]')!.scrollTop === 0);
    // The size is the presenter's own setting: kept across a reload.
    const zoomed = await size();
    await presenter.reload();
    await presenter.waitForSelector('[data-ready]', { state: 'attached' });
    expect(await size()).toBe(zoomed);
    await context.close();
  });

  it('a step key on a black screen only lifts the blackout', async () => {
    const context = await browser.newContext();
    const page = await open(context, '', '#/4');
    const blackout = page.locator('.deck-blackout');
    await page.keyboard.press('b');
    expect(await blackout.isVisible()).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await blackout.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.querySelectorAll('.deck-stage .slide.is-current [data-step].is-shown').length)).toBe(0);
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.querySelectorAll('.deck-stage .slide.is-current [data-step].is-shown').length)).toBe(1);
    await context.close();
  });
});

describe('the timer', () => {
  it('starts on a move in the audience window, pauses, survives closing every window, and resets', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    let audience = await open(context, '', '#/1');
    let presenter = await open(context, 'presenter/');
    const button = presenter.locator('[data-timer]');
    expect(await button.textContent()).toBe('Start timer');
    // A clicker drives the projector's window.
    await audience.keyboard.press('PageDown');
    await audience.keyboard.press('ArrowDown');
    await waitSlide(presenter, 3);
    await presenter.waitForFunction(() => document.querySelector('[data-timer]')!.textContent === 'Pause timer');
    await presenter.waitForFunction(() => document.querySelector('[data-elapsed]')!.textContent !== '0:00', null, { timeout: 5000 });

    // Close both windows, then open the deck again without a link: same place, timer still running.
    await audience.close();
    await presenter.close();
    audience = await open(context);
    expect(await slideOf(audience)).toBe(3);
    presenter = await open(context, 'presenter/');
    expect(await slideOf(presenter)).toBe(3);
    expect(await presenter.locator('[data-timer]').textContent()).toBe('Pause timer');
    expect(await presenter.locator('[data-elapsed]').textContent()).not.toBe('0:00');

    // Pause: the time stops, in every window, and stays stopped.
    await presenter.locator('[data-timer]').click();
    expect(await presenter.locator('[data-timer]').textContent()).toBe('Resume timer');
    expect(await presenter.locator('[data-paused]').isVisible()).toBe(true);
    const stopped = await presenter.locator('[data-elapsed]').textContent();
    await presenter.waitForTimeout(1200);
    expect(await presenter.locator('[data-elapsed]').textContent()).toBe(stopped);
    await presenter.locator('[data-timer]').click();
    expect(await presenter.locator('[data-timer]').textContent()).toBe('Pause timer');

    // Countdown: the time left of the planned 45 minutes.
    await presenter.locator('[data-countdown]').click();
    expect(await presenter.locator('[data-left]').textContent()).toMatch(/^4[45]:\d\d$/);

    // Reset takes two presses; one only arms it.
    await presenter.locator('[data-reset]').click();
    expect(await slideOf(presenter)).toBe(3);
    await presenter.locator('[data-reset]').click();
    await waitSlide(audience, 1);
    expect(await presenter.locator('[data-timer]').textContent()).toBe('Start timer');
    expect(await presenter.locator('[data-elapsed]').textContent()).toBe('0:00');
    await context.close();
  });
});

describe('forced colours', () => {
  it('keeps lit code lines apart from dimmed ones', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, forcedColors: 'active' });
    const page = await open(context);
    // The first slide with step-wise code highlights, at its second highlight.
    const target = await page.evaluate(() => Number(document.querySelector<HTMLElement>('.deck-stage .slide:has(.sc[data-ranges="4"])')!.dataset.slide));
    await page.evaluate((t) => (location.hash = `#/${t}/1`), target);
    await waitSlide(page, target);
    const lines = await page.evaluate(() => {
      const code = document.querySelector('.deck-stage .slide.is-current .sc.has-focus')!;
      const style = (el: Element | null) => (el ? { bg: getComputedStyle(el).backgroundColor, fg: getComputedStyle(el.querySelector('span[style]') ?? el).color } : undefined);
      return { lit: style(code.querySelector('.sc-line.is-lit')), dim: style(code.querySelector('.sc-line:not(.is-lit)')), forced: matchMedia('(forced-colors: active)').matches };
    });
    expect(lines.forced).toBe(true);
    expect(lines.lit).toBeDefined();
    expect(lines.dim).toBeDefined();
    expect(lines.lit!.bg).not.toBe(lines.dim!.bg);
    expect(lines.lit!.fg).not.toBe(lines.dim!.fg);
    await context.close();
  });
});

describe('4:3 canvas', () => {
  it('a deck with aspect 4:3 fills a 4:3 projector instead of being letterboxed', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await open(context, '', '#/2');
    const box = () => page.locator('.deck-stage .slide.is-current').boundingBox();
    // The 16:9 deck as built: letterboxed to 1024×576.
    expect(Math.round((await box())!.height)).toBe(576);
    // What DeckDocument renders for `aspect: 4:3` (the only deck is 16:9), then a resize.
    await page.evaluate(() => document.body.setAttribute('style', '--dk-canvas-w: 1440px; --dk-aspect: 4 / 3'));
    await page.setViewportSize({ width: 1024, height: 769 });
    await page.waitForFunction(() => Math.round(document.querySelector('.deck-stage .slide.is-current')!.getBoundingClientRect().width) === 1024);
    const b = (await box())!;
    expect(Math.round(b.height)).toBe(768);
    expect(b.width / b.height).toBeCloseTo(4 / 3, 2);
    await context.close();
  });
});

describe('laser pointer', () => {
  it('shows the presenter’s mouse on the audience screen, at the same place on the slide', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const audience = await open(context, '', '#/5');
    const presenter = await open(context, 'presenter/');
    await waitSlide(presenter, 5);
    await presenter.keyboard.press('l');
    const frame = (await presenter.locator('[data-current] .pv-frame').boundingBox())!;
    // The middle of the slide.
    const canvasBox = (await presenter.locator('[data-current] .deck-canvas').boundingBox())!;
    await presenter.mouse.move(canvasBox.x + canvasBox.width / 2, canvasBox.y + canvasBox.height / 2);
    expect(frame.width).toBeGreaterThan(0);
    const dot = audience.locator('.deck-laser');
    await dot.waitFor({ state: 'visible' });
    const at = (await dot.boundingBox())!;
    const stage = (await audience.locator('.deck-stage .slide.is-current').boundingBox())!;
    expect(Math.abs(at.x + at.width / 2 - (stage.x + stage.width / 2))).toBeLessThan(stage.width * 0.02);
    expect(Math.abs(at.y + at.height / 2 - (stage.y + stage.height / 2))).toBeLessThan(stage.height * 0.02);
    await presenter.keyboard.press('l');
    await dot.waitFor({ state: 'hidden' });
    await context.close();
  });
});
