/** Shared helpers of the browser tests: where the built site is, its base path, a browser. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { serveStatic, type StaticSite } from './serve.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The build the browser tests read: `npm run build:e2e` writes it (the real content plus a fixture lab, under a base path). */
export const DIST = path.resolve(PROJECT_ROOT, process.env.E2E_DIST ?? 'dist-e2e');

/** The fixture lab the e2e build includes (LABS_CONTENT_EXTRA=test/fixtures/site/project). */
export const FIXTURE_LAB = 'netns-basics';
export const FIXTURE_STEP = `labs/${FIXTURE_LAB}/01-namespaces/`;

/**
 * The base path dist/ was built with: SITE_BASE when set, else read from the built 404 page's
 * asset URLs (`/<base>/_astro/…`), so the tests follow whatever build is there.
 */
export function detectBase(): string {
  if (process.env.SITE_BASE !== undefined) {
    const b = process.env.SITE_BASE.replace(/^\/+|\/+$/g, '');
    return b ? `/${b}` : '/';
  }
  const html = readFileSync(path.join(DIST, '404.html'), 'utf8');
  const m = /(?:href|src)="([^"]*?)\/_astro\//.exec(html);
  return m?.[1] ? m[1] : '/';
}

/** Fails early, with the command to run, when there is no build or it lacks the fixture lab. */
export function assertBuilt(): void {
  if (!existsSync(path.join(DIST, '404.html'))) {
    throw new Error('dist/ has no build: run `npm run build:e2e` first');
  }
  if (!existsSync(path.join(DIST, FIXTURE_STEP, 'index.html'))) {
    throw new Error('dist/ was built without the fixture lab: run `npm run build:e2e`');
  }
}

/** Headless Debian Chromium, without any of its background network traffic. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** What a browser test file works against: the built site, served locally, and a headless browser. */
export interface BuiltSite {
  site: StaticSite;
  browser: Browser;
}

/** Checks the build (see `assertBuilt`), serves it and launches the browser; for `beforeAll`. */
export async function openBuiltSite(): Promise<BuiltSite> {
  assertBuilt();
  const site = await serveStatic(DIST, detectBase());
  try {
    return { site, browser: await launchBrowser() };
  } catch (error) {
    await site.close();
    throw error;
  }
}

/** Closes what `openBuiltSite` opened (either part may be missing when it failed); for `afterAll`. */
export async function closeBuiltSite(built: Partial<BuiltSite>): Promise<void> {
  await built.browser?.close();
  await built.site?.close();
}

/**
 * A browser context in `theme`: the colour scheme the browser reports and Starlight's stored
 * theme choice, set before any page script runs.
 */
export async function newThemedContext(browser: Browser, theme: 'light' | 'dark', options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ ...options, colorScheme: theme });
  await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
  return context;
}

/** Calls `report` with each error the page logs to its console and each uncaught exception. */
export function watchConsoleErrors(page: Page, report: (text: string) => void): void {
  page.on('console', (m) => {
    if (m.type() === 'error') report(m.text());
  });
  page.on('pageerror', (e) => report(String(e)));
}
