/**
 * `npm run bench`: runs every benchmark in this folder one after another and prints what each
 * measured. Benchmarks print numbers and ratios from one run; they never pass or fail.
 *   node bench/run.ts [name...]     e.g. node bench/run.ts match session
 */
import { execa } from 'execa';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const here = import.meta.dirname;
const wanted = process.argv.slice(2);
const all = (await readdir(here)).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.replace(/\.ts$/, ''));
// bench/peers.ts (npm run bench:peers) compares with other tools and runs only when named.
for (const name of all.filter((n) => (wanted.length === 0 ? n !== 'peers' : wanted.includes(n))).sort()) {
  console.log(`\n== bench/${name}.ts`);
  const r = await execa(process.execPath, [join(here, `${name}.ts`)], { stdio: 'inherit', reject: false });
  if (r.exitCode !== 0) console.log(`(bench/${name}.ts exited ${r.exitCode})`);
}
