/**
 * The learner's side of a lab page in headless Chromium: "Check my output", their own values in
 * commands and Copy, tab stops per block, search excerpts, axe with the checker open, and the
 * page's script weight.
 */
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeriousViolations } from './axe.ts';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, openBuiltSite, type BuiltSite } from './site.ts';

const STEP2 = 'labs/netns-basics/02-services/';
const PODS = '#block-02-services-1';
const DELETE = '#block-02-services-5';
const MINE = [
  'NAME                      READY   STATUS    RESTARTS   AGE   IP            NODE',
  'website-7d4b9c8f6-x2k9p   1/1     Running   0          3m    10.244.1.23   kind-control-plane',
].join('\n');

let built: BuiltSite;
let site: StaticSite;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  built = await openBuiltSite();
  site = built.site;
  context = await built.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
  page = await context.newPage();
  await page.goto(site.url(STEP2));
});
afterAll(() => closeBuiltSite(built));

async function copyFrom(block: string): Promise<string> {
  await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
  await page.click(`${block} button.lb-copy`);
  await page.waitForFunction((b) => document.querySelector(`${b} button.lb-copy`)?.getAttribute('data-state') === 'copied', block);
  const text = await page.evaluate(() => navigator.clipboard.readText());
  await page.waitForFunction((b) => !document.querySelector(`${b} button.lb-copy`)?.hasAttribute('data-state'), block, { timeout: 5000 });
  return text;
}

async function check(block: string, pasted: string): Promise<void> {
  const panel = page.locator(`${block} .lb-checker`);
  if (!(await panel.isVisible())) await page.click(`${block} button.lb-check-open`);
  await panel.locator('textarea').fill(pasted);
  await panel.locator('.lb-check-result').evaluate((e) => e.removeAttribute('data-state'));
  await panel.locator('button.lb-check-run').click();
  await panel.locator('.lb-check-result[data-state]').waitFor();
}

describe('values in commands', () => {
  it('marks the pod name an earlier block printed, and says where it came from', async () => {
    const value = page.locator(`${DELETE} .lb-input .lb-vol--cmd`);
    expect(await value.textContent()).toBe('website-5746f499f-qzjjq');
    await value.focus();
    const tip = page.locator(`#${await value.getAttribute('aria-describedby')}`);
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain('printed by “kubectl get pods -l app=zebrafish -o wide” above');
  });
});

describe('check my output', () => {
  it('loads nothing until the learner checks', async () => {
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\/check\.[\w-]+\.js$/.test(n)));
    expect(scripts).toEqual([]);
  });

  it('shows the line diff of a drifted output and binds nothing', async () => {
    await check(PODS, MINE.replace('Running', 'Pending'));
    const result = page.locator(`${PODS} .lb-check-result`);
    expect(await result.getAttribute('data-state')).toBe('bad');
    expect(await result.locator('.lb-diff--minus').first().textContent()).toMatch(/^− website-5746f499f-qzjjq\s+1\/1\s+Running/);
    expect(await result.locator('.lb-diff--plus').first().textContent()).toMatch(/^\+ website-7d4b9c8f6-x2k9p\s+1\/1\s+Pending/);
    // The diff starts at the left edge of its box: no template whitespace before the first line.
    expect(await result.locator('pre.lb-diff code').evaluate((c) => c.firstChild?.nodeName)).toBe('SPAN');
    expect(await copyFrom(DELETE)).toBe('kubectl delete pod website-5746f499f-qzjjq');
    expect(await page.locator('.lb-values').count()).toBe(0);
  });

  it('binds the learner’s values on a match: later commands, outputs and Copy use them', async () => {
    await check(PODS, `me@laptop:~$ kubectl get pods -l app=zebrafish -o wide\n${MINE}`);
    expect(await page.locator(`${PODS} .lb-check-result`).getAttribute('data-state')).toBe('ok');
    expect(await page.locator(`${DELETE} .lb-input .lb-vol--cmd`).textContent()).toBe('website-7d4b9c8f6-x2k9p');
    expect(await page.locator(`${DELETE} .lb-out .lb-vol`).first().textContent()).toBe('website-7d4b9c8f6-x2k9p');
    expect(await copyFrom(DELETE)).toBe('kubectl delete pod website-7d4b9c8f6-x2k9p');
    const panel = page.locator('.lb-values');
    expect(await panel.textContent()).toContain('website-7d4b9c8f6-x2k9p');
  });

  it('keeps them for the lab across a reload and on its other pages', async () => {
    await page.reload();
    expect(await page.locator(`${DELETE} .lb-input .lb-vol--cmd`).textContent()).toBe('website-7d4b9c8f6-x2k9p');
    expect(await copyFrom(DELETE)).toBe('kubectl delete pod website-7d4b9c8f6-x2k9p');
    await page.goto(site.url('labs/netns-basics/01-namespaces/'));
    expect(await page.locator('.lb-values').textContent()).toContain('website-7d4b9c8f6-x2k9p');
    // Another lab keeps its own values: none here.
    await page.goto(site.url('labs/networking-from-scratch/01-a-pod-is-a-namespace/'));
    expect(await page.locator('.lb-values').count()).toBe(0);
    await page.goto(site.url(STEP2));
  });

  it('passes axe with the checker and its diff open', async () => {
    await check(PODS, MINE.replace('Running', 'Pending'));
    await page.click(`${PODS} .lb-tools button.lb-badge`);
    await page.locator('.lb-values summary').click();
    expect(await findSeriousViolations(page)).toEqual([]);
  });

  it('clearing the values restores the examples', async () => {
    await page.locator('.lb-values button.lb-values__clear').click();
    expect(await page.locator('.lb-values').count()).toBe(0);
    expect(await page.locator(`${DELETE} .lb-input .lb-vol--cmd`).textContent()).toBe('website-5746f499f-qzjjq');
    expect(await copyFrom(DELETE)).toBe('kubectl delete pod website-5746f499f-qzjjq');
    await page.reload();
    expect(await page.locator(`${DELETE} .lb-input .lb-vol--cmd`).textContent()).toBe('website-5746f499f-qzjjq');
  });
});

describe('badges', () => {
  it('explain "Not yet verified" and link to how pages are checked', async () => {
    await page.click(`${DELETE} .lb-tools button.lb-badge`);
    const about = page.locator(`${DELETE} .lb-about`);
    expect(await about.isVisible()).toBe(true);
    expect(await about.textContent()).toContain('Not yet verified: no run of our checker has reached this block yet');
    expect(await about.locator('a').getAttribute('href')).toMatch(/#how-the-pages-are-checked$/);
  });
});

/**
 * Tab stops inside each block of the page as it loads (panels closed): visible elements Tab can
 * reach. Content of a closed disclosure is not visible, so not counted.
 */
async function tabStopsPerBlock(p: Page): Promise<Record<string, number>> {
  return p.evaluate(() => {
    const out: Record<string, number> = {};
    for (const figure of document.querySelectorAll('figure.lb')) {
      const stops = [...figure.querySelectorAll<HTMLElement>('a[href], button, textarea, input, summary, [tabindex]')].filter(
        (e) => e.tabIndex >= 0 && !(e as HTMLButtonElement).disabled && e.checkVisibility(),
      );
      out[figure.id] = stops.length;
    }
    return out;
  });
}

describe('keyboard', () => {
  for (const route of [STEP2, 'labs/netns-basics/01-namespaces/', 'labs/networking-from-scratch/02-the-pod-network/', 'labs/k8s-networking-101/02-services/']) {
    it(`${route}: no block has more than 3 tab stops`, async () => {
      const p = await context.newPage();
      await p.goto(site.url(route));
      const stops = await tabStopsPerBlock(p);
      expect(Object.keys(stops).length).toBeGreaterThan(0);
      expect(Object.entries(stops).filter(([, n]) => n > 3)).toEqual([]);
      await p.close();
    });
  }
});

describe('search', () => {
  it('indexes page text without block chrome', async () => {
    const p = await context.newPage();
    await p.goto(site.url(''));
    // A string, so the test runner's transform leaves the browser's own import() alone.
    const base = site.base === '/' ? '' : site.base;
    const excerpts = (await p.evaluate(`(async () => {
      const pagefind = await import('${base}/pagefind/pagefind.js');
      const found = [];
      for (const term of ['zebrafish', 'kubectl', 'veth']) {
        const r = await pagefind.search(term);
        for (const hit of r.results.slice(0, 5)) found.push((await hit.data()).content);
      }
      return found;
    })()`)) as string[];
    expect(excerpts.length).toBeGreaterThan(0);
    for (const text of excerpts) {
      expect(text).not.toMatch(/Not yet verified|Copy the command|Check my output|Terminal · |What this means/);
    }
    await p.close();
  });
});

describe('page weight', () => {
  it('a lab step loads under 30 KB of gzipped script, without search and the checker', async () => {
    const p = await context.newPage();
    const scripts = new Map<string, number>();
    p.on('response', async (r) => {
      if (!/\.m?js(\?|$)/.test(r.url())) return;
      scripts.set(r.url(), gzipSync(await r.body()).length);
    });
    await p.goto(site.url('labs/networking-from-scratch/03-a-service-by-hand/'), { waitUntil: 'networkidle' });
    const own = [...scripts].filter(([url]) => !url.includes('/pagefind/') && !/\/(ui-core|check)\.[\w-]+\.js$/.test(url));
    const total = own.reduce((n, [, size]) => n + size, 0);
    // Then the checker, loaded on demand.
    await p.click('figure.lb button.lb-check-open');
    await p.locator('.lb-checker:visible button.lb-check-run').click();
    await p.locator('.lb-check-result[data-state]').first().waitFor();
    const matcher = [...scripts].filter(([url]) => /\/check\.[\w-]+\.js$/.test(url)).reduce((n, [, size]) => n + size, 0);
    console.log(`lab page script: ${(total / 1024).toFixed(1)} KB gzipped in ${own.length} files; on-demand matcher: ${(matcher / 1024).toFixed(1)} KB gzipped`);
    expect(matcher).toBeGreaterThan(0);
    expect(total).toBeLessThan(30 * 1024);
    await p.close();
  });
});

describe('search before it has loaded', () => {
  it('keeps the keys typed after Ctrl+K and searches them once the box exists', async () => {
    const p = await context.newPage();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // Hold back Pagefind's interface (bundled in the ui-core chunk) until the keys are typed.
    await p.route(/\/ui-core\.[\w-]+\.js$/, async (route) => {
      await gate;
      await route.continue();
    });
    await p.goto(site.url(''), { waitUntil: 'domcontentloaded' });
    await p.waitForSelector('site-search button[data-open-modal]:not([disabled])');
    await p.keyboard.press('Control+k');
    await p.keyboard.type('zebrafish');
    expect(await p.locator('site-search dialog input').count()).toBe(0);
    release();
    const input = p.locator('site-search dialog input.pagefind-ui__search-input');
    await input.waitFor();
    expect(await input.inputValue()).toBe('zebrafish');
    await p.locator('site-search dialog a[href*="/labs/netns-basics/02-services/"]').first().waitFor({ timeout: 15_000 });
    await p.close();
  });
});

describe('the deck in search', () => {
  it('finds slide text', async () => {
    const p = await context.newPage();
    await p.goto(site.url(''));
    const base = site.base === '/' ? '' : site.base;
    const urls = (await p.evaluate(`(async () => {
      const pagefind = await import('${base}/pagefind/pagefind.js');
      const r = await pagefind.search('proxyless');
      return Promise.all(r.results.slice(0, 20).map(async (h) => (await h.data()).url));
    })()`)) as string[];
    expect(urls.some((u) => u.includes('/slides/'))).toBe(true);
    await p.close();
  });
});

describe('panels', () => {
  it('close with Escape and give focus back to their button', async () => {
    await page.goto(site.url(STEP2));
    await page.click(`${PODS} button.lb-check-open`);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.press('Escape');
    expect(await page.locator(`${PODS} .lb-checker`).isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('lb-check-open');
    expect(await page.getAttribute(`${PODS} button.lb-check-open`, 'aria-expanded')).toBe('false');
  });
});
