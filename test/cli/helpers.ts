import { execa, type ResultPromise } from 'execa';
import { mkdtempSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
const LABS_BIN = join(ROOT, 'bin/labs.js');
const made: string[] = [];
/** Lab locks of this test file's runs: fixtures share lab ids, and test files run in parallel. */
const LOCK_DIR = mkdtempSync(join(tmpdir(), 'labs-cli-locks-'));

afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});
// Runs recreate the lock folder as they take locks: it goes once the file's tests are done.
afterAll(() => rm(LOCK_DIR, { recursive: true, force: true }));

/** Copies fixture labs into a fresh temp folder (tests may rewrite them), returns the folder. */
export async function copyFixtures(...names: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'labs-cli-test-'));
  made.push(dir);
  for (const n of names) await cp(join(ROOT, 'test/fixtures/cli', n), join(dir, n), { recursive: true });
  return dir;
}

/** Runs the real `labs` command line in `cwd`, never throwing on a non-zero exit. */
export function labs(args: string[], cwd: string, env: Record<string, string> = {}): ResultPromise<{ reject: false; all: true }> {
  return execa(process.execPath, [LABS_BIN, ...args], { cwd, reject: false, all: true, env: { NO_COLOR: '1', LABS_LOCK_DIR: LOCK_DIR, ...env } });
}
