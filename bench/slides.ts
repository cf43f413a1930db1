/**
 * Slides benchmark: prints numbers, asserts nothing. Run after `npm run build:e2e`
 * (or point E2E_DIST at another build):
 *   node bench/slides.ts [deck]
 * 1. Scripting time of one navigation (next step/slide) in the audience view and the presenter
 *    view: Chrome's own ScriptDuration (CDP Performance.getMetrics) per key press, and the
 *    deck's `slides:show` measures (Performance API), against one 60 Hz frame (16.7 ms).
 * 2. The gzipped JavaScript each deck page loads (every script response, as served).
 */
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { serveStatic } from '../test/e2e/serve.ts';
import { detectBase, DIST, launchBrowser } from '../test/e2e/site.ts';

const DECK = process.argv[2] ?? 'k8s-networking-101';
const PRESSES = 120;
const FRAME_MS = 1000 / 60;

const site = await serveStatic(DIST, detectBase());
const browser = await launchBrowser();

async function scriptBytes(page: Page, route: string): Promise<{ files: number; raw: number; gz: number }> {
  const bodies: Promise<Buffer>[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script' || r.url().endsWith('.js')) bodies.push(r.body());
  });
  await page.goto(site.url(route), { waitUntil: 'networkidle' });
  const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent ?? ''));
  const all = [...(await Promise.all(bodies)), ...inline.map((s) => Buffer.from(s))];
  return { files: all.length, raw: all.reduce((n, b) => n + b.length, 0), gz: all.reduce((n, b) => n + gzipSync(b).length, 0) };
}

async function navigationCost(page: Page): Promise<{ perPressMs: number; showMedianMs: number; showP95Ms: number; showMaxMs: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.keyboard.press('Home');
  await page.evaluate(() => performance.clearMeasures('slides:show'));
  const scriptSeconds = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0);
  const before = await scriptSeconds();
  for (let i = 0; i < PRESSES; i++) await page.keyboard.press(i % 4 === 3 ? 'ArrowLeft' : 'ArrowRight');
  const after = await scriptSeconds();
  const shows = (await page.evaluate(() => performance.getEntriesByName('slides:show').map((e) => e.duration))).sort((a, b) => a - b);
  const at = (q: number) => shows[Math.min(shows.length - 1, Math.floor(q * shows.length))] ?? 0;
  return { perPressMs: ((after - before) * 1000) / PRESSES, showMedianMs: at(0.5), showP95Ms: at(0.95), showMaxMs: shows.at(-1) ?? 0 };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const ms = (n: number) => `${n.toFixed(3)} ms`;
try {
  for (const [label, route] of [['audience', `slides/${DECK}/`], ['presenter', `slides/${DECK}/presenter/`]] as const) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const js = await scriptBytes(page, route);
    await page.waitForSelector('[data-ready]', { state: 'attached' });
    const cost = await navigationCost(page);
    console.log(`${label}: JavaScript ${kb(js.gz)} gzipped (${kb(js.raw)} raw, ${js.files} scripts; budget 40 KiB → ${((js.gz / 40960) * 100).toFixed(0)}%)`);
    console.log(
      `${label}: per key press ${ms(cost.perPressMs)} script time (${((cost.perPressMs / FRAME_MS) * 100).toFixed(1)}% of a frame); ` +
        `slides:show median ${ms(cost.showMedianMs)}, p95 ${ms(cost.showP95Ms)}, max ${ms(cost.showMaxMs)} over ${PRESSES} presses`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
