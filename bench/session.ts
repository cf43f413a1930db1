/**
 * Per-command overhead of a persistent session versus a fresh `bash -c` per command.
 * Run: node bench/session.ts [count]   (prints numbers only; no assertions)
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
  const fresh = await timeFreshBash();
  console.log(`commands:                 ${count} × true`);
  console.log(`persistent session:       ${persistent.toFixed(3)} ms/command`);
  console.log(`fresh bash -c (execa):    ${fresh.toFixed(3)} ms/command`);
  console.log(`ratio (fresh/persistent): ${(fresh / persistent).toFixed(1)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
