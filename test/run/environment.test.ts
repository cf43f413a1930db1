import { appendFileSync, chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { executableIdentity, probeVersion } from '../../src/run/environment.ts';
import { findOnPath } from '../../src/run/targets/local.ts';

// Stand-in tools: a copy of this machine's bash (a real ELF binary; `--version` prints
// "GNU bash, version 5.x") and a shell-script shim whose answer changes with the environment.
const dir = mkdtempSync(join(tmpdir(), 'labs-env-test-'));
const bin = join(dir, 'bin');
const cacheFile = join(dir, 'cache', 'tool-versions.json');
const savedPath = process.env.PATH;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  rmSync(bin, { recursive: true, force: true });
  rmSync(join(dir, 'cache'), { recursive: true, force: true });
  process.env.PATH = `${bin}${delimiter}${savedPath}`;
  mkdirSync(bin, { recursive: true });
});
afterEach(() => {
  process.env.PATH = savedPath;
});

function standInBash(name: string): string {
  const file = join(bin, name);
  copyFileSync(findOnPath('bash')!, file);
  chmodSync(file, 0o755);
  return file;
}

describe('tool versions', () => {
  it('probes a binary once, then takes its version from the cache', async () => {
    standInBash('standin-tool');
    const first = await probeVersion('standin-tool', { cacheFile });
    expect(first).toMatch(/^\d+\.\d+/);
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string>;
    const keys = Object.keys(cache);
    expect(keys).toHaveLength(1);
    expect(cache[keys[0]!]).toBe(first);
    // The cache is what answers now: a value planted in it comes back.
    writeFileSync(cacheFile, JSON.stringify({ [keys[0]!]: '9.9.9-from-cache' }));
    expect(await probeVersion('standin-tool', { cacheFile })).toBe('9.9.9-from-cache');
  });

  it('asks again when the binary is changed or replaced', async () => {
    const file = standInBash('standin-tool');
    const real = await probeVersion('standin-tool', { cacheFile });
    const [key] = Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')));
    writeFileSync(cacheFile, JSON.stringify({ [key!]: '9.9.9-stale' }));
    appendFileSync(file, '\n');
    expect(await probeVersion('standin-tool', { cacheFile })).toBe(real);
    // Replaced by another file of the same name (a new inode): asked again too.
    const entries = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string>;
    writeFileSync(cacheFile, JSON.stringify(Object.fromEntries(Object.keys(entries).map((k) => [k, '9.9.9-stale']))));
    rmSync(file);
    standInBash('standin-tool');
    expect(await probeVersion('standin-tool', { cacheFile })).toBe(real);
  });

  it('never caches a script, whose answer may change between calls', async () => {
    const shim = join(bin, 'standin-shim');
    writeFileSync(shim, '#!/bin/sh\necho "standin-shim version $STANDIN_VERSION"\n', { mode: 0o755 });
    expect(executableIdentity('standin-shim')).toBeUndefined();
    process.env.STANDIN_VERSION = '1.0.0';
    expect(await probeVersion('standin-shim', { cacheFile })).toBe('1.0.0');
    process.env.STANDIN_VERSION = '2.0.0';
    expect(await probeVersion('standin-shim', { cacheFile })).toBe('2.0.0');
    delete process.env.STANDIN_VERSION;
  });

  it('names the first executable on PATH, and nothing for a missing tool or an empty PATH entry', () => {
    const file = standInBash('standin-tool');
    expect(executableIdentity('standin-tool')?.startsWith(`${file}\0`)).toBe(true);
    expect(executableIdentity('no-such-tool-here')).toBeUndefined();
    expect(executableIdentity('standin-tool', `${delimiter}${bin}`)).toBeUndefined();
  });

  it('keeps probing when the cache cannot be written', async () => {
    standInBash('standin-tool');
    writeFileSync(join(dir, 'not-a-folder'), '');
    const v = await probeVersion('standin-tool', { cacheFile: join(dir, 'not-a-folder', 'cache.json') });
    expect(v).toMatch(/^\d+\.\d+/);
  });
});
