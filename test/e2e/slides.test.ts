/**
 * The deck in the browser: keyboard, deep links, touch, overview, blackout, screen-reader
 * announcements, audience ⇄ presenter sync (BroadcastChannel and the storage fallback), the
 * PDF export and console errors. Runs against the built site (dist/).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDeckPdf } from '../../scripts/slides-pdf.ts';
import { serveStatic, type StaticSite } from './serve.ts';
import { assertBuilt, detectBase, DIST, launchBrowser } from './site.ts';

const DECK = 'k8s-networking-101';
let site: StaticSite;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  assertBuilt();
  site = await serveStatic(DIST, detectBase());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

function watch(page: Page): Page {
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e}`));
  return page;
}

async function openDeck(context: BrowserContext, view: '' | 'presenter/' = '', hash = ''): Promise<Page> {
  const page = watch(await context.newPage());
  await page.goto(site.url(`slides/${DECK}/${view}${hash}`));
  await page.waitForSelector('[data-ready]', { state: 'attached' });
  return page;
}

/** Where a page is: the current slide (1-based) and how many of its steps are shown. */
const where = (page: Page) =>
  page.evaluate(async () => {
    // The hash is written in a task after the key press (see hash-writer.ts): let it run first.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const slide = document.querySelector<HTMLElement>('[data-current] .slide.is-current, .deck-stage .slide.is-current')!;
    return { slide: Number(slide.dataset.slide), shown: slide.querySelectorAll('[data-step].is-shown').length, hash: location.hash };
  });
const stepsOf = (page: Page) => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.deck-stage .slide')].map((s) => Number(s.dataset.steps)));

describe('audience view', () => {
  let context: BrowserContext;
  let page: Page;
  let steps: number[];
  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    page = await openDeck(context);
    steps = await stepsOf(page);
  });
  afterAll(() => context.close());

  it('has the whole deck, with steps to walk through', () => {
    expect(steps.length).toBeGreaterThan(30);
    expect(steps.some((n) => n >= 2)).toBe(true);
  });

  it('badges each command block from the deck’s own record', async () => {
    const badges = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.deck-stage .lb-badge')].map((b) => ({ slide: Number(b.closest<HTMLElement>('.slide')!.dataset.slide), kind: [...b.classList].find((c) => c.startsWith('lb-badge--'))! })),
    );
    // The network-namespace block runs on every CI run; the two cluster snapshots point to the lab.
    expect(badges.map((b) => b.kind)).toEqual(['lb-badge--verified', 'lb-badge--skipped', 'lb-badge--skipped']);
    const title = await page.locator(`.deck-stage .slide[data-slide="${badges[0]!.slide}"] h1`).textContent();
    expect(title).toMatch(/network namespace/i);
  });

  it('steps forward and back with the keyboard, through every step', async () => {
    await page.keyboard.press('Home');
    const firstWithSteps = steps.findIndex((n) => n >= 2);
    await page.keyboard.type(String(firstWithSteps + 1));
    await page.keyboard.press('Enter');
    expect(await where(page)).toEqual({ slide: firstWithSteps + 1, shown: 0, hash: `#/${firstWithSteps + 1}` });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    expect(await where(page)).toEqual({ slide: firstWithSteps + 1, shown: 2, hash: `#/${firstWithSteps + 1}/2` });
    await page.keyboard.press('PageUp');
    expect((await where(page)).shown).toBe(1);
    await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    // Back past the first step: the previous slide, fully revealed.
    expect(await where(page)).toMatchObject({ slide: firstWithSteps, shown: steps[firstWithSteps - 1] });
    await page.keyboard.press('End');
    expect((await where(page)).slide).toBe(steps.length);
    await page.keyboard.press('Home');
    expect(await where(page)).toEqual({ slide: 1, shown: 0, hash: '#/1' });
  });

  it('keeps one slide live: the others are inert and hidden', async () => {
    await page.keyboard.press('ArrowDown');
    const state = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.deck-stage .slide')].map((s) => ({ current: s.classList.contains('is-current'), inert: s.inert, visible: getComputedStyle(s).visibility })),
    );
    expect(state.filter((s) => s.current)).toEqual([{ current: true, inert: false, visible: 'visible' }]);
    expect(state.filter((s) => !s.current).every((s) => s.inert && s.visible === 'hidden')).toBe(true);
  });

  it('announces slide changes to screen readers', async () => {
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const live = page.locator('[data-deck-live]');
    expect(await live.getAttribute('aria-live')).toBe('polite');
    const title = await page.evaluate(() => document.querySelector<HTMLElement>('.slide.is-current')!.dataset.title);
    expect(await live.textContent()).toBe(`Slide 2 of ${steps.length}: ${title}`);
  });

  it('opens a deep link at its slide and step, and follows hash edits', async () => {
    const target = steps.findIndex((n) => n >= 2) + 1;
    // A fresh context: in this one the open deck would answer the newcomer's hello and take it along.
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const other = watch(await fresh.newPage());
    await other.goto(site.url(`slides/${DECK}/#/${target}/2`));
    await other.waitForSelector('[data-ready]', { state: 'attached' });
    expect(await where(other)).toEqual({ slide: target, shown: 2, hash: `#/${target}/2` });
    await other.evaluate(() => (location.hash = '#/3'));
    await other.waitForFunction(() => document.querySelector<HTMLElement>('.slide.is-current')?.dataset.slide === '3');
    await fresh.close();
  });

  it('a second window of a running talk joins it rather than following its own link', async () => {
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const late = watch(await context.newPage());
    await late.goto(site.url(`slides/${DECK}/#/5`));
    await late.waitForFunction(() => document.querySelector<HTMLElement>('.slide.is-current')?.dataset.slide === '2');
    await late.close();
  });

  it('moves on with a click and with a swipe', async () => {
    await page.keyboard.press('Home');
    await page.mouse.click(900, 300);
    expect((await where(page)).slide).toBe(2);
    await page.mouse.click(60, 300);
    expect((await where(page)).slide).toBe(1);
    const swipe = (from: number, to: number) =>
      page.evaluate(
        ([a, b]) => {
          const stage = document.querySelector('.deck-stage')!;
          const touch = (x: number) => new Touch({ identifier: 1, target: stage, clientX: x, clientY: 300 });
          stage.dispatchEvent(new TouchEvent('touchstart', { touches: [touch(a!)], changedTouches: [touch(a!)], bubbles: true }));
          stage.dispatchEvent(new TouchEvent('touchend', { touches: [], changedTouches: [touch(b!)], bubbles: true }));
        },
        [from, to],
      );
    await swipe(900, 300);
    expect((await where(page)).slide).toBe(2);
    await swipe(300, 900);
    expect((await where(page)).slide).toBe(1);
  });

  it('blacks out with B and with .', async () => {
    const blackout = page.locator('.deck-blackout');
    await page.keyboard.press('b');
    expect(await blackout.isVisible()).toBe(true);
    await page.keyboard.press('.');
    expect(await blackout.isVisible()).toBe(false);
  });

  it('shows every slide in the overview and jumps to the one picked', async () => {
    await page.keyboard.press('Home');
    await page.keyboard.press('o');
    const dialog = page.locator('dialog.deck-overview');
    expect(await dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(true);
    expect(await page.locator('.deck-overview__item').count()).toBe(steps.length);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    expect(await dialog.evaluate((d: HTMLDialogElement) => d.open)).toBe(false);
    expect((await where(page)).slide).toBe(3);
  });

  it('scales the 1920×1080 canvas to the window', async () => {
    const box = await page.locator('.deck-stage .slide.is-current').boundingBox();
    expect(box!.width / box!.height).toBeCloseTo(16 / 9, 2);
    expect(Math.round(box!.height)).toBe(720);
  });
});

describe('presenter view', () => {
  async function syncPair(context: BrowserContext) {
    const audience = await openDeck(context);
    await audience.keyboard.press('Home');
    const steps = await stepsOf(audience);
    const target = steps.findIndex((n) => n >= 2) + 1;
    // Mid-talk: the audience has moved on before the presenter tab opens.
    await audience.keyboard.type(String(target));
    await audience.keyboard.press('Enter');
    await audience.keyboard.press('ArrowRight');
    const presenter = await openDeck(context, 'presenter/');
    await presenter.waitForFunction((t) => document.querySelector<HTMLElement>('[data-current] .slide.is-current')?.dataset.slide === String(t), target);
    expect(await where(presenter)).toEqual({ slide: target, shown: 1, hash: `#/${target}/1` });
    return { audience, presenter, target, steps };
  }

  const follows = (page: Page, slide: number, shown: number) =>
    page.waitForFunction(
      ([s, n]) => {
        const el = document.querySelector<HTMLElement>('[data-current] .slide.is-current, .deck-stage .slide.is-current');
        return el?.dataset.slide === String(s) && el.querySelectorAll('[data-step].is-shown').length === n;
      },
      [slide, shown],
      { timeout: 5000 },
    );

  it('joins mid-talk, then audience and presenter follow each other', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const { audience, presenter, target } = await syncPair(context);
    await presenter.keyboard.press('ArrowRight');
    await follows(audience, target, 2);
    await audience.keyboard.press('ArrowDown');
    await follows(presenter, target + 1, 0);
    await presenter.keyboard.press('b');
    await audience.waitForSelector('.deck-blackout:not([hidden])', { state: 'attached' });
    await presenter.keyboard.press('b');
    await audience.waitForSelector('.deck-blackout[hidden]', { state: 'attached' });
    await context.close();
  });

  it('syncs through localStorage where BroadcastChannel is missing', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(() => {
      // @ts-expect-error: simulating a browser without BroadcastChannel
      delete window.BroadcastChannel;
    });
    const { audience, presenter, target } = await syncPair(context);
    expect(await audience.evaluate(() => typeof BroadcastChannel)).toBe('undefined');
    await presenter.keyboard.press('ArrowRight');
    await follows(audience, target, 2);
    await audience.keyboard.press('ArrowDown');
    await follows(presenter, target + 1, 0);
    await context.close();
  });

  it('previews the next step, shows the notes and runs the clocks', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const presenter = await openDeck(context, 'presenter/', '#/2');
    const preview = () =>
      presenter.evaluate(() => {
        const slide = document.querySelector<HTMLElement>('[data-next] .slide')!;
        return { slide: Number(slide.dataset.slide), shown: slide.querySelectorAll('[data-step].is-shown').length };
      });
    // Slide 2 has steps: the preview is slide 2 with one more step, not slide 3.
    expect(await preview()).toEqual({ slide: 2, shown: 1 });
    expect(await presenter.locator('[data-notes-panel]').textContent()).toMatch(/\w/);
    expect(await presenter.locator('[data-clock]').textContent()).toMatch(/^\d\d:\d\d$/);
    await presenter.keyboard.press('End');
    expect(await presenter.locator('[data-next-label]').textContent()).toBe('End of the deck');
    expect(await presenter.locator('[data-elapsed]').textContent()).toMatch(/^0:0\d$/);
    await context.close();
  });
});

describe('export', () => {
  it('prints one non-blank PDF page per slide, and per step on request', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slides-pdf-'));
    try {
      const probe = await openDeck(await browser.newContext());
      const steps = await stepsOf(probe);
      await probe.context().close();
      const slides = await exportDeckPdf(browser, site.url(''), { deck: DECK, out: path.join(dir, 'deck.pdf') });
      const info = execFileSync('pdfinfo', [slides.file], { encoding: 'utf8' });
      expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(steps.length);
      expect(slides.pages).toBe(steps.length);
      // Every page has content: render it small and look for more than one colour.
      execFileSync('pdftoppm', ['-r', '10', slides.file, path.join(dir, 'p')]);
      const pages = (await readdir(dir)).filter((f) => f.endsWith('.ppm'));
      expect(pages).toHaveLength(steps.length);
      for (const f of pages) expect(countColours(await readFile(path.join(dir, f))), f).toBeGreaterThan(4);
      const perStep = await exportDeckPdf(browser, site.url(''), { deck: DECK, out: path.join(dir, 'steps.pdf'), steps: true, theme: 'dark' });
      const stepInfo = execFileSync('pdfinfo', [perStep.file], { encoding: 'utf8' });
      expect(Number(/Pages:\s+(\d+)/.exec(stepInfo)![1])).toBe(steps.reduce((sum, n) => sum + n + 1, 0));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Distinct colours in a binary PPM (P6) image: 1 for a blank page. */
function countColours(ppm: Buffer): number {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const data = ppm.subarray(header[0].length);
  const colours = new Set<number>();
  for (let i = 0; i + 2 < data.length; i += 3) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
  return colours.size;
}

describe('accessibility (axe-core)', () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  for (const theme of ['light', 'dark'] as const) {
    for (const [view, hash] of [['', '#/10/4'], ['', '#/29'], ['presenter/', '#/14/1']] as const) {
      it(`${view || 'audience'} ${hash} (${theme}) has no serious or critical violation`, async () => {
        const context = await browser.newContext({ colorScheme: theme, viewport: { width: 1280, height: 800 } });
        const page = await openDeck(context, view, hash);
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          type Axe = { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> };
          const result = await (window as unknown as { axe: Axe }).axe.run(document, { resultTypes: ['violations'] });
          return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')}`);
        });
        await context.close();
        expect(violations).toEqual([]);
      });
    }
  }
});

describe('console', () => {
  it('the deck pages log no errors', async () => {
    const context = await browser.newContext();
    for (const view of ['', 'presenter/', 'print/'] as const) {
      const page = watch(await context.newPage());
      await page.goto(site.url(`slides/${DECK}/${view}`), { waitUntil: 'networkidle' });
      await page.close();
    }
    await context.close();
    expect(errors).toEqual([]);
  });
});
