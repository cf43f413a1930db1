/**
 * `npm run dev` follows `labs verify`: a page open in Chromium changes its badge when a run
 * writes its record (pass, then drift), shows the blocks being verified while the run goes, and
 * none of it needs a restart or a save of the page. Runs the real `astro dev` and the real
 * `labs verify` on the live-echo fixture lab (local, no root needed).
 */
import { execa, type ResultPromise } from 'execa';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from './dev-server.ts';
import { launchBrowser, PROJECT_ROOT } from './site.ts';

const STEP = 'labs/live-echo/01-echo/';
const SHOTS = path.join(PROJECT_ROOT, 'test-results', 'dev-server');

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer('test/fixtures/site/dev-project');
  browser = await launchBrowser();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The real `labs verify` of the fixture lab in the server's copy; the word and the gate come from the environment. */
function verify(word: string, gate: string): ResultPromise<{ reject: false; all: true }> {
  return execa(process.execPath, [path.join(PROJECT_ROOT, 'bin/labs.js'), 'verify', 'content/labs/live-echo'], {
    cwd: server.root,
    reject: false,
    all: true,
    env: { NO_COLOR: '1', LABS_LOCK_DIR: path.join(server.root, '.locks'), LIVE_ECHO_WORD: word, LIVE_ECHO_GATE: gate },
  });
}

/** What a block shows: its badge text and, during a run, its live state. Read afresh from the DOM each time. */
async function blockState(page: Page, id: string): Promise<{ badge: string; live: string | null; diff: boolean }> {
  return page.evaluate((id) => {
    // A page reloaded for a new record is read once it is whole: while it loads, a figure may
    // already show its badge and not yet the diff below it.
    if (document.readyState !== 'complete') throw new Error('the page is still loading');
    const fig = document.querySelector(`figure[data-block-id="${id}"]`);
    const badge = fig?.querySelector('.lb-badge')?.childNodes;
    // The badge's visible label is its text without the icon and the screen-reader suffix.
    const label = badge ? [...badge].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim() : '';
    return { badge: label, live: fig?.querySelector('.lb-live')?.getAttribute('data-live') ?? null, diff: Boolean(fig?.querySelector('details.lb-drift')) };
  }, id);
}

/**
 * Polls the page until `ok` holds. The dev server reloads the page when records change, so a
 * read may meet a page between documents: that read is simply retried. Bounded only by the
 * test's own timeout; `stop` ends it early when waiting can no longer help (the run ended).
 */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, stop?: () => string | undefined): Promise<T> {
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // navigating: try again
    }
    const why = stop?.();
    if (why) throw new Error(`${why}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the dev server and labs verify', () => {
  it('shows a run in progress, then its result, then drift, without a restart or a save', async () => {
    const page = await browser.newPage({ colorScheme: 'light', viewport: { width: 1100, height: 700 } });
    const status = await browser.newPage();
    const mdx = path.join(server.root, 'content/labs/live-echo/01-echo.mdx');
    const mdxStamp = (await stat(mdx)).mtimeMs;
    try {
      await page.goto(`${server.origin}/${STEP}`);
      await status.goto(`${server.origin}/status/`);
      // The first visit may be reloaded once by Vite (it optimises dependencies as it meets them).
      expect(await until(() => blockState(page, 'say-word'), (s) => s.badge !== '')).toEqual({ badge: 'Not yet verified', live: null, diff: false });
      // The stamp that lets a page notice a reload it missed while loading.
      expect(await page.locator('meta[name="labs-records-stamp"]').getAttribute('content')).toMatch(/^[0-9a-f]{16}$/);
      await page.locator('figure[data-block-id="say-word"]').screenshot({ path: path.join(SHOTS, '1-before.png') });

      // A run held at its second block: the page shows where it is.
      const gate = path.join(server.root, 'gate');
      const run = verify('hello', gate);
      let ended: string | undefined;
      void run.then((r) => (ended = `labs verify ended (exit ${r.exitCode}):\n${r.all}`));
      const holding = await until(
        async () => [await blockState(page, 'say-word'), await blockState(page, 'wait-gate')] as const,
        ([say, wait]) => say.live === 'done' && wait.live === 'running',
        () => ended,
      );
      expect(holding[0].badge).toBe('Not yet verified');
      await page.locator('figure[data-block-id="wait-gate"]').screenshot({ path: path.join(SHOTS, '2-being-verified.png') });
      await until(() => status.locator('[data-live-run="live-echo"]').textContent(), (t) => t?.startsWith('Being verified now: 1 of 2 blocks done') ?? false, () => ended);

      await writeFile(gate, '');
      const passed = await run;
      expect(passed.exitCode, passed.all).toBe(0);
      await until(() => blockState(page, 'say-word'), (s) => s.badge === 'Verified' && s.live === null);
      expect(await blockState(page, 'wait-gate')).toEqual({ badge: 'Verified', live: null, diff: false });
      await page.locator('figure[data-block-id="say-word"]').screenshot({ path: path.join(SHOTS, '3-verified.png') });

      // The same page, another word: the run drifts, and the page says so with the diff.
      const drift = await verify('goodbye', gate);
      expect(drift.exitCode, drift.all).toBe(1);
      const drifted = await until(() => blockState(page, 'say-word'), (s) => s.badge === 'Drifted');
      expect(drifted).toEqual({ badge: 'Drifted', live: null, diff: true });
      await page.locator('figure[data-block-id="say-word"] details.lb-drift summary').click();
      expect(await page.locator('figure[data-block-id="say-word"] .lb-diff').textContent()).toContain('goodbye');
      await page.locator('figure[data-block-id="say-word"]').screenshot({ path: path.join(SHOTS, '4-drifted.png') });
      await until(
        () => status.locator('tr', { has: status.locator('a', { hasText: 'say-word' }) }).locator('.lb-badge').textContent(),
        (t) => t?.includes('Drifted') ?? false,
      );
      expect(await status.locator('[data-live-run]').count()).toBe(0);

      // Nothing was restarted or saved: the same server process, the page file untouched.
      expect(() => process.kill(server.pid, 0)).not.toThrow();
      expect(server.log()).not.toMatch(/server restarted|restarting/i);
      expect((await stat(mdx)).mtimeMs).toBe(mdxStamp);
    } finally {
      await page.close();
      await status.close();
    }
  });

  it('follows a new record even when the reload message never reaches the page', async () => {
    const page = await browser.newPage();
    // The dev server's socket is answered in the browser and never passes a message on: the page
    // only learns of a new record by asking for the records stamp.
    let sockets = 0;
    await page.routeWebSocket(/./, () => void sockets++);
    try {
      await page.goto(`${server.origin}/${STEP}`);
      await until(() => blockState(page, 'say-word'), (s) => s.badge !== '');
      const gate = path.join(server.root, 'gate');
      await writeFile(gate, '');
      const word = (await blockState(page, 'say-word')).badge === 'Verified' ? 'goodbye' : 'hello';
      const run = await verify(word, gate);
      expect(run.exitCode, run.all).toBe(word === 'hello' ? 0 : 1);
      const after = await until(() => blockState(page, 'say-word'), (s) => s.badge === (word === 'hello' ? 'Verified' : 'Drifted'));
      expect(after).toEqual({ badge: word === 'hello' ? 'Verified' : 'Drifted', live: null, diff: word !== 'hello' });
      // The page did open its socket (so a reload message could have come only through it).
      expect(sockets).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
