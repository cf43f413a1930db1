/**
 * What a huge command output costs: peak memory of `labs verify` on a lab whose command prints
 * N MB (passing with `...`, and drifting), against a lab that prints one line, plus the size of
 * the record and reports it writes. Needs /usr/bin/time. Prints numbers only; no assertions.
 *   node bench/output.ts [megabytes]   (default 10)
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mb = Number(process.argv[2] ?? 10);
const lines = Math.round((mb * 1_000_000) / 20); // "NNNNNN some padding\n" is about 20 bytes
const dir = mkdtempSync(join(tmpdir(), 'labs-bench-output-'));
const labs = join(import.meta.dirname, '../bin/labs.js');
const print = `seq 1 ${lines} | sed "s/$/ some padding/"`;
const pages: Record<string, string> = {
  'one line': '```console\n$ echo hi\nhi\n```\n',
  [`${mb} MB, passing`]: `\`\`\`console\n$ ${print}\n1 some padding\n...\n${lines} some padding\n\`\`\`\n`,
  [`${mb} MB, drifting`]: `\`\`\`console\n$ ${print}\n1 some padding\n2 wrong\n\`\`\`\n`,
};

if (!existsSync('/usr/bin/time')) {
  console.log('bench/output.ts needs /usr/bin/time');
  process.exit(0);
}
let baseline = 0;
for (const [name, page] of Object.entries(pages)) {
  const lab = join(dir, 'big');
  rmSync(lab, { recursive: true, force: true });
  rmSync(join(dir, 'verification'), { recursive: true, force: true });
  mkdirSync(lab);
  writeFileSync(join(lab, 'lab.yaml'), 'title: big\ntarget: local\n');
  writeFileSync(join(lab, '01-big.mdx'), `# Big\n\n${page}`);
  const timeFile = join(dir, 'time');
  await execa('/usr/bin/time', ['-o', timeFile, '-f', '%M', process.execPath, labs, 'verify', 'big', '--report', 'json=r.json', '--report', 'markdown=r.md'], {
    cwd: dir,
    reject: false,
    env: { LABS_LOCK_DIR: join(dir, 'locks'), NO_COLOR: '1' },
  });
  const peak = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) / 1024;
  if (!baseline) baseline = peak;
  const size = (f: string) => (existsSync(join(dir, f)) ? `${(statSync(join(dir, f)).size / 1024).toFixed(0)} KiB` : 'none');
  console.log(
    `${name.padEnd(18)} peak ${peak.toFixed(0)} MiB (${(peak / baseline).toFixed(2)}× the one-line run), record ${size('verification/big.json')}, report.json ${size('r.json')}, report.md ${size('r.md')}`,
  );
}
rmSync(dir, { recursive: true, force: true });
