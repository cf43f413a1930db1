/**
 * The real `labs verify` keeps `<records>/.live/<lab>.json` while it runs and removes it once the
 * record is written: the file the dev server follows.
 */
import { execa } from 'execa';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { livePath, type LiveRun } from '../../src/model/live.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/site/dev-project');
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Reads the file each time the runner's progress could have changed, until `ok` holds for it. */
async function waitForLive(file: string, ok: (run: LiveRun) => boolean, exited: () => boolean): Promise<LiveRun> {
  for (;;) {
    if (exited()) throw new Error('labs verify ended before its live file showed the expected state');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    const run = text ? (JSON.parse(text) as LiveRun) : undefined;
    if (run && ok(run)) return run;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('labs verify and its live file', () => {
  it('says which block runs while the run is held, and is gone when the record is written', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'labs-live-cli-'));
    await cp(FIXTURE, dir, { recursive: true });
    const gate = path.join(dir, 'gate');
    const child = execa(process.execPath, [path.join(ROOT, 'bin/labs.js'), 'verify', 'content/labs/live-echo'], {
      cwd: dir,
      reject: false,
      all: true,
      env: { NO_COLOR: '1', LABS_LOCK_DIR: path.join(dir, 'locks'), LIVE_ECHO_WORD: 'hello', LIVE_ECHO_GATE: gate },
    });
    let exited = false;
    void child.finally(() => (exited = true));
    try {
      const file = livePath(path.join(dir, 'verification'), 'live-echo');
      const run = await waitForLive(file, (r) => r.current === 'wait-gate', () => exited);
      expect(run).toMatchObject({ lab: 'live-echo', pid: child.pid, blocks: ['say-word', 'wait-gate'], done: { 'say-word': 'pass' } });
      await writeFile(gate, '');
      const result = await child;
      expect(result.exitCode, result.all).toBe(0);
      await expect(stat(file)).rejects.toThrow();
      const record = JSON.parse(await readFile(path.join(dir, 'verification/live-echo.json'), 'utf8'));
      expect(record.blocks.map((b: { status: string }) => b.status)).toEqual(['pass', 'pass']);
    } finally {
      if (!exited) child.kill('SIGKILL');
    }
  });

  it('writes none with --no-record', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'labs-live-cli-'));
    await cp(FIXTURE, dir, { recursive: true });
    await writeFile(path.join(dir, 'gate'), '');
    const result = await execa(process.execPath, [path.join(ROOT, 'bin/labs.js'), 'verify', '--no-record', 'content/labs/live-echo'], {
      cwd: dir,
      reject: false,
      all: true,
      env: { NO_COLOR: '1', LABS_LOCK_DIR: path.join(dir, 'locks'), LIVE_ECHO_WORD: 'hello', LIVE_ECHO_GATE: path.join(dir, 'gate') },
    });
    expect(result.exitCode, result.all).toBe(0);
    // The fixture has no verification/ folder; writing a live file would have made verification/.live/.
    await expect(stat(path.join(dir, 'verification'))).rejects.toThrow();
  });
});
