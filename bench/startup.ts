/**
 * `npm run bench:startup`: what the `labs` command costs around a one-block local lab, where
 * start-up is nearly all of it: `--help` (start-up alone), `check`, `list` and
 * `verify --no-record`, in rounds interleaved
 * between this checkout and (with LABS_BENCH_BIN) another one, plus how many modules each loads.
 * Prints medians of wall time and of CPU time (user + system with children, from GNU time; far
 * steadier than wall time on a shared machine). Prints numbers; never passes or fails.
 *   node bench/startup.ts [rounds]                                   default 5 rounds
 *   LABS_BENCH_BIN=../other/bin/labs.js node bench/startup.ts        also times another checkout
 */
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, seconds, timedRun, type TimedRun } from './timed-run.ts';

const root = resolve(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 5);
const bins: [string, string][] = [['this checkout', join(root, 'bin/labs.js')]];
if (process.env.LABS_BENCH_BIN) bins.push(['LABS_BENCH_BIN', resolve(process.env.LABS_BENCH_BIN)]);

const dir = await mkdtemp(join(tmpdir(), 'labs-startup-'));
const lab = join(dir, 'lab');
await mkdir(lab);
await writeFile(join(lab, 'lab.yaml'), 'title: Start-up\ntarget: local\n');
await writeFile(join(lab, '01-one.mdx'), '# One block\n\n```console\n$ echo hello\nhello\n```\n');
// Its own lock folder: other runs on the machine may verify labs with the same id.
const env = { NO_COLOR: '1', LABS_LOCK_DIR: join(dir, 'locks') };

/** Counts the modules a run loads (ours, dependencies and Node's own `node:` ones). */
const COUNT_HOOK = `data:text/javascript,${encodeURIComponent(
  "import{registerHooks}from'node:module';const u=new Set();registerHooks({load(url,c,n){u.add(url);return n(url,c)}});process.on('exit',()=>process.stderr.write('\\nmodules loaded: '+u.size+'\\n'))",
)}`;

const commands: [string, string[]][] = [
  ['--help', ['--help']],
  ['check', ['check', 'lab']],
  ['list', ['list', 'lab']],
  ['verify', ['verify', 'lab', '--no-record']],
];

const runOnce = (bin: string, args: string[]) => timedRun([process.execPath, bin, ...args], { cwd: dir, env });

try {
  // Warm-up: the first run after a change builds the start-up bundle; it is not what is timed.
  for (const [name, bin] of bins) {
    for (const [label, args] of commands) {
      const r = await runOnce(bin, args);
      if (r.exitCode !== 0) throw new Error(`${name}: labs ${label} exited ${r.exitCode}; nothing timed`);
    }
  }
  const times = new Map<string, TimedRun[]>();
  for (let round = 0; round < rounds; round++) {
    for (const [label, args] of commands) {
      for (const [name, bin] of bins) {
        const key = `${label}\0${name}`;
        times.set(key, [...(times.get(key) ?? []), await runOnce(bin, args)]);
      }
    }
  }
  console.log(`${rounds} interleaved rounds on a one-block local lab; median wall time (CPU user + system with children)`);
  for (const [label, args] of commands) {
    const parts: string[] = [];
    for (const [name, bin] of bins) {
      const runs = times.get(`${label}\0${name}`)!;
      const cpu = runs.every((r) => r.cpuMs !== undefined) ? median(runs.map((r) => r.cpuMs!)) : undefined;
      const counted = await execa(process.execPath, ['--import', COUNT_HOOK, bin, ...args], { cwd: dir, reject: false, env, all: true });
      const modules = /modules loaded: (\d+)/.exec(counted.all ?? '')?.[1] ?? '?';
      parts.push(`${name} ${seconds(median(runs.map((r) => r.ms)))}${cpu === undefined ? '' : ` (cpu ${seconds(cpu)})`}, ${modules} modules`);
    }
    console.log(`labs ${label}: ${parts.join('; ')}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
