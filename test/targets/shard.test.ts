import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard, shardLabs } from '../../src/cli/select-labs.ts';
import { labs, makeWorld, startsWith } from './helpers.ts';

describe('--shard', () => {
  it('deals the given labs round-robin by id, each to exactly one shard', () => {
    const ids = ['mesh-lab', 'kind-basic', 'other-lab', 'a-lab', 'zeta'];
    const of = (i: number) => shardLabs(ids, { index: i, total: 2 }, (x) => x);
    expect(of(1)).toEqual(['a-lab', 'mesh-lab', 'zeta']);
    expect(of(2)).toEqual(['kind-basic', 'other-lab']);
    expect([...of(1), ...of(2)].sort()).toEqual([...ids].sort());
    expect(parseShard('3/2')).toBeUndefined();
    expect(parseShard('0/2')).toBeUndefined();
  });

  it('deals only the labs the target takes: a local lab never uses up a kind shard', async () => {
    const w = await makeWorld('kind-basic', 'local-lab');
    // The project layout, so that `labs verify` with no path takes every lab.
    await mkdir(join(w.dir, 'content/labs'), { recursive: true });
    for (const lab of ['kind-basic', 'local-lab']) await rename(join(w.dir, lab), join(w.dir, 'content/labs', lab));
    // Before target filtering, kind-basic went to shard 1 and the skipped local lab to shard 2.
    const second = await labs(w, ['verify', '--target', 'kind', '--shard', '2/2', '--no-record']);
    expect(second.exitCode).toBe(2);
    expect(second.all).toContain('shard 2/2 has no lab to run: only 1 lab (kind-basic) can run on target kind here, fewer than the 2 shards; nothing was verified — use at most 1 shard');
    expect(second.all).not.toMatch(/passed|no lab to verify/);
    expect(w.calls().some((c) => startsWith(c, 'kind', 'create', 'cluster'))).toBe(false);
  });
});
