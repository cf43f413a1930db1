/**
 * Per-command overhead of a persistent session versus a fresh `bash -c` per command, and of
 * commands typed ahead (as consecutive blocks are), with the CPU time this process and the
 * shell spend per command; and how long opening and closing a session take.
 * Run: node bench/session.ts [count]   (prints numbers only; no assertions)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { openPipeSession } from '../src/run/session.ts';

const count = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'lt-bench-'));

async function timePersistent(): Promise<number> {
  const session = await openPipeSession({ name: 'bench', cwd: dir, env: {}, prompt: '$ ' }, { tag: `bench-${process.pid}` });
  for (let i = 0; i < 20; i++) await session.run('true', { timeoutMs: 10_000 }); // warm-up
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const outcome = await session.run('true', { timeoutMs: 10_000 });
    if (outcome.exitCode !== 0) throw new Error(`unexpected exit ${outcome.exitCode}`);
  }
  const elapsed = performance.now() - start;
  await session.close();
  return elapsed / count;
}

/** Commands typed ahead in batches and claimed one by one: wall time, and CPU of this process and of the shell, per command. */
async function timeTypedAhead(): Promise<{ wall: number; node: number; shell: number }> {
  const session = await openPipeSession({ name: 'bench', cwd: dir, env: {}, prompt: '$ ' }, { tag: `bench-${process.pid}-ahead` });
  const commands = Array.from({ length: count }, (_, k) => ({ command: `echo line ${k}`, timeoutMs: 10_000 }));
  const shellBefore = shellCpuMs(session.pid!);
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let at = 0; at < count; at += 500) {
    const batch = commands.slice(at, at + 500);
    await session.runAhead(batch);
    for (const c of batch) {
      const outcome = await session.run(c.command, { timeoutMs: c.timeoutMs });
      if (outcome.output !== `${c.command.slice('echo '.length)}\n`) throw new Error(`unexpected output ${JSON.stringify(outcome.output)}`);
    }
  }
  const wall = (performance.now() - start) / count;
  const used = process.cpuUsage(cpu);
  const shell = (shellCpuMs(session.pid!) - shellBefore) / count;
  await session.close();
  return { wall, node: (used.user + used.system) / 1000 / count, shell };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (clock ticks of 10 ms). */
function shellCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Opening a session (start the shell, wait for its first answer) and closing it, median of 20. */
async function timeOpenClose(): Promise<{ open: number; close: number }> {
  const opens: number[] = [];
  const closes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const session = await openPipeSession({ name: 'bench', cwd: dir, env: {}, prompt: '$ ' }, { tag: `bench-${process.pid}-open-${i}` });
    const t1 = performance.now();
    await session.run('true', { timeoutMs: 10_000 });
    const t2 = performance.now();
    await session.close();
    opens.push(t1 - t0);
    closes.push(performance.now() - t2);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { open: median(opens), close: median(closes) };
}

async function timeFreshBash(): Promise<number> {
  for (let i = 0; i < 20; i++) await execa('bash', ['-c', 'true'], { cwd: dir, all: true });
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const result = await execa('bash', ['-c', 'true'], { cwd: dir, all: true, reject: false });
    if (result.exitCode !== 0) throw new Error(`unexpected exit ${result.exitCode}`);
  }
  return (performance.now() - start) / count;
}

try {
  const persistent = await timePersistent();
  const ahead = await timeTypedAhead();
  const openClose = await timeOpenClose();
  const fresh = await timeFreshBash();
  console.log(`commands:                 ${count} × true`);
  console.log(`persistent session:       ${persistent.toFixed(3)} ms/command`);
  console.log(`fresh bash -c (execa):    ${fresh.toFixed(3)} ms/command`);
  console.log(`ratio (fresh/persistent): ${(fresh / persistent).toFixed(1)}×`);
  console.log(`typed ahead (echo):       ${ahead.wall.toFixed(3)} ms/command; CPU ${ahead.node.toFixed(3)} ms here and ${ahead.shell.toFixed(3)} ms in the shell per command`);
  console.log(`open / close a session:   ${openClose.open.toFixed(1)} ms / ${openClose.close.toFixed(1)} ms (median of 20)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
