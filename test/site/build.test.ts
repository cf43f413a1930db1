/**
 * Builds the real site with the fixture lab (the same astro.config.mjs) and looks at the HTML:
 * the proof that Astro 7 really runs remark-command-blocks (its default Sätteri processor would
 * silently leave the fences to Expressive Code), and that the strict gate fails the build.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROJECT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = 'test/fixtures/site/project';

async function buildSite(env: Record<string, string>, outDir: string): Promise<{ logs: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { ASTRO_TELEMETRY_DISABLED: '1' }, env);
  const lines: string[] = [];
  const origWrite = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown) => (lines.push(String(chunk)), true);
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    const { build } = await import('astro');
    await build({ root: PROJECT, outDir, logLevel: 'info' });
    return { logs: lines.join('') };
  } catch (error) {
    throw Object.assign(error as Error, { logs: lines.join('') });
  } finally {
    process.stdout.write = origWrite;
    process.stderr.write = origErr;
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe('astro build with the fixture lab', () => {
  let out: string;
  let logs: string;
  const page = (route: string) => readFile(path.join(out, route, 'index.html'), 'utf8');

  // A run in progress (this very process, so it counts as alive) that a build must not show.
  const liveFile = path.join(PROJECT, FIXTURE, 'verification/.live/netns-basics.json');
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'labs-site-'));
    await mkdir(path.dirname(liveFile), { recursive: true });
    const now = new Date().toISOString();
    await writeFile(liveFile, JSON.stringify({ version: 1, lab: 'netns-basics', pid: process.pid, startedAt: now, updatedAt: now, blocks: ['make-veth'], current: 'make-veth', done: {} }));
    try {
      ({ logs } = await buildSite({ LABS_CONTENT_ROOTS: FIXTURE, SITE_BASE: '/base-test' }, out));
    } finally {
      await rm(path.dirname(liveFile), { recursive: true, force: true });
    }
  }, 180_000);
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('never shows a run in progress: only the dev server reads verification/.live/', async () => {
    for (const route of ['labs/netns-basics/01-namespaces', 'labs/netns-basics', 'status']) {
      const html = await page(route);
      expect(html, route).not.toContain('lb-live');
      expect(html, route).not.toContain('Being verified');
      expect(html, route).not.toContain('labs-records-stamp');
    }
  });

  it('renders console and file blocks with our components, not Expressive Code', async () => {
    const html = await page('labs/netns-basics/01-namespaces');
    expect(html.match(/<figure class="not-content lb lb--terminal/g)).toHaveLength(5);
    expect(html.match(/<figure class="not-content lb lb--file/g)).toHaveLength(1);
    expect(html).toContain('<span class="lb-prompt">$ </span>');
    expect(html).toContain('data-copy="sudo ip netns add red\nsudo ip netns exec red ip -brief link"');
    expect(html).not.toMatch(/data-language="console"/);
  });

  it('leaves other fences to Expressive Code', async () => {
    const html = await page('labs/netns-basics/02-services');
    expect(html).toMatch(/class="expressive-code/);
    expect(html).toMatch(/data-language="yaml"/);
  });

  it('highlights commands with shiki at build time and marks volatile values', async () => {
    const html = await page('labs/netns-basics/02-services');
    expect(html).toMatch(/style="--shiki-light:#[0-9A-Fa-f]{6};--shiki-dark:#[0-9A-Fa-f]{6}">kubectl/);
    // The first value of a block is its one tab stop; the others are reached with the arrow keys.
    expect(html).toMatch(/<span class="lb-vol" tabindex="0" aria-describedby="[^"]+" data-ex="website-5746f499f-qzjjq">website-5746f499f-qzjjq<\/span>/);
    expect(html).toMatch(/<span class="lb-vol" tabindex="-1" aria-describedby="[^"]+" data-ex="10\.0\.0\.128">10\.0\.0\.128<\/span><span class="lb-tip" role="tooltip" id="[^"]+" data-pagefind-ignore>IP address — yours will differ<\/span>/);
  });

  it('marks an example value in a command that an earlier command printed, saying where', async () => {
    const html = await page('labs/netns-basics/02-services');
    expect(html).toMatch(
      /<span class="lb-vol lb-vol--cmd" tabindex="0" aria-describedby="[^"]+" data-ex="website-5746f499f-qzjjq">website-5746f499f-qzjjq<\/span><span class="lb-tip" role="tooltip" id="[^"]+" data-pagefind-ignore>Generated name printed by “kubectl get pods -l app=zebrafish -o wide” above\./,
    );
    // Its checker gets what the runner would compare.
    expect(html).toContain('class="lb-check-data"');
  });

  it('shows each status from the fixture record', async () => {
    const html = (await page('labs/netns-basics/01-namespaces')) + (await page('labs/netns-basics/02-services'));
    for (const kind of ['verified', 'flaky', 'drifted', 'unverified', 'skipped']) expect(html).toContain(`lb-badge--${kind}`);
    expect(html).toContain('<summary>What changed in the last run</summary>');
  });

  it('builds the home, lab, status and 404 pages under the base path', async () => {
    expect(await page('')).toContain('href="/base-test/labs/netns-basics/"');
    expect(await page('labs/netns-basics')).toContain('href="/base-test/labs/netns-basics/01-namespaces/"');
    const status = await page('status');
    expect(status).toContain('href="/base-test/labs/netns-basics/01-namespaces/#block-make-veth"');
    expect(status).toContain('content/labs/netns-basics/02-services.mdx:');
    expect(await readFile(path.join(out, '404.html'), 'utf8')).toContain('Page not found');
  });

  it('prints the verification count', () => {
    expect(logs).toContain('labs: 6 blocks verified, 3 not yet verified, 1 drifted (1 flaky, 1 skipped) in 1 lab');
  });
});

describe('LABS_STRICT=1', () => {
  it('fails the build naming each drifted or stale block at its file:line', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'labs-site-strict-'));
    try {
      const error = await buildSite({ LABS_CONTENT_ROOTS: FIXTURE, LABS_STRICT: '1' }, out).then(
        () => undefined,
        (e: Error & { logs?: string }) => e,
      );
      expect(error?.message).toContain('LABS_STRICT: 2 blocks are drifted or changed since their last run');
      expect(error?.logs).toMatch(/content\/labs\/netns-basics\/02-services\.mdx:\d+:1 block drifted/);
      expect(error?.logs).toContain('content/labs/netns-basics/01-namespaces.mdx:52:1 block changed since it was last verified');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('a site with no labs yet', () => {
  it('builds home, status and 404 pages and counts nothing', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'labs-site-empty-'));
    try {
      const { logs } = await buildSite({ LABS_CONTENT_ROOTS: 'test/fixtures/site/empty' }, out);
      expect(logs).toContain('labs: 0 blocks verified, 0 not yet verified, 0 drifted in 0 labs');
      expect(await readFile(path.join(out, 'index.html'), 'utf8')).toContain('The labs are being written');
      expect(await readFile(path.join(out, 'status', 'index.html'), 'utf8')).toContain('There are no labs yet.');
      expect(await readFile(path.join(out, '404.html'), 'utf8')).toContain('Page not found');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 180_000);
});
