import { randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadLab } from '../../src/parse/load-lab.ts';
import { runLab } from '../../src/run/run-lab.ts';
import { createLocalTarget } from '../../src/run/targets/local.ts';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { readProcess } from '../../src/run/process-group.ts';
import type { AheadCommand, SessionSpec } from '../../src/run/targets/types.ts';

/** A number no other process uses as an argument: `sleep <marker>` is then findable in /proc. */
export function uniqueMarker(): string {
  return String(randomInt(800_000_000, 999_999_999));
}

/** Pids of live (non-zombie) processes with `marker` as one of their arguments. */
export function processesWithArg(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.split('\0').includes(marker)) continue;
    const info = readProcess(Number(name));
    if (info && info.state !== 'Z') found.push(info.pid);
  }
  return found;
}

/** Waits until `check` holds (processes take a moment to die after SIGKILL); returns its last value. */
export async function eventually<T>(read: () => T, check: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!check(value) && Date.now() < deadline) {
    await sleep(25);
    value = read();
  }
  return value;
}

export function specFor(name: string, cwd: string, extra: Partial<SessionSpec> = {}): SessionSpec {
  return { name, cwd, env: {}, prompt: '$ ', ...extra };
}

/** Creates a network namespace with a unique `lt-…` name; delete it with `deleteNamespace`. */
export function createNamespace(): string {
  const name = `lt-${randomInt(1e9).toString(36)}`;
  execFileSync('ip', ['netns', 'add', name]);
  return name;
}

export function deleteNamespace(name: string | undefined): void {
  if (!name) return;
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

export function namespaceExists(name: string): boolean {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').some((l) => l.split(' ')[0] === name);
}

/** The `console` fence of a block: its info-string options and its lines. */
export const fence = (meta: string, lines: string[]) => ['```console' + (meta ? ` ${meta}` : ''), ...lines, '```', ''].join('\n');

/**
 * Runs a one-step local lab made of `blocks` (written under `dir/name`), recording every batch of
 * commands its sessions type ahead; with `ahead: false` the sessions cannot type ahead, so every
 * command is substituted and run on its own.
 */
export async function runOneStepLab(dir: string, name: string, blocks: string[], ahead = true) {
  const labDir = join(dir, name);
  mkdirSync(labDir, { recursive: true });
  writeFileSync(join(labDir, 'lab.yaml'), `title: ${name}\ntarget: local\n`);
  writeFileSync(join(labDir, '01-step.mdx'), `# Step\n\n${blocks.join('\n')}`);
  const { lab, problems } = await loadLab(labDir);
  expect(problems).toEqual([]);
  const batches: string[][] = [];
  const target = createLocalTarget();
  const open = target.openSession.bind(target);
  target.openSession = async (spec) => {
    const s = await open(spec);
    const typeAhead = s.runAhead?.bind(s);
    // An own property hides the method: this session cannot type ahead.
    if (!ahead) s.runAhead = undefined;
    else if (typeAhead) s.runAhead = (commands: readonly AheadCommand[]) => (batches.push(commands.map((c) => c.command)), typeAhead(commands));
    return s;
  };
  const workDir = join(labDir, ahead ? 'work-ahead' : 'work-alone');
  mkdirSync(workDir);
  const result = await runLab(lab!, { target, workDir, environment: { target: 'local', versions: {}, os: 'test', node: process.version } });
  return { result, batches };
}
