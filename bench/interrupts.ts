/**
 * How often an interrupted run is clean: starts `labs verify` on a small lab (setup, a
 * background job, a long command, teardown) N times, sends SIGINT, SIGTERM or SIGHUP at a
 * different moment each time (from start-up to mid-command), and counts the runs that exited
 * 130 with a partial report, ran teardown when setup had run, and left no process, work
 * folder or lock behind. Prints the count; no assertions.
 *   node bench/interrupts.ts [runs]   (default 15)
 */
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 15);
const root = join(import.meta.dirname, '..');
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const leftovers = () =>
  readdirSync('/proc').filter((p) => /^\d+$/.test(p) && /^sleep\0(3017|3019)\0$/.test(readFileSafe(`/proc/${p}/cmdline`)));
const workDirs = () => new Set(readdirSync(tmpdir()).filter((d) => d.startsWith('labs-interrupt-')));

function readFileSafe(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

let clean = 0;
const before = workDirs();
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'labs-bench-int-'));
  cpSync(join(root, 'test/fixtures/cli/interrupt'), join(dir, 'interrupt'), { recursive: true });
  mkdirSync(join(dir, 'markers'));
  const locks = join(dir, 'locks');
  const sig = signals[i % signals.length]!;
  const delay = Math.round((i / Math.max(1, runs - 1)) * 4000); // 0 ms … 4 s: start-up, setup, mid-command
  const child = execa(process.execPath, [join(root, 'bin/labs.js'), 'verify', 'interrupt', '--report', 'json=report.json'], {
    cwd: dir,
    reject: false,
    env: { LABS_MARKER_DIR: join(dir, 'markers'), LABS_LOCK_DIR: locks, NO_COLOR: '1' },
  });
  await new Promise((r) => setTimeout(r, delay));
  child.kill(sig);
  const r = await child;
  await new Promise((res) => setTimeout(res, 200));
  const markers = readdirSync(join(dir, 'markers'));
  const problems: string[] = [];
  if (r.exitCode !== 130) problems.push(`exit ${r.exitCode ?? r.signal}`);
  if (!existsSync(join(dir, 'report.json'))) problems.push('no report');
  if (markers.includes('setup-ran') && !markers.includes('teardown-ran')) problems.push('no teardown');
  if (leftovers().length > 0) problems.push('processes left');
  if ([...workDirs()].some((d) => !before.has(d))) problems.push('work folder left');
  if (existsSync(locks) && readdirSync(locks).length > 0) problems.push('lock left');
  if (problems.length === 0) clean++;
  console.log(`run ${String(i + 1).padStart(2)}: ${sig.padEnd(7)} after ${String(delay).padStart(4)} ms: ${problems.length ? problems.join(', ') : 'clean'}`);
  rmSync(dir, { recursive: true, force: true });
}
console.log(`interrupts clean: ${clean}/${runs}`);
