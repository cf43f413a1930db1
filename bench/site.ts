/**
 * Site benchmark: prints numbers, asserts nothing.
 *   node bench/site.ts
 * 1. The time of a full `astro build` (repo content plus the site's fixture lab), into a temp dir.
 * 2. The share remark-command-blocks adds over plain MDX compilation of the same pages (cold:
 *    first pass, which loads shiki's grammars; warm: later passes).
 * 3. The gzipped JavaScript a lab step page ships, with and without what search loads.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { compile } from '@mdx-js/mdx';
import remarkGfm from 'remark-gfm';
import { VFile } from 'vfile';
import { splitFrontmatter } from '../src/parse/frontmatter.ts';
import { remarkCommandBlocks } from '../src/site/remark-command-blocks.ts';
import { readSiteConfig } from '../src/site/site-config.ts';

const PROJECT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const FIXTURE = 'test/fixtures/site/project';

async function timeBuild(outDir: string): Promise<number> {
  Object.assign(process.env, { ASTRO_TELEMETRY_DISABLED: '1', LABS_CONTENT_EXTRA: FIXTURE });
  const { build } = await import('astro');
  const start = performance.now();
  await build({ root: PROJECT, outDir, logLevel: 'error' });
  return performance.now() - start;
}

async function listPages(roots: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const root of roots) {
    for (const section of ['labs', 'concepts', 'docs']) {
      const dir = path.join(root, 'content', section);
      const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const e of entries) if (e.isFile() && e.name.endsWith('.mdx')) files.push(path.join(e.parentPath, e.name));
    }
  }
  return files.sort();
}

async function compileAll(files: { path: string; value: string }[], withPlugin: boolean, roots: string[]): Promise<number> {
  const start = performance.now();
  for (const f of files) {
    const remarkPlugins = withPlugin ? [remarkGfm, [remarkCommandBlocks, { roots, onProblems: () => {} }] as const] : [remarkGfm];
    await compile(new VFile({ path: f.path, value: f.value }), { remarkPlugins: remarkPlugins as never, jsx: true });
  }
  return performance.now() - start;
}

/** Module scripts of a page and the chunks they import, with their gzipped sizes. */
async function pageScripts(dist: string, html: string, base: string): Promise<{ name: string; gz: number; search: boolean }[]> {
  const out: { name: string; gz: number; search: boolean }[] = [];
  const seen = new Set<string>();
  const isSearch = (name: string) => /search|pagefind/i.test(name);
  const visit = async (file: string, search: boolean): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = await readFile(file, 'utf8').catch(() => '');
    out.push({ name: path.relative(dist, file), gz: gzipSync(code).length, search });
    for (const m of code.matchAll(/(?:import|from)\s*["'`](\.\/[^"'`]+\.js)["'`]/g)) await visit(path.join(path.dirname(file), m[1]!), search || isSearch(m[1]!));
  };
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).filter((c) => c.trim());
  inline.forEach((code, i) => out.push({ name: `inline #${i + 1}`, gz: gzipSync(code).length, search: isSearch(code.slice(0, 200)) }));
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)) {
    const rel = m[1]!.replace(base === '/' ? /^\// : new RegExp(`^${base}/`), '');
    await visit(path.join(dist, rel), isSearch(rel));
  }
  return out;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;

const out = await mkdtemp(path.join(tmpdir(), 'labs-bench-'));
try {
  const buildMs = await timeBuild(out);
  const roots = readSiteConfig({ LABS_CONTENT_EXTRA: FIXTURE }, PROJECT).roots;
  const files = await Promise.all(
    (await listPages(roots)).map(async (p) => ({ path: p, value: splitFrontmatter(await readFile(p, 'utf8'), p).content })),
  );
  const cold = { plain: await compileAll(files, false, roots), plugin: await compileAll(files, true, roots) };
  const runs = 5;
  let plain = 0;
  let plugin = 0;
  for (let i = 0; i < runs; i++) {
    plain += await compileAll(files, false, roots);
    plugin += await compileAll(files, true, roots);
  }

  const stepRoute = 'labs/netns-basics/01-namespaces/index.html';
  const html = await readFile(path.join(out, stepRoute), 'utf8');
  const scripts = await pageScripts(out, html, '/');
  const total = scripts.reduce((s, x) => s + x.gz, 0);
  const noSearch = scripts.filter((s) => !s.search).reduce((s, x) => s + x.gz, 0);

  console.log(`astro build (${files.length} MDX pages incl. fixture): ${ms(buildMs)}`);
  console.log(`MDX compile of the same pages, plain vs with remark-command-blocks:`);
  console.log(`  cold (first pass, shiki loads):  ${ms(cold.plain)} vs ${ms(cold.plugin)}  → plugin adds ${(((cold.plugin - cold.plain) / cold.plain) * 100).toFixed(0)}%`);
  console.log(`  warm (mean of ${runs}):            ${ms(plain / runs)} vs ${ms(plugin / runs)}  → plugin adds ${(((plugin - plain) / plain) * 100).toFixed(0)}%`);
  console.log(`  plugin time as a share of the whole build (cold): ${(((cold.plugin - cold.plain) / buildMs) * 100).toFixed(1)}%`);
  console.log(`JavaScript shipped by ${stepRoute} (gzipped): ${kb(noSearch)} without search, ${kb(total)} with the search button's code`);
  for (const s of scripts) console.log(`  ${s.search ? '(search) ' : ''}${s.name}: ${kb(s.gz)}`);
} finally {
  await rm(out, { recursive: true, force: true });
}
