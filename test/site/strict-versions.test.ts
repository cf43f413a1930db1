/**
 * The strict build gate reads the pinned record only: the fixture kind lab of
 * test/fixtures/site/versions drifted on Kubernetes 1.36 (its `@1.36` record) and passed on its
 * pinned 1.37, so LABS_STRICT=1 builds it, and the built pages still show the 1.36 drift.
 * (build.test.ts shows the same gate failing on drift in a pinned record.)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

const PROJECT = path.resolve(import.meta.dirname, '../..');

it('LABS_STRICT=1 builds a lab that drifted only on a matrix release, and its pages say where', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'labs-site-versions-'));
  const saved = { ...process.env };
  const lines: string[] = [];
  const origWrite = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown) => (lines.push(String(chunk)), true);
  try {
    Object.assign(process.env, { ASTRO_TELEMETRY_DISABLED: '1', LABS_CONTENT_ROOTS: 'test/fixtures/site/versions', LABS_STRICT: '1' });
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    const { build } = await import('astro');
    await build({ root: PROJECT, outDir: out, logLevel: 'info' });
    process.stdout.write = origWrite;
    process.stderr.write = origErr;
    expect(lines.join('')).toContain('labs: 3 blocks verified, 0 not yet verified, 0 drifted in 1 lab');
    const status = await readFile(path.join(out, 'status', 'index.html'), 'utf8');
    expect(status).toMatch(/data-k8s="1\.36" class="lb-row--drifted[ "]/);
    const step = await readFile(path.join(out, 'labs', 'kind-versions', '02-namespaces', 'index.html'), 'utf8');
    expect(step).toMatch(/data-k8s="1\.36" data-status="drifted"/);
  } finally {
    process.stdout.write = origWrite;
    process.stderr.write = origErr;
    for (const k of ['LABS_CONTENT_ROOTS', 'LABS_STRICT']) delete process.env[k];
    Object.assign(process.env, saved);
    await rm(out, { recursive: true, force: true });
  }
}, 180_000);
