import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The recording stand-ins for docker, kind, kubectl, helm, cilium, linkerd and gh (test/standins/bin). */
export const STANDIN_BIN = join(ROOT, 'test/standins/bin');
const LABS_BIN = join(ROOT, 'bin/labs.js');
const made: string[] = [];

afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

/** One call a stand-in recorded. */
export interface Call {
  tool: 'docker' | 'kind' | 'kubectl' | 'helm' | 'cilium' | 'linkerd' | 'gh';
  argv: string[];
  /** KUBECONFIG as the tool saw it; null when unset. */
  kubeconfig: string | null;
  home: string;
}

/** A scratch world for one test: fixture labs, a fake HOME, the stand-ins' log and state. */
export interface World {
  dir: string;
  home: string;
  log: string;
  state: string;
  /** Environment of the CLI: stand-ins first on PATH, HOME in the scratch folder, no KUBECONFIG. */
  env: Record<string, string>;
  calls(): Call[];
}

/** Copies fixture labs (test/fixtures/targets/<name>) into a fresh folder with its own HOME. */
export async function makeWorld(...labs: string[]): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'labs-targets-test-'));
  made.push(dir);
  for (const n of labs) await cp(join(ROOT, 'test/fixtures/targets', n), join(dir, n), { recursive: true });
  const home = join(dir, 'home');
  const state = join(dir, 'state');
  await mkdir(home);
  await mkdir(state);
  const log = join(dir, 'calls.jsonl');
  const env: Record<string, string> = {
    PATH: `${STANDIN_BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    STANDIN_LOG: log,
    STANDIN_STATE: state,
    NO_COLOR: '1',
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
    // Fixture lab ids repeat across tests that run in parallel: each world has its own lab locks.
    LABS_LOCK_DIR: join(dir, 'locks'),
  };
  return {
    dir,
    home,
    log,
    state,
    env,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call) : []),
  };
}

/** Runs the real `labs` command line in the world (no inherited environment), never throwing. */
export function labs(world: World, args: string[], env: Record<string, string> = {}): ResultPromise<{ reject: false; all: true; extendEnv: false }> {
  return execa(process.execPath, [LABS_BIN, ...args], { cwd: world.dir, reject: false, all: true, extendEnv: false, env: { ...world.env, ...env } });
}

/** Waits until `test()` holds (polling the stand-ins' log), for at most `ms`. */
export async function waitFor(test: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether argv starts with these words. */
export function startsWith(call: Call, tool: Call['tool'], ...words: string[]): boolean {
  return call.tool === tool && words.every((w, i) => call.argv[i] === w);
}
