import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labs, liveProject, readJson } from './helpers.ts';

interface Record {
  blocks: { id: string; status: string; at: string; hash: string }[];
}

describe('a partial run and the record', () => {
  it('verifying one step keeps the results of the blocks it only replayed, even when the replay drifted', async () => {
    const p = await liveProject();
    const full = await labs(p, ['verify', 'live-lab']);
    expect(full.exitCode, full.all).toBe(0);
    const path = join(p.dir, 'verification/live-lab.json');
    const before = readJson<Record>(path);
    const byId = (r: Record) => new Map(r.blocks.map((b) => [b.id, b]));

    // Step 1 now drifts when it runs; step 2 alone replays it, unrecorded.
    const step1 = join(p.lab, '01-state.mdx');
    writeFileSync(step1, readFileSync(step1, 'utf8').replace('set\n```', 'not what it prints\n```'));
    const partial = await labs(p, ['verify', 'live-lab/02-server.mdx']);
    expect(partial.all).toContain('replaying');
    expect(partial.all).toContain('did not match');
    const after = readJson<Record>(path);
    const old = byId(before);
    const now = byId(after);
    for (const id of ['set-var', 'use-var']) expect(now.get(id)).toEqual(old.get(id));
    for (const id of ['long-job', 'check-job']) {
      expect(now.get(id)!.status).toBe('pass');
      expect(now.get(id)!.at).not.toBe(old.get(id)!.at);
    }
  });
});
