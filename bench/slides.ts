/**
 * Slides benchmark: prints numbers, asserts nothing. Run after `npm run build:e2e`
 * (or point E2E_DIST at another build):
 *   node bench/slides.ts [deck]
 * 1. Scripting time of one navigation (next step/slide) in the audience view and the presenter
 *    view: Chrome's own ScriptDuration (CDP Performance.getMetrics) per key press, and the
 *    deck's `slides:show` measures (Performance API), against one 60 Hz frame (16.7 ms).
 * 2. The gzipped JavaScript each deck page loads (every script response, as served), against
 *    the deck's 40 KiB budget (replay player included).
 * 3. Key-to-paint with a demo replay playing: from the key press to the next frame painted, on
 *    the replay slide, measured in the page (keydown time stamp → requestAnimationFrame after).
 * 4. The lab pages' "Replay": the gzipped JavaScript a lab step page loads, and what the replay
 *    adds to it (its two modules bundled and minified on their own, as esbuild would ship them).
 * 5. The audience view on a phone held upright (390×844): body text size on screen, reading
 *    layout against the scaled canvas.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
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

/** Key press → next painted frame, `n` times, stepping through the replay slide (each step starts a replay). */
async function keyToPaintWithReplay(page: Page, n: number): Promise<{ medianMs: number; maxMs: number; replays: number }> {
  const slide = await page.evaluate(() => Number(document.querySelector('.deck-stage [data-replay], [data-current] [data-replay]')?.closest<HTMLElement>('.slide')?.dataset.slide ?? 0));
  if (!slide) return { medianMs: 0, maxMs: 0, replays: 0 };
  await page.evaluate(() => {
    const w = window as unknown as { paints: number[]; replays: number };
    w.paints = [];
    w.replays = 0;
    document.addEventListener('replay:start', () => w.replays++);
    document.addEventListener('keydown', (e) => {
      const t0 = e.timeStamp;
      requestAnimationFrame(() => setTimeout(() => w.paints.push(performance.now() - t0), 0));
    });
  });
  const steps = await page.evaluate((s) => Number(document.querySelector<HTMLElement>(`.deck-stage .slide[data-slide="${s}"], [data-current] .slide[data-slide="${s}"]`)!.dataset.steps), slide);
  let started = 0;
  for (let i = 0; i < n; i++) {
    await page.evaluate((s) => (location.hash = `#/${s}`), slide);
    await page.waitForFunction((s) => location.hash === `#/${s}`, slide);
    for (let k = 0; k < steps; k++) {
      await page.keyboard.press('ArrowRight');
      started++;
    }
    // The hash is written a task after the key (hash-writer.ts): let it land before the next jump.
    await page.waitForFunction(([s, n]) => location.hash === `#/${s}/${n}`, [slide, steps]);
  }
  await page.waitForTimeout(200);
  const paints = (await page.evaluate(() => (window as unknown as { paints: number[] }).paints)).sort((a, b) => a - b);
  const replays = await page.evaluate(() => (window as unknown as { replays: number }).replays);
  return { medianMs: paints[Math.floor(paints.length / 2)] ?? 0, maxMs: paints.at(-1) ?? 0, replays: Math.min(replays, started) };
}

/** The lab-page replay (src/site/client/replay.ts and the shared player) bundled and minified alone. */
async function replayBytes(): Promise<{ raw: number; gz: number }> {
  const out = await build({ entryPoints: ['src/site/client/replay.ts'], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' });
  const code = Buffer.from(out.outputFiles[0]!.contents);
  return { raw: code.length, gz: gzipSync(code).length };
}

/** Body text on screen (CSS px) of the audience view on a phone held upright, and whether it reflowed. */
async function phoneText(): Promise<{ px: number; reading: boolean }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(site.url(`slides/${DECK}/#/2`));
  await page.waitForSelector('[data-ready]', { state: 'attached' });
  const r = await page.evaluate(() => {
    const s = document.querySelector<HTMLElement>('.deck-stage .slide.is-current')!;
    const scale = s.getBoundingClientRect().width / (s.offsetWidth * s.currentCSSZoom);
    return { px: parseFloat(getComputedStyle(s).fontSize) * s.currentCSSZoom * scale, reading: document.querySelector('.deck')!.classList.contains('is-reading') };
  });
  await context.close();
  return r;
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
    const replay = await keyToPaintWithReplay(page, 10);
    console.log(
      `${label}: key-to-paint on the replay slide, replay playing: median ${ms(replay.medianMs)}, max ${ms(replay.maxMs)} ` +
        `(${(replay.medianMs / FRAME_MS).toFixed(2)} frames; ${replay.replays} replays started)`,
    );
    await context.close();
  }
  const labRoute = 'labs/netns-basics/01-namespaces/';
  const labPage = await browser.newPage();
  const lab = await scriptBytes(labPage, labRoute);
  const replay = await replayBytes();
  await labPage.close();
  console.log(
    `lab page ${labRoute}: JavaScript ${kb(lab.gz)} gzipped (${lab.files} scripts, search included); ` +
      `"Replay" adds ${replay.gz} B gzipped (${replay.raw} B minified) to the block script`,
  );
  const phone = await phoneText();
  console.log(
    `phone 390×844, audience view: body text ${phone.px.toFixed(1)} px on screen (${phone.reading ? 'reading layout' : 'scaled canvas'}; ` +
      `the scaled 16:9 canvas would give ${((Math.min(390 / 1920, 844 / 1080)) * 40).toFixed(1)} px)`,
  );
} finally {
  await browser.close();
  await site.close();
}
