/** Search, dark mode, console errors, third-party requests and the phone layout of the built site. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, DIST, FIXTURE_STEP, openBuiltSite, watchConsoleErrors } from './site.ts';
import { listHtmlRoutes } from './html-files.ts';

let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

describe('search', () => {
  it('finds a lab step with Pagefind', async () => {
    const page = await browser.newPage();
    await page.goto(site.url(''));
    await page.waitForSelector('site-search button[data-open-modal]:not([disabled])');
    await page.click('site-search button[data-open-modal]');
    const input = page.locator('site-search dialog input.pagefind-ui__search-input');
    await input.waitFor();
    await input.fill('zebrafish');
    const hit = page.locator('site-search dialog a[href*="/labs/netns-basics/02-services/"]').first();
    await hit.waitFor({ timeout: 15_000 });
    expect(await hit.getAttribute('href')).toContain(`${site.base === '/' ? '' : site.base}/labs/netns-basics/02-services/`);
    await page.close();
  });
});

describe('dark mode', () => {
  it('toggles between light and dark, and the terminals follow', async () => {
    const page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(site.url(FIXTURE_STEP));
    const select = page.locator('starlight-theme-select select').first();
    const bg = () => page.evaluate(() => getComputedStyle(document.querySelector('.lb-body')!).backgroundColor);
    await select.selectOption('dark');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    const dark = await bg();
    await select.selectOption('light');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    const light = await bg();
    expect(dark).not.toBe(light);
    expect(light).toBe('rgb(255, 255, 255)');
    // The choice survives a reload.
    await page.reload();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    await page.close();
  });
});

describe('every page', () => {
  let pages: { route: string; errors: string[]; foreign: string[] }[] = [];

  beforeAll(async () => {
    const routes = await listHtmlRoutes(DIST);
    const context = await browser.newContext();
    pages = [];
    for (const route of routes) {
      const page: Page = await context.newPage();
      const errors: string[] = [];
      const foreign: string[] = [];
      watchConsoleErrors(page, (text) => errors.push(text));
      page.on('request', (r) => {
        if (!r.url().startsWith(site.origin) && !r.url().startsWith('data:')) foreign.push(r.url());
      });
      const response = await page.goto(site.url(route), { waitUntil: 'networkidle' });
      if (route !== '404.html' && response?.status() !== 200) errors.push(`HTTP ${response?.status()}`);
      pages.push({ route, errors, foreign });
      await page.close();
    }
    await context.close();
  }, 120_000);

  it('were all visited', () => {
    expect(pages.map((p) => p.route)).toEqual(expect.arrayContaining(['', FIXTURE_STEP, 'status/', 'labs/netns-basics/', '404.html']));
  });

  it('log no console errors', () => {
    expect(pages.filter((p) => p.errors.length > 0)).toEqual([]);
  });

  it('make no third-party requests', () => {
    expect(pages.filter((p) => p.foreign.length > 0)).toEqual([]);
  });
});

describe('phone layout', () => {
  it('does not scroll sideways; long lines scroll inside their block', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    for (const route of ['', FIXTURE_STEP, 'labs/netns-basics/02-services/', 'status/']) {
      await page.goto(site.url(route));
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.doc, route).toBeLessThanOrEqual(widths.view);
    }
    await page.goto(site.url('labs/netns-basics/02-services/'));
    const pre = await page.evaluate(() => {
      const el = document.querySelector('#block-02-services-1 pre')!;
      return { scroll: el.scrollWidth, client: el.clientWidth };
    });
    expect(pre.scroll).toBeGreaterThan(pre.client);
    await page.close();
  });
});
