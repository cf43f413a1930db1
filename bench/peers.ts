/**
 * `npm run bench:peers`: the same five workloads for `labs verify` and for the command-line
 * testers Debian packages — cram (`python3-cram`, command `cram3`; also as `cram-bash`, run
 * under bash like labs rather than its default /bin/sh), clitest (`clitest`) and shelltest
 * (`shelltestrunner`) — each in the tool's own format. Before timing, every tool is
 * checked to pass on the workload and to fail when one expected line changes; a tool that does
 * not hold both is not timed on that workload. Then rounds run interleaved (labs, cram, clitest,
 * shelltest, labs…) and the medians and the ratios are printed, with a Markdown table at the end.
 * A tool that is not installed is skipped with a line saying so. Prints numbers measured in one
 * run; never passes or fails.
 *   node bench/peers.ts [rounds]        default 3 rounds
 *   LABS_BENCH_BIN=../other/bin/labs.js node bench/peers.ts   times another checkout's labs
 *   LABS_BENCH_ONLY=cram,cram-bash,shelltest node bench/peers.ts   times only these peers
 *   LABS_BENCH_WORKLOADS=1,3 node bench/peers.ts              times only these workloads (1 to 5)
 *   LABS_BENCH_LIMIT=120    seconds a single run may take; a slower tool is reported, not timed
 *   LABS_BENCH_DOC_DETECTIVE=<dir>/node_modules/.bin/doc-detective   also times Doc Detective
 *     (npm package `doc-detective`, installed outside the project; it is not a dependency)
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hasGnuTime, median, seconds, timedRun, type TimedRun } from './timed-run.ts';

const root = resolve(import.meta.dirname, '..');
// LABS_BENCH_BIN: another checkout's bin/labs.js, to time an earlier version against the same peers.
const labsBin = process.env.LABS_BENCH_BIN ? resolve(process.env.LABS_BENCH_BIN) : join(root, 'bin/labs.js');
const rounds = Number(process.argv[2] ?? 3);

/**
 * One command of a workload: what runs and what it prints. A volatile line is written by each
 * tool in its own way: labs keeps an example value (`example`), the others a pattern.
 */
interface Cmd {
  command: string;
  out: Line[];
}
type Line = string | { example: string; pattern: { pcre: string; ere: string } };

interface Workload {
  name: string;
  commands: Cmd[];
}

function table(k: number): Cmd {
  const rows = Array.from({ length: 50 }, (_, r) => `row-${k}-${r}   ready   ${r}/50   up`);
  return { command: `for r in $(seq 0 49); do printf 'row-%s-%s   ready   %s/50   up\\n' ${k} $r $r; done`, out: rows };
}

function addressLine(k: number): Cmd {
  // The real value is computed by the shell, so it is not typed in the command; the page keeps an
  // example of its own and the other tools a regular expression.
  return {
    command: `printf 'pod %s at 10.%s.%s.%s:%s\\n' ${k} 1 $((${k} / 200)) $((${k} % 200 + 1)) $((8000 + ${k}))`,
    out: [
      {
        example: `pod ${k} at 10.244.${Math.floor(k / 250)}.${(k % 250) + 2}:${9000 + k}`,
        pattern: { pcre: `pod ${k} at 10\\.\\d+\\.\\d+\\.\\d+:\\d+`, ere: `pod ${k} at 10\\.[0-9]+\\.[0-9]+\\.[0-9]+:[0-9]+` },
      },
    ],
  };
}

const big = Array.from({ length: 1_500_000 }, (_, i) => String(i + 1));
const workloads: Workload[] = [
  { name: '1 command', commands: [{ command: 'echo hello', out: ['hello'] }] },
  { name: '1,000 × echo', commands: Array.from({ length: 1000 }, (_, k) => ({ command: `echo line ${k}`, out: [`line ${k}`] })) },
  { name: '200 × 50-line tables', commands: Array.from({ length: 200 }, (_, k) => table(k)) },
  { name: '200 × volatile IP:port lines', commands: Array.from({ length: 200 }, (_, k) => addressLine(k)) },
  { name: `one command, ${(big.join('\n').length / 1e6).toFixed(1)} MB output`, commands: [{ command: 'seq 1 1500000', out: big }] },
];

/** The same workload with the first command's first expected line changed to one no run prints. */
function drifted(w: Workload): Workload {
  const [first, ...rest] = w.commands;
  return { ...w, commands: [{ ...first!, out: ['this line drifted', ...first!.out.slice(1)] }, ...rest] };
}

/** A tool under test: how it writes a workload into a folder and how it runs it there. */
interface Tool {
  name: string;
  /** Why it cannot run here, or undefined when it can. */
  missing(): Promise<string | undefined>;
  write(dir: string, w: Workload): Promise<void>;
  argv(dir: string): string[];
  env?: (dir: string) => Record<string, string>;
  /** Whether the run passed, for a tool whose exit status does not say (default: exit status 0). */
  passed?: (dir: string, exitCode: number | undefined) => Promise<boolean>;
}

const found = async (argv: string[], hint: string) => ((await execa(argv[0]!, argv.slice(1), { reject: false })).exitCode === 0 ? undefined : hint);

const labs: Tool = {
  name: 'labs',
  missing: async () => undefined,
  async write(dir, w) {
    const lab = join(dir, 'lab');
    await mkdir(lab, { recursive: true });
    await writeFile(join(lab, 'lab.yaml'), 'title: bench\ntarget: local\n');
    // One console block per command, so every command is checked and reported on its own.
    const blocks = w.commands.map((c) => ['```console', `$ ${c.command}`, ...c.out.map((l) => (typeof l === 'string' ? l : l.example)), '```', ''].join('\n'));
    await writeFile(join(lab, '01-bench.mdx'), `# ${w.name}\n\n${blocks.join('\n')}`);
  },
  argv: () => [process.execPath, labsBin, 'verify', 'lab', '--no-record'],
  // A lock folder of its own: another run of a lab named `lab` on this machine must not make
  // this one wait or refuse.
  env: (dir) => ({ NO_COLOR: '1', LABS_LOCK_DIR: join(dir, '..', 'locks') }),
};

const cram: Tool = {
  name: 'cram',
  missing: () => found(['cram3', '--version'], 'cram3 not found (Debian package python3-cram)'),
  async write(dir, w) {
    const t = w.commands.flatMap((c) => [`  $ ${c.command}`, ...c.out.map((l) => (typeof l === 'string' ? `  ${l}` : `  ${l.pattern.pcre} (re)`))]);
    await writeFile(join(dir, 'bench.t'), t.join('\n') + '\n');
  },
  argv: () => ['cram3', '-q', 'bench.t'],
  env: (dir) => ({ TMPDIR: dir }),
};

/**
 * cram runs its tests with /bin/sh, which is dash on Debian and forks faster than bash; labs runs
 * console blocks in bash. The same workload under `--shell=/bin/bash` shows how much of a row is
 * the shell rather than the runner.
 */
const cramBash: Tool = {
  ...cram,
  name: 'cram-bash',
  argv: () => ['cram3', '-q', '--shell=/bin/bash', 'bench.t'],
};

/** The extended regular expression of a command's volatile line (a workload has one per command at most). */
function volatileEre(c: Cmd): string | undefined {
  for (const l of c.out) if (typeof l !== 'string') return l.pattern.ere;
  return undefined;
}

const clitest: Tool = {
  name: 'clitest',
  missing: () => found(['clitest', '--version'], 'clitest not found (Debian package clitest)'),
  async write(dir, w) {
    // A volatile line is checked with clitest's inline `#=> --egrep`, which takes one line.
    const t = w.commands.flatMap((c) => {
      const ere = volatileEre(c);
      return ere ? [`$ ${c.command} #=> --egrep ^${ere}$`] : [`$ ${c.command}`, ...(c.out as string[])];
    });
    await writeFile(join(dir, 'bench.clitest'), t.join('\n') + '\n');
  },
  argv: () => ['clitest', '--quiet', 'bench.clitest'],
};

const shelltest: Tool = {
  name: 'shelltest',
  missing: () => found(['shelltest', '--version'], 'shelltest not found (Debian package shelltestrunner)'),
  async write(dir, w) {
    // Format 2: `$ command`, the expected lines (or `> /regex/`), exit status 0 by default.
    const t = w.commands.flatMap((c) => {
      const ere = volatileEre(c);
      return ere ? [`$ ${c.command}`, `> /^${ere}$/`, ''] : [`$ ${c.command}`, ...(c.out as string[]), ''];
    });
    await writeFile(join(dir, 'bench.test'), t.join('\n'));
  },
  argv: () => ['shelltest', 'bench.test'],
};

/**
 * Doc Detective: one test whose steps are `runShell` with the expected output in `stdio` (a
 * `/regex/` for a volatile line). It exits 0 whatever the result, so the pass is read from the
 * summary of its results file. Telemetry is switched off in its config.
 */
const docDetectiveBin = process.env.LABS_BENCH_DOC_DETECTIVE ? resolve(process.env.LABS_BENCH_DOC_DETECTIVE) : undefined;
const docDetective: Tool = {
  name: 'Doc Detective',
  missing: async () => (docDetectiveBin && existsSync(docDetectiveBin) ? undefined : 'Doc Detective not timed (set LABS_BENCH_DOC_DETECTIVE to its bin, from `npm install doc-detective` outside the project)'),
  async write(dir, w) {
    const steps = w.commands.map((c) => {
      const ere = volatileEre(c);
      const stdio = ere ? `/^${ere}$/` : (c.out as string[]).join('\n');
      return { runShell: { command: c.command, stdio, exitCodes: [0] } };
    });
    await writeFile(join(dir, 'bench.spec.json'), JSON.stringify({ tests: [{ steps }] }));
    await writeFile(join(dir, 'dd-config.json'), JSON.stringify({ telemetry: { send: false }, logLevel: 'error' }));
  },
  argv: () => [process.execPath, docDetectiveBin!, '--input', 'bench.spec.json', '--config', 'dd-config.json'],
  async passed(dir) {
    const runs = join(dir, '.doc-detective', 'runs');
    const latest = (await readdir(runs).catch(() => [] as string[])).sort().at(-1);
    if (!latest) return false;
    const r = JSON.parse(await readFile(join(runs, latest, 'testResults.json'), 'utf8')) as { summary?: { steps?: { pass?: number; fail?: number } } };
    await rm(runs, { recursive: true, force: true });
    return (r.summary?.steps?.fail ?? 1) === 0 && (r.summary?.steps?.pass ?? 0) > 0;
  },
};

const only = process.env.LABS_BENCH_ONLY?.split(',').map((s) => s.trim());
const peers = [cram, cramBash, clitest, shelltest, docDetective].filter((t) => !only || only.includes(t.name));

const limitMs = Number(process.env.LABS_BENCH_LIMIT ?? 120) * 1000;
/**
 * Runs a tool once, timed: whether it passed, or `timedOut` when it took longer than the limit.
 * Only the tool's own process is timed, not reading its results afterwards.
 */
async function run(tool: Tool, dir: string): Promise<TimedRun & { passed: boolean; timedOut: boolean }> {
  // coreutils' timeout ends the tool itself (and so its children's input), and exits 137 then.
  const r = await timedRun(['timeout', '-s', 'KILL', String(limitMs / 1000), ...tool.argv(dir)], { cwd: dir, env: tool.env?.(dir) });
  if (r.exitCode === 137) return { ...r, passed: false, timedOut: true };
  return { ...r, passed: tool.passed ? await tool.passed(dir, r.exitCode) : r.exitCode === 0, timedOut: false };
}

const ratio = (a: number, b: number) => (a >= b ? `${(a / b).toFixed(1)}× slower` : `${(b / a).toFixed(1)}× faster`);

const tools: Tool[] = [labs];
for (const p of peers) {
  const why = await p.missing();
  if (why) console.log(`${why}: skipped`);
  else tools.push(p);
}
const base = await mkdtemp(join(tmpdir(), 'labs-peers-'));
/** Per workload, per tool: median wall and CPU, or why it was not timed. */
const results: { name: string; by: Map<string, { wall: number; cpu: number | undefined } | string> }[] = [];
try {
  console.log(`${rounds} interleaved rounds; median wall time per workload${hasGnuTime ? ', and median CPU time (user + system, with children)' : ''}`);
  const picked = process.env.LABS_BENCH_WORKLOADS?.split(',').map((n) => workloads[Number(n) - 1]!) ?? workloads;
  for (const w of picked) {
    const by = new Map<string, { wall: number; cpu: number | undefined } | string>();
    const ready: Tool[] = [];
    for (const tool of tools) {
      const ok = join(base, tool.name, 'ok');
      const bad = join(base, tool.name, 'bad');
      await rm(join(base, tool.name), { recursive: true, force: true });
      await mkdir(ok, { recursive: true });
      await mkdir(bad, { recursive: true });
      await tool.write(ok, w);
      await tool.write(bad, drifted(w));
      // Every tool must pass the workload and fail its one-line change, or its numbers mean nothing.
      const good = await run(tool, ok);
      if (good.timedOut) {
        by.set(tool.name, `not timed: one run took over ${limitMs / 1000} s`);
        continue;
      }
      const drift = await run(tool, bad);
      const fails = !drift.passed && !drift.timedOut;
      if (good.passed && fails) ready.push(tool);
      else {
        // What the tool printed, so a tool that did not pass can be looked into.
        if (!good.passed) console.log(`${tool.name} did not pass ${w.name}; the end of its output:\n${good.all.split('\n').slice(-15).join('\n')}`);
        by.set(tool.name, `not timed: ${[good.passed ? '' : 'did not pass', fails ? '' : 'did not fail on the drifted line'].filter(Boolean).join(', ')}`);
      }
    }
    const runs = new Map<string, TimedRun[]>(ready.map((t) => [t.name, []]));
    for (let r = 0; r < rounds; r++) for (const tool of ready) runs.get(tool.name)!.push(await run(tool, join(base, tool.name, 'ok')));
    for (const [name, t] of runs) {
      by.set(name, { wall: median(t.map((x) => x.ms)), cpu: t.every((x) => x.cpuMs !== undefined) ? median(t.map((x) => x.cpuMs!)) : undefined });
    }
    results.push({ name: w.name, by });
    const l = by.get('labs');
    const parts = [...by].map(([name, v]) => {
      if (typeof v === 'string') return `${name} ${v}`;
      const own = `${name} ${seconds(v.wall)}${v.cpu === undefined ? '' : ` (cpu ${seconds(v.cpu)})`}`;
      return name === 'labs' || typeof l !== 'object' ? own : `${own}: labs ${ratio(l.wall, v.wall)}`;
    });
    console.log(`${w.name}: ${parts.join('; ')}`);
  }
  // The same numbers as a Markdown table, wall time with CPU time in brackets.
  const names = tools.map((t) => t.name);
  const cell = (v: { wall: number; cpu: number | undefined } | string | undefined) => (v === undefined ? '–' : typeof v === 'string' ? v : `${seconds(v.wall)}${v.cpu === undefined ? '' : ` (${seconds(v.cpu)})`}`);
  console.log(`\n| workload | ${names.join(' | ')} | ${names.slice(1).map((n) => `labs vs ${n}, wall`).join(' | ')} |`);
  console.log(`| --- | ${names.map(() => '---').join(' | ')} | ${names.slice(1).map(() => '---').join(' | ')} |`);
  for (const r of results) {
    const l = r.by.get('labs');
    const ratios = names.slice(1).map((n) => {
      const v = r.by.get(n);
      return typeof l === 'object' && typeof v === 'object' ? ratio(l.wall, v.wall) : '–';
    });
    console.log(`| ${r.name} | ${names.map((n) => cell(r.by.get(n))).join(' | ')} | ${ratios.join(' | ')} |`);
  }
} finally {
  if (!process.env.LABS_BENCH_KEEP) await rm(base, { recursive: true, force: true });
  else console.log(`kept ${base}`);
}
