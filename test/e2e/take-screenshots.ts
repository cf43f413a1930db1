/**
 * Screenshots of a lab step page, light and dark, desktop (1280 px) and phone (390 px), into
 * /tmp/shots/ (or the folder given as the first argument). Run after a build:
 *   node test/e2e/take-screenshots.ts [outdir] [route]
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { serveStatic } from './serve.ts';
import { DIST, FIXTURE_STEP, detectBase, launchBrowser } from './site.ts';

const out = process.argv[2] ?? '/tmp/shots';
const route = process.argv[3] ?? FIXTURE_STEP;
await mkdir(out, { recursive: true });
const site = await serveStatic(DIST, detectBase());
const browser = await launchBrowser();
try {
  for (const [device, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
    for (const theme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: theme, deviceScaleFactor: 1 });
      await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      const page = await context.newPage();
      await page.goto(site.url(route), { waitUntil: 'load' });
      const name = `${route.replace(/\/+$/, '').replace(/[^a-z0-9]+/gi, '-') || 'home'}-${device}-${theme}.png`;
      await page.screenshot({ path: path.join(out, name), fullPage: process.env.FULL_PAGE === '1' });
      console.log(path.join(out, name));
      await context.close();
    }
  }
} finally {
  await browser.close();
  await site.close();
}
