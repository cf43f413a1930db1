import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixtures, labs } from './helpers.ts';

const cleanup: string[] = [];
afterEach(async () => {
  for (const d of cleanup.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A fixture copy, a marker folder for the lab's outside state, and a private lock folder. */
async function prepare() {
  const dir = await copyFixtures('locked');
  const markers = join(dir, 'markers');
  await mkdir(markers);
  const lockDir = await mkdtemp(join(tmpdir(), 'labs-lock-test-'));
  cleanup.push(lockDir);
  return { dir, env: (sleep: string) => ({ LABS_MARKER_DIR: markers, LABS_LOCK_DIR: lockDir, LABS_SLEEP: sleep }), lockFile: join(lockDir, 'locked.lock') };
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await check()).toBe(true);
}

async function findProcesses(cmdline: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.split('\0').filter(Boolean).join(' ') === cmdline) found.push(pid);
  }
  return found;
}

describe('one run per lab at a time', () => {
  it('stops a second run with exit 2 naming the running one, which still passes', async () => {
    const { dir, env } = await prepare();
    const first = labs(['verify', 'locked', '--no-record'], dir, env('3043'));
    await waitFor(async () => (await findProcesses('sleep 3043')).length > 0);
    const second = await labs(['verify', 'locked', '--no-record'], dir, env('0'));
    // The first run goes on once its long command ends.
    for (const pid of await findProcesses('sleep 3043')) process.kill(Number(pid));
    expect(second.exitCode).toBe(2);
    expect(second.all).toContain(`locked is being verified by another run (pid ${first.pid}`);
    expect(second.all).toContain('nothing was run');
    const r = await first;
    expect(r.all).not.toMatch(/✗|blocked/u);
    expect(r.exitCode).toBe(0);
  });

  it('after a SIGKILL, the next run tears the dead one down, reclaims its folders and passes', async () => {
    const { dir, env, lockFile } = await prepare();
    const first = labs(['verify', 'locked', '--no-record'], dir, env('3041'));
    await waitFor(async () => (await findProcesses('sleep 3041')).length > 0);
    const held = JSON.parse(await readFile(lockFile, 'utf8')) as { pid: number; tempDirs: string[] };
    expect(held.pid).toBe(first.pid);
    // the work folder and the private kube folder
    expect(held.tempDirs).toEqual([expect.stringMatching(/\/labs-locked-/), expect.stringMatching(/\/labs-local-kube-/)]);
    first.kill('SIGKILL');
    await first;
    // What a SIGKILL leaves: the lock, the lab's outside state, the work folder, a running command.
    expect(existsSync(lockFile)).toBe(true);
    expect(existsSync(join(dir, 'markers/state'))).toBe(true);
    for (const d of held.tempDirs) expect(existsSync(d)).toBe(true);
    expect(await findProcesses('sleep 3041')).not.toEqual([]);

    const next = await labs(['verify', 'locked', '--no-record'], dir, env('0'));
    expect(next.all).toContain(`an earlier run of locked (pid ${first.pid}`);
    expect(next.all).not.toMatch(/✗|blocked/u);
    expect(next.exitCode).toBe(0);
    expect(await findProcesses('sleep 3041')).toEqual([]);
    for (const d of held.tempDirs) expect(existsSync(d)).toBe(false);
    expect(existsSync(lockFile)).toBe(false);
  });
});
