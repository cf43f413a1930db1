/**
 * The concept pages in a real browser: every page shows its diagrams as accessible images whose
 * words fit their boxes in the font the browser really uses, stay readable on a phone, follows the
 * theme, has no serious axe violation in either theme, and Pagefind finds them.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIGURES_BY_PAGE } from '../../src/site/diagrams/figures/index.ts';
import { findSeriousViolations } from './axe.ts';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, newThemedContext, openBuiltSite } from './site.ts';

const PAGES = Object.keys(FIGURES_BY_PAGE);

let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

async function openPage(route: string, theme: 'light' | 'dark'): Promise<Page> {
  const context = await newThemedContext(browser, theme, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const response = await page.goto(site.url(route));
  expect(response?.status(), route).toBe(200);
  return page;
}

describe('concept pages', () => {
  for (const name of PAGES) {
    it(`${name}: shows its diagrams as images named by their titles`, async () => {
      const page = await openPage(`concepts/${name}/`, 'light');
      const figures = FIGURES_BY_PAGE[name]!;
      const svgs = page.locator('main svg.dg[role="img"]');
      expect(await svgs.count()).toBe(figures.length);
      for (const [i, figure] of figures.entries()) {
        const svg = svgs.nth(i);
        const parts = await svg.evaluate((el) => {
          const byId = (attr: string) => (el.getAttribute(attr) ?? '').split(/\s+/).map((id) => el.ownerDocument.getElementById(id));
          const [title] = byId('aria-labelledby');
          const [desc] = byId('aria-describedby');
          return {
            titleTag: title?.tagName, titleInside: !!title && el.contains(title), title: title?.textContent ?? '',
            descTag: desc?.tagName, desc: desc?.textContent ?? '',
            texts: el.querySelectorAll('text').length, paths: el.querySelectorAll('path').length,
          };
        });
        expect(parts.titleTag).toBe('title');
        expect(parts.titleInside).toBe(true);
        expect(parts.title).toBe(figure.title);
        expect(parts.descTag).toBe('desc');
        expect(parts.desc).toBe(figure.description);
        expect(parts.texts).toBeGreaterThan(figure.graph.nodes.length);
        // The computed accessible name is the title.
        await expect(page.getByRole('img', { name: figure.title, exact: true }).count()).resolves.toBe(1);
      }
      await page.context().close();
    });

    it(`${name}: every word fits its box in the browser's own fonts`, async () => {
      const page = await openPage(`concepts/${name}/`, 'light');
      await page.evaluate(async () => {
        await document.fonts.ready;
      });
      const overflow = await page.evaluate(() => {
        const out: string[] = [];
        for (const g of document.querySelectorAll('svg.dg g.dg-node')) {
          const shape = g.querySelector('path, polygon') as SVGGraphicsElement | null;
          if (!shape) continue;
          const box = shape.getBBox();
          for (const t of g.querySelectorAll('text')) {
            const b = (t as SVGGraphicsElement).getBBox();
            if (b.x < box.x - 1 || b.x + b.width > box.x + box.width + 1 || b.y < box.y - 1 || b.y + b.height > box.y + box.height + 1) {
              out.push(`"${t.textContent}" (${b.width.toFixed(1)}px wide) leaves its box (${box.width.toFixed(1)}px)`);
            }
          }
        }
        return out;
      });
      expect(overflow).toEqual([]);
      await page.context().close();
    });
  }

  it('keeps every diagram label at least 10 px on a phone held upright; a wide diagram scrolls sideways instead', async () => {
    const context = await newThemedContext(browser, 'light', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const small: string[] = [];
    let scrolled = 0;
    for (const name of PAGES) {
      await page.goto(site.url(`concepts/${name}/`));
      const found = await page.evaluate(() =>
        [...document.querySelectorAll<SVGSVGElement>('main svg.dg')].map((svg) => {
          // Rendered size of a label: its font size in the drawing's units, times the drawing's scale.
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          const sizes = [...svg.querySelectorAll('text')].map((t) => Number(t.getAttribute('font-size') ?? getComputedStyle(t).fontSize.replace('px', '')));
          const box = svg.closest('.dg-scroll')!;
          return { title: svg.querySelector('title')?.textContent ?? '', px: Math.min(...sizes) * scale, scrolls: box.scrollWidth > box.clientWidth + 1 };
        }),
      );
      for (const f of found) {
        if (f.px < 10) small.push(`${name}: "${f.title}" labels at ${f.px.toFixed(1)} px`);
        if (f.scrolls) scrolled++;
      }
    }
    expect(small).toEqual([]);
    // The wider ones are there to be scrolled: at least one needs it at this width.
    expect(scrolled).toBeGreaterThan(0);
    await context.close();
  });

  it('draws diagrams in the colours of the current theme', async () => {
    const colours = async (theme: 'light' | 'dark') => {
      const page = await openPage('concepts/pods/', theme);
      const c = await page.evaluate(() => {
        const text = document.querySelector('svg.dg .dg-text')!;
        const device = document.querySelector('svg.dg .dg-node--device > path, svg.dg .dg-node--device > polygon')!;
        return { text: getComputedStyle(text).fill, device: getComputedStyle(device).fill, page: getComputedStyle(document.body).backgroundColor };
      });
      await page.context().close();
      return c;
    };
    const light = await colours('light');
    const dark = await colours('dark');
    expect(light.text).not.toBe(dark.text);
    expect(light.device).not.toBe(dark.device);
    for (const c of [light, dark]) {
      expect(c.text).not.toBe(c.device);
      expect(c.text).not.toBe(c.page);
    }
  });
});

describe('concept pages under axe-core', () => {
  for (const theme of ['light', 'dark'] as const) {
    for (const name of PAGES) {
      it(`${name} (${theme}) has no serious or critical violation`, async () => {
        const page = await openPage(`concepts/${name}/`, theme);
        const serious = await findSeriousViolations(page);
        await page.context().close();
        expect(serious).toEqual([]);
      });
    }
  }
});

describe('search', () => {
  it('finds a concept page with Pagefind', async () => {
    const page = await browser.newPage();
    await page.goto(site.url(''));
    await page.waitForSelector('site-search button[data-open-modal]:not([disabled])');
    await page.click('site-search button[data-open-modal]');
    const input = page.locator('site-search dialog input.pagefind-ui__search-input');
    await input.waitFor();
    await input.fill('Geneve');
    const hit = page.locator('site-search dialog a[href*="/concepts/pod-network/"]').first();
    await hit.waitFor({ timeout: 15_000 });
    expect(await hit.getAttribute('href')).toContain(`${site.base === '/' ? '' : site.base}/concepts/pod-network/`);
    await page.close();
  });
});
