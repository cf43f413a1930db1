import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, labs } from './helpers.ts';

describe('a local lab gets a private, empty kube environment', () => {
  it('never reads or changes the caller’s kubeconfig, and caches next to its own', async () => {
    const dir = await copyFixtures('kube-isolation');
    const mine = join(dir, 'my-kubeconfig');
    await writeFile(mine, 'current-context: mine\n');
    const r = await labs(['verify', 'kube-isolation'], dir, { KUBECONFIG: mine, KUBECACHEDIR: join(dir, 'my-cache') });
    expect(r.all).not.toMatch(/✗/u);
    expect(r.exitCode).toBe(0);
    expect(await readFile(mine, 'utf8')).toBe('current-context: mine\n');
  });
});
