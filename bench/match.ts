// Throughput of normalise + tokenize + match on large kubectl/iptables-shaped output, and the time
// of adversarial single lines. Prints numbers only (no assertions): `node bench/match.ts`.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { bindCapture } from '../src/match/bind-capture.ts';
import { matchOutput } from '../src/match/compare.ts';
import { compileExpected } from '../src/match/compile-line.ts';
import { matchLine } from '../src/match/match-line.ts';
import { SCAN_BOUND, scanBindLine } from '../src/match/scan-bind.ts';
import type { ExpectedLine } from '../src/model/block.ts';
import { addPairs, Bindings } from '../src/normalise/bindings.ts';
import { buildClasses } from '../src/normalise/classes.ts';
import { KUBE_ALPHABET } from '../src/normalise/classes/generated-name.ts';
import { normaliseOutput } from '../src/normalise/normalise.ts';
import { tokenizeLine, type NormaliseContext } from '../src/normalise/tokenize.ts';

const ctx: NormaliseContext = { classes: buildClasses(), pins: new Set(['10.96.0.10']) };
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `n` written in `alphabet`, left-padded to `width` with its first letter. */
function encode(n: number, alphabet: string, width: number): string {
  let s = '';
  for (let k = 0; k < width; k++) {
    s = alphabet[n % alphabet.length]! + s;
    n = Math.floor(n / alphabet.length);
  }
  return s;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same text. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * About `bytes` of output (the same number of lines for every variant): `kubectl get pod -o wide`
 * rows and `iptables -t nat -L -n -v` rows. `variant` shifts every volatile value (names, IPs,
 * chain hashes, ages) one-to-one.
 */
function generate(bytes: number, variant: number, distinct = Infinity): string {
  const count = Math.round(bytes / 140);
  const rnd = random(42 + variant);
  const lines: string[] = ['NAME                         READY   STATUS    RESTARTS   AGE     IP               NODE                 NOMINATED NODE   READINESS GATES'];
  for (let r = 0; r < count; r++) {
    const i = r % distinct;
    const k = i + variant * 5_000_000;
    const hash = '2' + encode(Math.floor(k / 10), KUBE_ALPHABET, 8);
    const pod = `web-${hash}-${encode(k, KUBE_ALPHABET, 5)}`;
    const ip = `10.${(variant * 100 + (i >> 16)) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const age = `${1 + Math.floor(rnd() * 59)}m${Math.floor(rnd() * 59)}s`;
    const line =
      r % 2 === 0
        ? `${pod.padEnd(28)} 1/1     Running   0          ${age.padEnd(7)} ${ip.padEnd(16)} kind-control-plane   <none>           <none>`
        : `    0     0 KUBE-SEP-${encode(k, BASE32, 16)}  all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* default/web:http -> ${ip}:80 */ statistic mode random probability 0.33333333349`;
    lines.push(line);
  }
  return lines.join('\n');
}

/** Wall time and CPU time (user + system, all of the process's threads) of `fn`. */
function time<T>(fn: () => T): { ms: number; cpu: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpu: (c.user + c.system) / 1000, value };
}

const toExpected = (lines: string[]): ExpectedLine[] => lines.map((text, k) => ({ text, line: k + 1 }));

/**
 * Peak memory of one normalise + match, measured in a process of its own (`LABS_BENCH_MEMORY`
 * names the workload) so nothing else this bench did is counted: the inputs are made and the
 * heap collected first, then the process's resident-set high-water mark is read before and after.
 * Prints one line of JSON for the parent.
 */
function measureMemoryHere(workload: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const distinct = workload === 'repeating values' ? 300 : Infinity;
  let expectedRaw: string | undefined = generate(10_000_000, 0, distinct);
  let actualRaw: string | undefined = generate(10_000_000, 1, distinct);
  const mb = (expectedRaw.length + actualRaw.length) / 2 / 1e6;
  gc();
  const base = process.memoryUsage().rss;
  const baseHigh = process.resourceUsage().maxRSS * 1024;
  const heapBase = process.memoryUsage().heapUsed;
  const expected = toExpected(normaliseOutput(expectedRaw));
  const r = matchOutput({ expected, actual: normaliseOutput(actualRaw), normalised: true, mode: 'exact', bindings: new Bindings(), ctx });
  const peak = process.resourceUsage().maxRSS * 1024;
  expectedRaw = actualRaw = undefined;
  gc();
  const kept = process.memoryUsage().rss;
  // The live heap: what the lines, the result and its bindings really hold, without the pages the
  // young generation and garbage took (which the resident set still counts).
  const heapKept = process.memoryUsage().heapUsed - heapBase;
  console.log(JSON.stringify({ mb, ok: r.ok, base, baseHigh, peak, kept, heapKept, made: r.madePairs.examples.length }));
}

if (process.env.LABS_BENCH_MEMORY) {
  measureMemoryHere(process.env.LABS_BENCH_MEMORY);
  process.exit(0);
}

/** Runs `measureMemoryHere` in a child and prints its numbers. */
function memory(workload: string): void {
  const out = execFileSync(process.execPath, ['--expose-gc', import.meta.filename], { env: { ...process.env, LABS_BENCH_MEMORY: workload }, encoding: 'utf8' });
  const m = JSON.parse(out.trim().split('\n').at(-1)!) as { mb: number; ok: boolean; base: number; baseHigh: number; peak: number; kept: number; heapKept: number; made: number };
  const MB = (bytes: number) => (bytes / 1e6).toFixed(0);
  const above = m.peak - m.base;
  console.log(
    `  memory (a process of its own, ok=${m.ok}): peak resident set ${MB(above)} MB above the ${MB(m.base)} MB before the match (${(above / 1e6 / m.mb).toFixed(1)}x the ${m.mb.toFixed(1)} MB output; high-water mark before it ${MB(m.baseHigh)} MB); ${MB(m.kept - m.base)} MB still held with the result and its ${m.made} bindings, of which live heap ${MB(m.heapKept)} MB (${(m.heapKept / 1e6 / m.mb).toFixed(1)}x the output)`,
  );
}

// Warm up the regex compilers and the JIT on a small sample.
{
  const e = normaliseOutput(generate(200_000, 0));
  matchOutput({ expected: toExpected(e), actual: normaliseOutput(generate(200_000, 1)), normalised: true, mode: 'exact', bindings: new Bindings(), ctx });
}

/** The median of some timings. */
function median(ms: number[]): number {
  return [...ms].sort((x, y) => x - y)[ms.length >> 1]!;
}

/**
 * Runs of each measurement: the machine is shared, so the best and the median of a few are
 * printed, by wall time and by CPU time (which another process's load inflates less).
 */
const RUNS = Number(process.env.LABS_BENCH_RUNS ?? 5);

/**
 * Where the match of a line-by-line alignment spends its time, each stage timed on its own over
 * every line (what `matchOutput` does in one pass): tokenizing and compiling the expected lines,
 * matching each against its actual line, binding the captured values, and the record of the
 * bindings made. Printed as shares, to say where to look next.
 */
function phases(expected: ExpectedLine[], actual: string[]): string {
  const compiled = time(() => compileExpected(expected, ctx));
  const parts = time(() => compiled.value.map((l) => l.transientParts()));
  const shapes = time(() => compiled.value.map((l, k) => matchLine(l, actual[k]!, parts.value[k])));
  const b = new Bindings();
  const bind = time(() => {
    for (const m of shapes.value) if (m.ok) for (const cap of m.caps) if (bindCapture(b, cap, 'bench')) return false;
    return true;
  });
  const made = time(() => b.madePairs().examples.length);
  const rows: [string, number][] = [
    ['compile lines', compiled.ms],
    ['tokenize expected', parts.ms],
    ['match lines', shapes.ms],
    ['bind values', bind.ms],
    ['pairs of bindings made', made.ms],
  ];
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  const shares = rows.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms (${((100 * ms) / total).toFixed(0)}%)`).join(', ');
  // What one anchored alignment does instead of the three middle stages: each line matched and
  // bound in the tokenizer's walk, without parts or captures (see src/match/scan-bind.ts).
  const lines = compileExpected(expected, ctx);
  const walked = new Bindings();
  const walk = time(() => {
    for (let k = 0; k < lines.length; k++) if (scanBindLine(lines, k, actual[k]!, walked, () => 'bench', () => {}) !== SCAN_BOUND) return false;
    return true;
  });
  return `  stages on their own (bound ok=${bind.value}, ${made.value} made): ${shares}\n  tokenize, match and bind in one walk per line (as one anchored alignment does; ok=${walk.value}): ${walk.ms.toFixed(0)} ms, against ${(parts.ms + shapes.ms + bind.ms).toFixed(0)} ms for the three stages (which keep every line's parts and captures between them)\n`;
}

/** Times normalise + match of `expectedRaw` against `actualRaw` and prints MB/s. */
function measure(name: string, expectedRaw: string, actualRaw: string): void {
  const mb = (expectedRaw.length + actualRaw.length) / 2 / 1e6;
  const totals: number[] = [];
  const cpus: number[] = [];
  const withRecord: number[] = [];
  let report = '';
  for (let run = 0; run < RUNS; run++) {
    const n = time(() => [normaliseOutput(expectedRaw), normaliseOutput(actualRaw)] as const);
    const [expectedLines, actualLines] = n.value;
    const expected = toExpected(expectedLines);
    // What the match hands over: the pairs it bound (read, as the runner reads them).
    const m = time(() => {
      const r = matchOutput({ expected, actual: actualLines, normalised: true, mode: 'exact', bindings: new Bindings(), ctx });
      return { r, made: r.madePairs.examples.length };
    });
    // The runner then copies the pairs into the block's record (one object with a key per pair).
    const rec = time(() => Object.keys(addPairs({}, m.value.r.madePairs)).length);
    totals.push(n.ms / 2 + m.ms);
    cpus.push(n.cpu / 2 + m.cpu);
    withRecord.push(n.ms / 2 + m.ms + rec.ms);
    if (run > 0) continue;
    report += `${name}: ${mb.toFixed(1)} MB, ${expectedLines.length} lines, ok=${m.value.r.ok}, ${m.value.made} bindings made\n`;
    report += `  first run: normalise ${n.ms.toFixed(0)} ms (${((2 * mb) / (n.ms / 1000)).toFixed(0)} MB/s); match ${m.ms.toFixed(0)} ms; the block's record of ${rec.value} bindings ${rec.ms.toFixed(0)} ms\n`;
    const d = time(() => m.value.r.diff.length);
    report += `  success diff with notes, built on first access: ${d.ms.toFixed(0)} ms for ${d.value} lines\n`;
    report += phases(expected, actualLines);
    const c = time(() => matchOutput({ expected: expected.filter((_, k) => k % 100 === 0), actual: actualLines, normalised: true, mode: 'contains', bindings: new Bindings(), ctx }));
    report += `  contains mode, every 100th line expected: ${c.ms.toFixed(0)} ms (${(mb / (c.ms / 1000)).toFixed(0)} MB/s), ok=${c.value.ok}\n`;
  }
  const rate = (ms: number) => (mb / (ms / 1000)).toFixed(1);
  report += `  normalise + match over ${RUNS} runs: best ${rate(Math.min(...totals))} MB/s, median ${rate(median(totals))} MB/s; by CPU time best ${rate(Math.min(...cpus))} MB/s, median ${rate(median(cpus))} MB/s\n`;
  report += `  with the block's record of bindings: best ${rate(Math.min(...withRecord))} MB/s, median ${rate(median(withRecord))} MB/s`;
  console.log(report);
  memory(name);
}

// Every line has new pods, IPs and chains: ~3 bindings per line, the worst case for the bindings map.
measure('unique values (binding-dense)', generate(10_000_000, 0), generate(10_000_000, 1));
// The same 300 pods over and over (a watch, repeated listings): bindings are looked up, not grown.
measure('repeating values', generate(10_000_000, 0, 300), generate(10_000_000, 1, 300));

// Adversarial single lines of 1 MB: runs that look almost like tokens.
const MB = 1_000_000;
const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
const adversarial: Record<string, string> = {
  digits: fill('1'),
  'digits and dots': fill('1.'),
  'digits and colons': fill('1:'),
  hex: fill('abcdef0123456789'),
  'hex and colons': fill('ab:'),
  'almost IPv4': fill('1.2.3.'),
  'almost IPv6': fill('fe80::1:'),
  'almost name': fill('web-2bcdf-'),
  'dashes and digits': fill('2-'),
  'ages': fill('1d2h3m4s'),
  'IPv4 tokens': fill('10.0.0.1 '),
  'spaces then x': ' '.repeat(MB - 2) + 'x ',
};
for (const [name, line] of Object.entries(adversarial)) {
  const t = time(() => tokenizeLine(line, ctx, { expected: true }));
  const r = time(() => matchOutput({ expected: [{ text: line, line: 1 }], actual: [line], mode: 'exact', bindings: new Bindings(), ctx }));
  console.log(`adversarial 1 MB line (${name}): tokenize ${t.ms.toFixed(0)} ms, ${t.value.length} tokens; tokenize + match ${r.ms.toFixed(0)} ms, ok=${r.value.ok}`);
}

// Linear in bindings: one-line matches that each bind a new value, after a run has made N
// bindings, forked and adopted as the runner does per block and per command. The time per match
// should not grow with N (a fork that copied the bindings on its first write made it O(N)).
{
  const perMatch: number[] = [];
  for (const n of [2_000, 20_000, 200_000]) {
    const run = new Bindings();
    const seed = run.fork();
    for (let i = 0; i < n; i++) seed.tryBind(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, 'ipv4');
    run.adopt(seed);
    const t = time(() => {
      for (let c = 0; c < 200; c++) {
        const working = run.fork();
        const r = matchOutput({ expected: [{ text: `addr 172.16.${c >> 8}.${c & 255}`, line: 1 }], actual: [`addr 172.17.${c >> 8}.${c & 255}`], mode: 'exact', bindings: working, ctx });
        if (!r.ok) throw new Error('the linearity bench expects every match to pass');
        working.adopt(r.bindings);
        run.adopt(working);
      }
    });
    perMatch.push(t.ms / 200);
    console.log(`after ${n} bindings: ${(t.ms / 200).toFixed(3)} ms per one-line match that binds (${(perMatch.at(-1)! / perMatch[0]!).toFixed(1)}x the time after ${2_000})`);
  }
}
