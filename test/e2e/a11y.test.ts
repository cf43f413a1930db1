/** axe-core finds no serious or critical violation on the home page, a lab step and the status page, in both themes. */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticSite } from './serve.ts';
import { assertBuilt, detectBase, DIST, FIXTURE_STEP, launchBrowser } from './site.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  assertBuilt();
  site = await serveStatic(DIST, detectBase());
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

describe('accessibility (axe-core)', () => {
  for (const theme of ['light', 'dark'] as const) {
    for (const route of ['', FIXTURE_STEP, 'labs/netns-basics/02-services/', 'status/']) {
      it(`${route || 'home'} (${theme}) has no serious or critical violation`, async () => {
        const context = await browser.newContext({ colorScheme: theme });
        await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
        const page = await context.newPage();
        await page.goto(site.url(route));
        // Open the drift disclosure too, so its diff is checked.
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        await page.addScriptTag({ content: axeSource });
        const violations = (await page.evaluate(async () => {
          const result = await (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe.run(document, {
            resultTypes: ['violations'],
          });
          return result.violations;
        })) as Violation[];
        await context.close();
        const serious = violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n  ')}`);
        expect(serious).toEqual([]);
      });
    }
  }
});
