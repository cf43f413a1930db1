import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/model/lab.ts';
import type { LockHolder } from '../../src/run/lab-lock.ts';
import { isLiveStateDir, reclaimDeadRun } from '../../src/run/reclaim.ts';
import type { Target } from '../../src/run/targets/types.ts';

let locks: string;
const saved = process.env.LABS_LOCK_DIR;
beforeEach(() => {
  locks = mkdtempSync(join(tmpdir(), 'labs-reclaim-live-'));
  process.env.LABS_LOCK_DIR = locks;
});
afterEach(() => {
  if (saved === undefined) delete process.env.LABS_LOCK_DIR;
  else process.env.LABS_LOCK_DIR = saved;
  rmSync(locks, { recursive: true, force: true });
});

const lab = { id: 'x', dir: '', configFile: 'x/lab.yaml', config: { title: 'x', target: 'local' }, steps: [] } as unknown as Lab;
const noTarget = {} as Target; // no teardown, so the target is never used
const dead = (live: string): LockHolder => ({ labId: 'x', pid: 1, startTime: '', host: '', startedAt: '', command: '', tempDirs: [], tags: [], live });

describe('reclaiming a dead live-state daemon', () => {
  it('removes its state folder (socket, state file) from the lock folder', async () => {
    const dir = join(locks, 'x.live');
    mkdirSync(dir);
    writeFileSync(join(dir, 'state.json'), '{}');
    const done = await reclaimDeadRun(lab, dead(dir), noTarget, locks);
    expect(existsSync(dir)).toBe(false);
    expect(done.removed).toContain(dir);
  });

  it('never removes a folder that is not a daemon state folder in the lock folder', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'labs-not-live-'));
    const named = join(elsewhere, 'x.live');
    mkdirSync(named);
    const plain = join(locks, 'x');
    mkdirSync(plain);
    expect(isLiveStateDir(named)).toBe(false);
    expect(isLiveStateDir(plain)).toBe(false);
    expect(isLiveStateDir(join(locks, 'x.live'))).toBe(true);
    await reclaimDeadRun(lab, dead(named), noTarget, locks);
    await reclaimDeadRun(lab, dead(plain), noTarget, locks);
    expect(existsSync(named)).toBe(true);
    expect(existsSync(plain)).toBe(true);
    rmSync(elsewhere, { recursive: true, force: true });
  });
});
