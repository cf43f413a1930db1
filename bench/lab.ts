/**
 * Whole-lab verification time of the labs that run on this machine (root needed for
 * networking-from-scratch): runs `labs verify` on each, without writing records, and prints the
 * wall time and the time per block.
 */
import { execa } from 'execa';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const labs = process.argv.slice(2).length ? process.argv.slice(2) : ['content/labs/networking-from-scratch'];
const dir = await mkdtemp(join(tmpdir(), 'labs-bench-'));
try {
  for (const lab of labs) {
    const report = join(dir, 'report.json');
    const started = performance.now();
    const r = await execa(process.execPath, [join(root, 'bin/labs.js'), 'verify', lab, '--no-record', '--report', `json=${report}`], { cwd: root, reject: false, all: true });
    const ms = performance.now() - started;
    const blocks = (JSON.parse(await readFile(report, 'utf8').catch(() => '{"blocks":[]}')) as { blocks: unknown[] }).blocks.length;
    console.log(`${lab}: exit ${r.exitCode}, ${blocks} blocks in ${(ms / 1000).toFixed(2)} s (${(ms / Math.max(1, blocks)).toFixed(1)} ms per block)`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
