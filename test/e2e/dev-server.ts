/**
 * Starts the real `astro dev` of this repository over a throwaway copy of a fixture project, for
 * browser tests of what the dev server does. The copy lives inside the repository (the site reads
 * only content roots inside it) in a `.tmp-…` folder git ignores.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from './site.ts';

/** A running dev server over a copy of a fixture project. */
export interface DevServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The copy: a project root holding `content/` (and, once a run writes it, `verification/`). */
  root: string;
  /** The server process; the same one for the server's whole life (no restart hides in a test). */
  pid: number;
  /** Everything the server printed so far. */
  log: () => string;
  /** Stops the server (its whole process group) and removes the copy. */
  close: () => Promise<void>;
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Copies `fixture` (relative to the repo) and starts `astro dev` with only that copy as content. */
export async function startDevServer(fixture: string): Promise<DevServer> {
  const root = await mkdtemp(path.join(PROJECT_ROOT, '.tmp-dev-server-'));
  await cp(path.join(PROJECT_ROOT, fixture), root, { recursive: true });
  let child: ChildProcess | undefined;
  let output = '';
  const close = async () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      // The server runs in its own process group: its workers go with it.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child!.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      await exited;
      clearTimeout(killer);
    }
    await rm(root, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/astro/bin/astro.mjs'), 'dev', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...serverEnv(), LABS_CONTENT_ROOTS: path.relative(PROJECT_ROOT, root), LABS_CONTENT_EXTRA: '', ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const origin = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /Local\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]!);
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code, signal) => reject(new Error(`astro dev exited (${code ?? signal}) before it listened:\n${output}`)));
    });
    return { origin, root, pid: child.pid!, log: () => output, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The test runner's environment without what makes Astro and Vite behave as under test (`VITEST`, `NODE_ENV=test`). */
function serverEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'NODE_ENV' || k === 'TEST') delete env[k];
  return env;
}
