/**
 * `npm run bench:peers`: the same five workloads for `labs verify` and for cram (Debian's
 * `python3-cram`, whose command is `cram3`), each in the tool's own format. Before timing, both
 * tools are checked to pass on the workload and to fail on a one-line change of it; then rounds
 * run interleaved (labs, cram, labs, cram…) and the medians and their ratio are printed.
 * Prints numbers measured in one run; never passes or fails.
 *   node bench/peers.ts [rounds]        default 3 rounds
 *   LABS_BENCH_BIN=../other/bin/labs.js node bench/peers.ts   times another checkout's labs
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// LABS_BENCH_BIN: another checkout's bin/labs.js, to time an earlier version against the same peers.
const labsBin = process.env.LABS_BENCH_BIN ? resolve(process.env.LABS_BENCH_BIN) : join(root, 'bin/labs.js');
const rounds = Number(process.argv[2] ?? 3);

/** One command of a workload: what runs, what the page (labs) and the .t file (cram) expect. */
interface Cmd {
  command: string;
  labs: string[];
  cram: string[];
}

interface Workload {
  name: string;
  commands: Cmd[];
  /** Commands per console block on the labs side. */
  perBlock: number;
}

const same = (command: string, out: string[]): Cmd => ({ command, labs: out, cram: out });

function table(k: number): Cmd {
  const rows = Array.from({ length: 50 }, (_, r) => `row-${k}-${r}   ready   ${r}/50   up`);
  return same(`for r in $(seq 0 49); do printf 'row-%s-%s   ready   %s/50   up\\n' ${k} $r $r; done`, rows);
}

function addressLine(k: number): Cmd {
  // The real value is computed by the shell, so it is not typed in the command; the page keeps an
  // example of its own and cram a regular expression.
  return {
    command: `printf 'pod %s at 10.%s.%s.%s:%s\\n' ${k} 1 $((${k} / 200)) $((${k} % 200 + 1)) $((8000 + ${k}))`,
    labs: [`pod ${k} at 10.244.${Math.floor(k / 250)}.${(k % 250) + 2}:${9000 + k}`],
    cram: [`pod ${k} at 10\\.\\d+\\.\\d+\\.\\d+:\\d+ (re)`],
  };
}

const big = Array.from({ length: 1_500_000 }, (_, i) => String(i + 1));
const workloads: Workload[] = [
  { name: '1 command', commands: [same('echo hello', ['hello'])], perBlock: 1 },
  { name: '1,000 × echo', commands: Array.from({ length: 1000 }, (_, k) => same(`echo line ${k}`, [`line ${k}`])), perBlock: 1 },
  { name: '200 × 50-line tables', commands: Array.from({ length: 200 }, (_, k) => table(k)), perBlock: 1 },
  { name: '200 × volatile IP:port lines', commands: Array.from({ length: 200 }, (_, k) => addressLine(k)), perBlock: 1 },
  { name: `one command, ${(big.join('\n').length / 1e6).toFixed(1)} MB output`, commands: [same('seq 1 1500000', big)], perBlock: 1 },
];

function labsPage(w: Workload, broken: boolean): string {
  const blocks: string[] = [];
  for (let i = 0; i < w.commands.length; i += w.perBlock) {
    const body = w.commands.slice(i, i + w.perBlock).flatMap((c) => [`$ ${c.command}`, ...c.labs]);
    blocks.push(['```console', ...body, '```', ''].join('\n'));
  }
  const page = `# ${w.name}\n\n${blocks.join('\n')}`;
  return broken ? breakOneLine(page, '$ ') : page;
}

function cramFile(w: Workload, broken: boolean): string {
  const t = w.commands.flatMap((c) => [`  $ ${c.command}`, ...c.cram.map((l) => `  ${l}`)]).join('\n') + '\n';
  return broken ? breakOneLine(t, '  $ ') : t;
}

/** Changes the first expected line (not a command) to something no run prints. */
function breakOneLine(text: string, prompt: string): string {
  const lines = text.split('\n');
  const k = lines.findIndex((l, i) => i > 0 && !l.startsWith(prompt) && !l.startsWith('```') && !l.startsWith('#') && l.trim() !== '' && lines[i - 1]!.includes(prompt));
  lines[k] = lines[k]!.startsWith('  ') ? '  this line drifted' : 'this line drifted';
  return lines.join('\n');
}

async function hasCram(): Promise<boolean> {
  return (await execa('cram3', ['--version'], { reject: false })).exitCode === 0;
}

async function writeCase(dir: string, w: Workload, broken: boolean) {
  const lab = join(dir, 'lab');
  await mkdir(lab, { recursive: true });
  await writeFile(join(lab, 'lab.yaml'), 'title: bench\ntarget: local\n');
  await writeFile(join(lab, '01-bench.mdx'), labsPage(w, broken));
  await writeFile(join(dir, 'bench.t'), cramFile(w, broken));
}

/**
 * GNU time, when installed, also reports the CPU seconds (user + system) of each run and all
 * its children: on a shared machine they vary far less than wall time.
 */
const GNU_TIME = '/usr/bin/time';
const hasGnuTime = existsSync(GNU_TIME);
const timeFile = (dir: string) => join(dir, '..', `cpu-${process.pid}.txt`);
const withCpu = (dir: string, argv: string[]): [string, string[]] => (hasGnuTime ? [GNU_TIME, ['-o', timeFile(dir), '-f', '%U %S', ...argv]] : [argv[0]!, argv.slice(1)]);
const runLabs = (dir: string) => execa(...withCpu(dir, [process.execPath, labsBin, 'verify', 'lab', '--no-record']), { cwd: dir, reject: false, all: true, env: { NO_COLOR: '1' } });
const runCram = (dir: string) => execa(...withCpu(dir, ['cram3', '-q', 'bench.t']), { cwd: dir, reject: false, all: true, env: { TMPDIR: dir } });

async function timed(dir: string, fn: () => Promise<{ exitCode?: number }>): Promise<{ ms: number; cpuMs: number | undefined; exitCode: number | undefined }> {
  const started = performance.now();
  const r = await fn();
  const ms = performance.now() - started;
  const cpu = hasGnuTime ? (await readFile(timeFile(dir), 'utf8').catch(() => '')).trim().split('\n').at(-1)!.split(' ').map(Number) : [];
  return { ms, cpuMs: cpu.length === 2 && cpu.every(Number.isFinite) ? (cpu[0]! + cpu[1]!) * 1000 : undefined, exitCode: r.exitCode };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cram = await hasCram();
if (!cram) console.log('cram3 not found (Debian package python3-cram): printing labs times only');
const base = await mkdtemp(join(tmpdir(), 'labs-peers-'));
try {
  console.log(`${rounds} interleaved rounds; median wall time per workload${hasGnuTime ? ', and median CPU time (user + system, with children)' : ''}`);
  for (const w of workloads) {
    const ok = join(base, 'ok');
    const bad = join(base, 'bad');
    await rm(ok, { recursive: true, force: true });
    await rm(bad, { recursive: true, force: true });
    await writeCase(ok, w, false);
    await writeCase(bad, w, true);
    // Both tools must pass the workload and fail its one-line change, or the numbers mean nothing.
    const checks = [
      ['labs passes', (await runLabs(ok)).exitCode === 0],
      ['labs fails the change', (await runLabs(bad)).exitCode === 1],
      ...(cram ? [['cram passes', (await runCram(ok)).exitCode === 0], ['cram fails the change', (await runCram(bad)).exitCode === 1]] : []),
    ] as const;
    const wrong = checks.filter(([, good]) => !good).map(([what]) => what);
    if (wrong.length > 0) {
      console.log(`${w.name}: not timed, the check did not hold: ${wrong.map((x) => `not (${x})`).join(', ')}`);
      continue;
    }
    const labsRuns: Awaited<ReturnType<typeof timed>>[] = [];
    const cramRuns: Awaited<ReturnType<typeof timed>>[] = [];
    for (let r = 0; r < rounds; r++) {
      labsRuns.push(await timed(ok, () => runLabs(ok)));
      if (cram) cramRuns.push(await timed(ok, () => runCram(ok)));
    }
    const wall = (runs: typeof labsRuns) => median(runs.map((x) => x.ms));
    const cpu = (runs: typeof labsRuns) => (runs.every((x) => x.cpuMs !== undefined) ? median(runs.map((x) => x.cpuMs!)) : undefined);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const l = wall(labsRuns);
    const lc = cpu(labsRuns);
    const line = `${w.name}: labs ${s(l)}${lc === undefined ? '' : ` (cpu ${s(lc)})`}`;
    if (!cram) console.log(line);
    else {
      const c = wall(cramRuns);
      const cc = cpu(cramRuns);
      const cpuRatio = lc !== undefined && cc !== undefined ? `; cpu ${s(cc)}, labs/cram ${(lc / cc).toFixed(1)}×` : '';
      console.log(`${line}, cram ${s(c)}: labs/cram ${(l / c).toFixed(1)}×${cpuRatio}`);
    }
  }
} finally {
  await rm(base, { recursive: true, force: true });
}
