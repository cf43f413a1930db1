import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
const LABS_BIN = join(ROOT, 'bin/labs.js');

/** A project folder with the live fixture lab, its own lock folder and marker folder. */
export interface LiveProject {
  dir: string;
  lab: string;
  locks: string;
  markers: string;
  env: Record<string, string>;
}

const made: LiveProject[] = [];

afterEach(async () => {
  for (const p of made.splice(0)) {
    // Whatever a failed test left running goes with it.
    await execa(process.execPath, [LABS_BIN, 'stop'], { cwd: p.dir, reject: false, env: p.env });
    await rm(p.dir, { recursive: true, force: true });
  }
});

/** Copies test/live/fixtures/<name> into a fresh project folder. */
export async function liveProject(name = 'live-lab'): Promise<LiveProject> {
  const dir = await mkdtemp(join(tmpdir(), 'labs-live-test-'));
  const lab = join(dir, name);
  await cp(join(ROOT, 'test/live/fixtures', name), lab, { recursive: true });
  const locks = join(dir, 'locks');
  const markers = join(dir, 'markers');
  await mkdir(markers);
  const p = { dir, lab, locks, markers, env: { NO_COLOR: '1', LABS_LOCK_DIR: locks, LABS_MARKER_DIR: markers } };
  made.push(p);
  return p;
}

/** Runs the real `labs` command line in the project, never throwing on a non-zero exit. */
export function labs(p: LiveProject, args: string[]): ResultPromise<{ reject: false; all: true }> {
  return execa(process.execPath, [LABS_BIN, ...args], { cwd: p.dir, reject: false, all: true, env: p.env });
}

/** Starts `labs` without waiting (for --watch). */
export function labsBackground(p: LiveProject, args: string[]) {
  return execa(process.execPath, [LABS_BIN, ...args], { cwd: p.dir, reject: false, all: true, env: p.env, buffer: true });
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
