/**
 * `slides:check` in real Chromium: the deck as built passes, a slide made too wide fails with
 * its number and what overflows, and small text and missing titles are warned about.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDeck, formatFindings } from '../../scripts/slides-check.ts';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, openBuiltSite } from './site.ts';

const DECK = 'k8s-networking-101';
let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

describe('slides:check', () => {
  it('passes the deck as built: nothing overflows, no text under 20 px, every slide titled', async () => {
    const page = await browser.newPage();
    const result = await checkDeck(page, site.url(''), DECK);
    await page.close();
    expect(result.slides).toBeGreaterThan(30);
    expect(formatFindings(DECK, result.failures)).toEqual([]);
    expect(formatFindings(DECK, result.warnings)).toEqual([]);
  });

  it('fails on a code block too wide for its box and on content past the slide’s edge', async () => {
    const page = await browser.newPage();
    const result = await checkDeck(page, site.url(''), DECK, () => {
      const slides = document.querySelectorAll<HTMLElement>('[data-print-root] > .slide');
      // Slide 5: one code line made far longer than its frame.
      const line = slides[4]!.querySelector('.lb-body code, .sc-body code')!;
      line.append(document.createTextNode(' --and-a-very-long-option-that-no-projector-can-show'.repeat(3)));
      // Slide 3: a paragraph pushed past the right edge.
      const p = slides[2]!.querySelector('p')!;
      p.style.marginLeft = '1700px';
      p.style.whiteSpace = 'nowrap';
    });
    await page.close();
    const lines = formatFindings(DECK, result.failures);
    // Named by the code line that runs out (past its frame and the slide's edge).
    expect(lines.some((l) => /^slides\/k8s-networking-101\.mdx slide 5 \(.+\): (pre\.lb-body|code) “root@node.*(overflows its box by \d+ px|runs past the slide's edge)/.test(l)), lines.join('\n')).toBe(true);
    expect(lines.some((l) => /slide 3 .*runs past the slide's edge/.test(l)), lines.join('\n')).toBe(true);
    expect(result.failures.every((f) => f.slide === 3 || f.slide === 5)).toBe(true);
  });

  it('warns on projected text under 20 px and on a slide without a title', async () => {
    const page = await browser.newPage();
    const result = await checkDeck(page, site.url(''), DECK, () => {
      const slides = document.querySelectorAll<HTMLElement>('[data-print-root] > .slide');
      const note = document.createElement('p');
      note.textContent = 'fine print nobody can read';
      note.style.fontSize = '14px';
      slides[1]!.querySelector('.slide__body')!.append(note);
      delete slides[6]!.dataset.title;
    });
    await page.close();
    expect(result.failures).toEqual([]);
    const lines = formatFindings(DECK, result.warnings);
    expect(lines).toContain('slides/k8s-networking-101.mdx slide 2 (What we will cover): p “fine print nobody can read” is 14.0 px (under 20 px)');
    expect(lines.some((l) => /slide 7: no title/.test(l))).toBe(true);
  });
});
