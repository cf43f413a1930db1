/**
 * `npm run bench:loop`: the author's edit-to-result time for a one-block edit of the last step
 * of networking-from-scratch (root needed), three ways:
 *   - a full `labs verify` of the lab (what every edit cost before live state);
 *   - `labs run <block>` against the live state of `labs verify --keep` (a new process per edit);
 *   - `labs verify --watch` with live state (from the save to the printed result).
 * It works on a copy of the lab whose last step keeps what it built (its "Clean up" blocks are
 * left out; the lab's teardown removes everything at `labs stop`). Prints times and ratios
 * from one run; it never passes or fails.
 */
import { execa } from 'execa';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median, seconds } from './timed-run.ts';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/labs.js');
const LAB = 'networking-from-scratch';
const STEP = '06-network-policy.mdx';
/** The block that is edited: the allowed client fetching the pod's page (its last block with this command). */
const COMMAND = 'root@host:~# ip netns exec kfs-client busybox wget -qO- 10.244.1.10';
const EDITS = Number(process.env.BENCH_EDITS ?? 5);

const dir = await mkdtemp(join(tmpdir(), 'labs-bench-loop-'));
const labDir = join(dir, 'content/labs', LAB);
const stepFile = join(labDir, STEP);
const env = { NO_COLOR: '1', LABS_LOCK_DIR: join(dir, 'locks') };
const labs = (args: string[]) => execa(process.execPath, [bin, ...args], { cwd: dir, reject: false, all: true, env });

try {
  await cp(join(root, 'content/labs', LAB), labDir, { recursive: true });
  const text = await readFile(stepFile, 'utf8');
  const cut = text.replace(/## Clean up[\s\S]*?(?=## Where this shows up)/, '');
  if (cut === text || !cut.includes(COMMAND)) throw new Error(`${STEP} no longer has the "Clean up" section or the block this benchmark edits; update bench/edit-loop.ts`);
  await writeFile(stepFile, cut);
  let edit = 0;
  /** 0-based index of the edited command's line = 1-based line of its block's opening fence. */
  const commandLine = cut.split('\n').findLastIndex((l) => l.startsWith(COMMAND));
  const editBlock = async () => {
    const lines = (await readFile(stepFile, 'utf8')).split('\n');
    lines[commandLine] = `${COMMAND} # edit ${++edit}`;
    await writeFile(stepFile, lines.join('\n'));
  };

  const full: number[] = [];
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    const r = await labs(['verify', labDir, '--no-record']);
    full.push(performance.now() - t);
    console.log(`full run ${i + 1}: ${seconds(full.at(-1)!)} (exit ${r.exitCode}; ${r.all.split('\n').at(-1)})`);
  }

  let t = performance.now();
  const kept = await labs(['verify', '--keep', labDir, '--no-record']);
  console.log(`labs verify --keep (once, builds the live state): ${seconds(performance.now() - t)} (exit ${kept.exitCode})`);
  if (kept.exitCode !== 0) throw new Error(`--keep failed:\n${kept.all}`);
  const block = (await labs(['list', labDir])).stdout.split('\n').find((l) => /06-network-policy-\d+\s+\d+/.test(l) && Number(l.trim().split(/\s+/)[1]) === commandLine)?.trim().split(/\s+/)[0];
  if (!block) throw new Error('could not find the id of the edited block');

  const run: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    await editBlock();
    t = performance.now();
    const r = await labs(['run', block, '--lab', labDir]);
    run.push(performance.now() - t);
    if (i === 0) console.log(`labs run ${block}: exit ${r.exitCode}; ${r.all.split('\n').at(-1)}`);
  }

  const watch: number[] = [];
  const w = execa(process.execPath, [bin, 'verify', '--watch', labDir], { cwd: dir, reject: false, all: true, env });
  let out = '';
  w.all!.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = async (re: RegExp, from: number) => {
    for (let i = 0; i < 6000 && !re.test(out.slice(from)); i++) await new Promise((r) => setTimeout(r, 5));
    if (!re.test(out.slice(from))) throw new Error(`watch never printed ${re}:\n${out}`);
  };
  await waitFor(/watching/, 0);
  for (let i = 0; i < EDITS; i++) {
    const mark = out.length;
    t = performance.now();
    await editBlock();
    await waitFor(/\d+ (passed|failed)[^\n]*\n/, mark);
    watch.push(performance.now() - t);
    if (i === 0) console.log(`--watch: ${out.slice(mark).trim().split('\n').at(-1)}`);
  }
  w.kill('SIGINT');
  await w;
  const stop = await labs(['stop', labDir]);
  console.log(stop.all.split('\n').at(-1));

  const f = Math.min(...full);
  console.log(`\nedit-to-result, one block of ${LAB} (${EDITS} edits, median):`);
  console.log(`  full run (best of ${full.length}):         ${seconds(f)}`);
  console.log(`  labs run in live state:         ${seconds(median(run))}  (${(f / median(run)).toFixed(1)}x faster)`);
  console.log(`  labs verify --watch, live state: ${seconds(median(watch))}  (${(f / median(watch)).toFixed(1)}x faster)`);
} finally {
  await execa(process.execPath, [bin, 'stop'], { cwd: dir, reject: false, env });
  await rm(dir, { recursive: true, force: true });
}
