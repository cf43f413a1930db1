/**
 * What the benchmarks that start processes share: one timed run of a command, and how timings
 * are summed up and printed. With GNU time installed a run also reports the CPU time (user +
 * system) of the command and all its children, which varies far less than wall time on a
 * shared machine. Prints nothing itself.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
/** Whether runs report CPU time. */
export const hasGnuTime = existsSync(GNU_TIME);

export interface TimedRun {
  ms: number;
  /** User + system time of the command and its children; undefined without GNU time. */
  cpuMs: number | undefined;
  exitCode: number | undefined;
  /** Standard output and error, interleaved. */
  all: string;
}

/** Runs `argv` once in `cwd` and times it. Never throws on the command's exit status. */
export async function timedRun(argv: readonly string[], o: { cwd: string; env?: Record<string, string> }): Promise<TimedRun> {
  const cpuFile = join(tmpdir(), `labs-bench-cpu-${process.pid}.txt`);
  const [file, args] = hasGnuTime ? [GNU_TIME, ['-o', cpuFile, '-f', '%U %S', ...argv]] : [argv[0]!, argv.slice(1)];
  const started = performance.now();
  const r = await execa(file, args, { cwd: o.cwd, env: o.env, reject: false, all: true });
  const ms = performance.now() - started;
  // GNU time puts a line about a signal before its own when the command was killed: the last line is the times.
  const cpu = hasGnuTime ? (await readFile(cpuFile, 'utf8').catch(() => '')).trim().split('\n').at(-1)!.split(' ').map(Number) : [];
  await rm(cpuFile, { force: true });
  return { ms, cpuMs: cpu.length === 2 && cpu.every(Number.isFinite) ? (cpu[0]! + cpu[1]!) * 1000 : undefined, exitCode: r.exitCode, all: r.all ?? '' };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
