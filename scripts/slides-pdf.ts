/**
 * Exports a deck to PDF: renders /slides/<deck>/print/ of the built site in headless Chromium,
 * waits for the page's own ready signal (fonts, images, steps laid out) and prints one
 * 1920×1080 page per slide, or per step with --steps.
 *
 *   npm run slides:pdf                       # every deck → dist/slides/<deck>/<deck>.pdf (builds the site if needed)
 *   npm run slides:pdf -- k8s-networking-101 --steps --theme dark --out talk.pdf --build
 *
 * It serves dist/ itself with a tiny node:http server; nothing leaves the machine.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext } from 'playwright-core';
import { serveStatic } from '../test/e2e/serve.ts';
import { launchBrowser, PROJECT_ROOT } from '../test/e2e/site.ts';

/** The site `npm run build` writes (SLIDES_DIST overrides, e.g. `dist-e2e`). */
const DIST = path.resolve(PROJECT_ROOT, process.env.SLIDES_DIST ?? 'dist');

/** What to export. */
export interface PdfOptions {
  deck: string;
  out: string;
  /** One page per step instead of per slide. @default false */
  steps?: boolean;
  /** Colour scheme of the pages. @default "light" (paper and projectors alike read it well) */
  theme?: 'light' | 'dark';
}

/** The result of one export: where it went and how many pages it has. */
export interface PdfResult {
  file: string;
  pages: number;
  /**
   * Site links left without a target: the site was built without a public URL (SITE_URL), and a
   * link to the exporting machine would be dead in the PDF, so their text stays and the link goes.
   */
  droppedLinks: number;
}

/** Exports one deck from the site served at `origin`, in a new page of `browser` (or of `context`, e.g. one with routes set). */
export async function exportDeckPdf(browser: Browser | BrowserContext, origin: string, options: PdfOptions): Promise<PdfResult> {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1920, height: 1080 });
  try {
    const query = new URLSearchParams({ theme: options.theme ?? 'light' });
    if (options.steps) query.set('steps', '');
    const response = await page.goto(`${origin}slides/${options.deck}/print/?${query}`);
    if (!response?.ok()) throw new Error(`slides/${options.deck}/print/ answered ${response?.status()} — is there a deck slides/${options.deck}.mdx, and was the site built since?`);
    await page.waitForFunction(() => document.documentElement.dataset.slidesReady === 'true', null, { timeout: 30_000 });
    const pages = Number(await page.evaluate(() => document.documentElement.dataset.slidesPages));
    const droppedLinks = Number(await page.evaluate(() => document.documentElement.dataset.slidesLocalLinks ?? 0));
    if (droppedLinks > 0) {
      await page.evaluate((origin) => {
        for (const a of document.querySelectorAll<HTMLAnchorElement>('a[href]')) if (a.href.startsWith(origin)) a.removeAttribute('href');
      }, new URL(origin).origin);
    }
    await mkdir(path.dirname(options.out), { recursive: true });
    await page.pdf({ path: options.out, width: '1920px', height: '1080px', printBackground: true, preferCSSPageSize: true });
    return { file: options.out, pages, droppedLinks };
  } finally {
    await page.close();
  }
}

/** The base path a deck's print page was built with, read from its asset URLs (`/<base>/_astro/…`). */
export async function detectDeckBase(dist: string, deck: string): Promise<string> {
  const html = await readFile(path.join(dist, 'slides', deck, 'print', 'index.html'), 'utf8');
  const m = /(?:href|src)="([^"]*?)\/_astro\//.exec(html);
  return m?.[1] ? m[1] : '/';
}

/** Decks that the built site has a print route for. */
export async function listBuiltDecks(dist: string): Promise<string[]> {
  const entries = await readdir(path.join(dist, 'slides'), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && existsSync(path.join(dist, 'slides', e.name, 'print', 'index.html'))).map((e) => e.name).sort();
}

/**
 * The decks a slides script works on: builds the site first when asked (or when it has no
 * slides), then checks the named decks (default: every built deck) have a print route.
 * @returns the decks, or the exit status to stop with (after saying why)
 */
export async function resolveBuiltDecks(dist: string, named: string[], build: boolean): Promise<string[] | number> {
  if (build || !existsSync(path.join(dist, 'slides'))) {
    console.log('building the site (npx astro build)…');
    const built = spawnSync('npx', ['astro', 'build', '--outDir', dist], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    if (built.status !== 0) return built.status ?? 1;
  }
  const available = await listBuiltDecks(dist);
  const decks = named.length ? named : available;
  const missing = decks.filter((d) => !available.includes(d));
  if (missing.length || decks.length === 0) {
    console.error(`no print route for ${missing.join(', ') || 'any deck'} in ${path.relative(process.cwd(), dist) || '.'} — decks built: ${available.join(', ') || 'none'}; rebuild with --build`);
    return 2;
  }
  return decks;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      steps: { type: 'boolean', default: false },
      theme: { type: 'string', default: 'light' },
      out: { type: 'string' },
      build: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run slides:pdf -- [deck...] [--steps] [--theme light|dark] [--out FILE] [--build]');
    return 0;
  }
  if (values.theme !== 'light' && values.theme !== 'dark') {
    console.error(`--theme ${values.theme}: use light or dark`);
    return 2;
  }
  const decks = await resolveBuiltDecks(DIST, positionals, values.build);
  if (typeof decks === 'number') return decks;
  if (values.out && decks.length > 1) {
    console.error('--out names one file: give one deck with it');
    return 2;
  }
  const site = await serveStatic(DIST, await detectDeckBase(DIST, decks[0]!));
  const browser = await launchBrowser();
  try {
    for (const deck of decks) {
      const out = path.resolve(values.out ?? path.join(DIST, 'slides', deck, `${deck}${values.steps ? '-steps' : ''}.pdf`));
      const result = await exportDeckPdf(browser, site.url(''), { deck, out, steps: values.steps, theme: values.theme });
      console.log(`${path.relative(process.cwd(), result.file)}: ${result.pages} pages`);
      if (result.droppedLinks > 0) {
        console.warn(
          `warning: ${result.droppedLinks} links to the site's own pages were printed as plain text: the site was built without a public URL. ` +
            'Build with SITE_URL (and SITE_BASE) set, e.g. SITE_URL=https://you.github.io SITE_BASE=/repo npm run slides:pdf -- --build, to get working links.',
        );
      }
    }
  } finally {
    await browser.close();
    await site.close();
  }
  return 0;
}

if (import.meta.main) process.exitCode = await main();
