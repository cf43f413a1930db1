/**
 * The runner's cost per block, without start-up: runs a generated lab of one-command `echo`
 * blocks (one step, the local target) in this process, with the console view writing to nowhere
 * and the run redacted as `labs verify` does, and prints per block the wall time, the CPU time of
 * this process and when the first block's result came (medians of the rounds), and from one more
 * round the bytes it allocated (V8's sampling heap profiler, counting what was already collected
 * too; the profiler slows that round, so it is not timed). One fresh process per round, since a
 * warm process would measure optimised code that a real run of a lab never reaches.
 * Run: node bench/blocks.ts [blocks] [rounds]     default 1000 blocks, 5 rounds (prints numbers only)
 */
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const blocks = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 5);

interface Sample {
  wallMs: number;
  cpuMs: number;
  allocatedBytes: number;
  firstResultMs: number;
  failed: number;
}

if (process.env.LABS_BENCH_BLOCKS_CHILD) {
  console.log(JSON.stringify(await measure(process.env.LABS_BENCH_BLOCKS_CHILD, process.env.LABS_BENCH_BLOCKS_ALLOC === '1')));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'labs-bench-blocks-'));
  try {
    const lab = join(dir, 'lab');
    mkdirSync(lab);
    writeFileSync(join(lab, 'lab.yaml'), 'title: blocks\ntarget: local\n');
    const page = Array.from({ length: blocks }, (_, k) => `\`\`\`console\n$ echo line ${k}\nline ${k}\n\`\`\`\n`).join('\n');
    writeFileSync(join(lab, '01-blocks.mdx'), `# ${blocks} blocks\n\n${page}`);
    const child = async (alloc: boolean) => {
      const out = await execa(process.execPath, [import.meta.filename, String(blocks)], { env: { LABS_BENCH_BLOCKS_CHILD: lab, LABS_BENCH_BLOCKS_ALLOC: alloc ? '1' : '0', LABS_LOCK_DIR: dir } });
      return JSON.parse(out.stdout) as Sample;
    };
    const samples: Sample[] = [];
    for (let r = 0; r < rounds; r++) samples.push(await child(false));
    const allocated = (await child(true)).allocatedBytes;
    const med = (k: keyof Sample) => [...samples.map((s) => s[k])].sort((a, b) => a - b)[Math.floor((samples.length - 1) / 2)]!;
    console.log(`${blocks} echo blocks, ${rounds} rounds, medians (failed blocks: ${Math.max(...samples.map((s) => s.failed))})`);
    console.log(`  wall ${med('wallMs').toFixed(0)} ms, ${((med('wallMs') / blocks) * 1000).toFixed(0)} µs per block`);
    console.log(`  CPU of the runner ${med('cpuMs').toFixed(0)} ms, ${((med('cpuMs') / blocks) * 1000).toFixed(0)} µs per block`);
    console.log(`  allocated ${(allocated / 1e6).toFixed(1)} MB, ${(allocated / blocks / 1024).toFixed(1)} kB per block`);
    console.log(`  first result after ${med('firstResultMs').toFixed(1)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(labDir: string, alloc: boolean): Promise<Sample> {
  const { Session } = await import('node:inspector/promises');
  const { loadLab } = await import('../src/parse/load-lab.ts');
  const { runLab } = await import('../src/run/run-lab.ts');
  const { createLocalTarget } = await import('../src/run/targets/local.ts');
  const { createConsoleView } = await import('../src/report/console.ts');
  const { Redactor } = await import('../src/redact/redact.ts');
  const { redactRun } = await import('../src/redact/redact-run.ts');
  const { lab } = await loadLab(labDir);
  const work = mkdtempSync(join(tmpdir(), 'labs-bench-blocks-work-'));
  const redactor = new Redactor();
  const view = createConsoleView({ stream: { write: () => true, isTTY: false }, tty: false, redactor });
  let first = 0;
  const events = { ...view, blockEnd: (...a: Parameters<NonNullable<typeof view.blockEnd>>) => ((first ||= performance.now()), view.blockEnd!(...a)) };
  const inspector = new Session();
  if (alloc) {
    inspector.connect();
    await inspector.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  const cpu = process.cpuUsage();
  const started = performance.now();
  const run = await runLab(lab!, { target: createLocalTarget(), workDir: work, environment: { target: 'local', versions: {}, os: 'bench', node: process.version }, events });
  redactRun(run, redactor);
  view.close();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  rmSync(work, { recursive: true, force: true });
  let allocatedBytes = 0;
  const walk = (n: { selfSize: number; children: (typeof n)[] }) => {
    allocatedBytes += n.selfSize;
    for (const c of n.children) walk(c);
  };
  if (alloc) walk((await inspector.post('HeapProfiler.stopSampling')).profile.head);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, allocatedBytes, firstResultMs: first - started, failed: run.results.filter((r) => r.status !== 'pass').length };
}
