/**
 * The nightly history on the status page, from the fixture project's
 * verification/history.jsonl (twelve nights of netns-basics): the lab's strip, one strip per
 * block, the flaky rates, and the flag on the block that is flaky one night in three.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, FIXTURE_LAB, openBuiltSite, watchConsoleErrors } from './site.ts';

let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

describe('the status page history', () => {
  it('shows the last nights per lab and per block, oldest first, and flags the flaky block', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    watchConsoleErrors(page, (e) => errors.push(e));
    await page.goto(site.url('status/'));
    const history = page.locator(`#history-${FIXTURE_LAB}`);
    await history.locator('summary').click();
    const cells = (scope: string) =>
      history.locator(`${scope} .lb-strip__cell`).evaluateAll((els) => els.map((e) => [...e.classList].find((c) => c.startsWith('lb-strip__cell--'))!.slice('lb-strip__cell--'.length)));
    // The lab's strip: each night its worst block.
    expect(await cells('summary')).toEqual(['pass', 'flaky', 'pass', 'pass', 'flaky', 'drift', 'drift', 'flaky', 'pass', 'error', 'flaky', 'pass']);
    expect(await history.locator('summary .lb-strip').getAttribute('aria-label')).toBe(`${FIXTURE_LAB}, last 12 nights: 5 passed, 4 flaky, 2 drifted, 1 error`);
    const rows = history.locator('tbody tr');
    expect(await rows.count()).toBe(4);
    const row = (id: string) => rows.filter({ has: page.locator(`code:text-is("${id}")`) });
    expect(await row('make-veth').locator('td').nth(2).innerText()).toBe('33% of 12 flagged');
    expect(await row('make-veth').getAttribute('class')).toContain('lb-history__row--flagged');
    expect(await row('02-services-1').locator('td').nth(2).innerText()).toBe('0% of 9');
    expect(await cells('tbody tr:has(code:text-is("02-services-1")) td')).toEqual(['none', 'none', 'none', 'pass', 'pass', 'drift', 'drift', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(await history.locator('summary .lb-history__flag').innerText()).toBe('1 flaky block to look at');
    expect(await history.locator('summary .lb-strip__cell').first().getAttribute('title')).toBe('2026-11-10: passed');
    await history.screenshot({ path: process.env.HISTORY_SCREENSHOT ?? '/tmp/status-history.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws nothing for a lab without history', async () => {
    const page = await browser.newPage();
    await page.goto(site.url('status/'));
    expect(await page.locator('.lb-history').count()).toBe(1);
    await page.close();
  });
});
