/** axe-core finds no serious or critical violation on the home page, lab pages and the status page, in both themes. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeriousViolations } from './axe.ts';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, FIXTURE_STEP, newThemedContext, openBuiltSite } from './site.ts';

/** Pages of every kind: home, the fixture lab's steps, a real lab's landing page and steps of both real labs, the status page. */
const ROUTES = [
  '',
  FIXTURE_STEP,
  'labs/netns-basics/02-services/',
  'labs/networking-from-scratch/',
  'labs/networking-from-scratch/03-a-service-by-hand/',
  'labs/k8s-networking-101/02-services/',
  'status/',
];

let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

describe('accessibility (axe-core)', () => {
  for (const theme of ['light', 'dark'] as const) {
    for (const route of ROUTES) {
      it(`${route || 'home'} (${theme}) has no serious or critical violation`, async () => {
        const context = await newThemedContext(browser, theme);
        const page = await context.newPage();
        await page.goto(site.url(route));
        // Open the drift disclosure too, so its diff is checked.
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        const serious = await findSeriousViolations(page);
        await context.close();
        expect(serious).toEqual([]);
      });
    }
  }
});
