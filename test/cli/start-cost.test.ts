import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, copyFixtures } from './helpers.ts';

// What a run loads is part of what every run pays: Node's own modules are compiled on first use.
// A preload lists, at exit, the ones the run asked for, so one that creeps back in is seen here.

const dir = mkdtempSync(join(tmpdir(), 'labs-start-cost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LIST = join(dir, 'builtins.cjs');
writeFileSync(
  LIST,
  `process.on('exit', () => require('node:fs').writeSync(2, '\\nbuiltins: ' + process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(' ') + '\\n'));\n`,
);

/** A preload that lists the asynchronous file-system calls made before the first shell starts. */
const ASYNC_FS = join(dir, 'async-fs.cjs');
writeFileSync(
  ASYNC_FS,
  `const fs = require('node:fs');
const calls = [];
let started = false;
const wrap = (owner, name, label) => {
  const real = owner[name];
  if (typeof real !== 'function') return;
  owner[name] = function (...args) {
    if (!started) calls.push(label + ' ' + String(args[0]));
    return real.apply(this, args);
  };
};
for (const name of Object.keys(fs.promises)) wrap(fs.promises, name, 'fs.promises.' + name);
for (const name of ['readFile', 'writeFile', 'stat', 'lstat', 'readdir', 'realpath', 'mkdir', 'mkdtemp', 'rm', 'open', 'access']) wrap(fs, name, 'fs.' + name);
require('node:module').syncBuiltinESMExports();
const cp = require('node:child_process');
const spawn = cp.spawn;
cp.spawn = function (...args) {
  started = true;
  return spawn.apply(this, args);
};
require('node:module').syncBuiltinESMExports();
process.on('exit', () => fs.writeSync(2, '\\nasync fs before the first shell: ' + JSON.stringify(calls) + '\\n'));
`,
);

/** A preload that does use them: the list must show it. */
writeFileSync(join(dir, 'loads-perf.cjs'), 'performance.now();\n');

async function builtinsOf(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ exitCode: number | undefined; all: string; builtins: string[] }> {
  const r = await execa(process.execPath, ['-r', LIST, join(ROOT, 'bin/labs.js'), ...args], { cwd, reject: false, all: true, env: { NO_COLOR: '1', LABS_LOCK_DIR: join(dir, 'locks'), ...env } });
  const line = /^builtins: (.*)$/m.exec(r.all)?.[1];
  expect(line, r.all).toBeDefined();
  return { exitCode: r.exitCode, all: r.all, builtins: line!.split(' ') };
}

describe('what a verify run loads', () => {
  it('never loads the performance-timing modules, with records and without, bundled and from the sources', async () => {
    const cwd = await copyFixtures('passing');
    for (const [args, env] of [
      [['verify', 'passing', '--no-record'], {}],
      [['verify', 'passing', '--records', join(dir, 'records')], {}],
      [['verify', 'passing', '--no-record'], { LABS_FROM_SOURCE: '1' }],
    ] as const) {
      const r = await builtinsOf([...args], cwd, env);
      expect(r.all).toMatch(/\d+ passed/);
      expect(r.exitCode).toBe(0);
      // Sessions were opened, commands timed: the run did what would load them.
      expect(r.builtins).toContain('child_process');
      expect(r.builtins).not.toContain('perf_hooks');
    }
  });

  it('the list sees a module that is loaded (the check can fail)', async () => {
    const r = await builtinsOf(['--help'], dir, { NODE_OPTIONS: `-r ${join(dir, 'loads-perf.cjs')}` });
    expect(r.builtins).toContain('perf_hooks');
  });

  it('waits for no file-system job of the thread pool before its first shell starts, bundled and from the sources', async () => {
    const cwd = await copyFixtures('passing');
    for (const env of [{}, { LABS_FROM_SOURCE: '1' }]) {
      const r = await execa(process.execPath, ['-r', ASYNC_FS, join(ROOT, 'bin/labs.js'), 'verify', 'passing', '--no-record'], { cwd, reject: false, all: true, env: { NO_COLOR: '1', LABS_LOCK_DIR: join(dir, 'locks'), ...env } });
      expect(r.exitCode, r.all).toBe(0);
      const line = /^async fs before the first shell: (.*)$/m.exec(r.all)?.[1];
      expect(line, r.all).toBeDefined();
      expect(JSON.parse(line!)).toEqual([]);
    }
  });

  it('the asynchronous file-system list sees such a call (the check can fail)', async () => {
    writeFileSync(join(dir, 'reads-async.cjs'), "require('node:fs').promises.stat('/');\n");
    const r = await execa(process.execPath, ['-r', ASYNC_FS, '-r', join(dir, 'reads-async.cjs'), join(ROOT, 'bin/labs.js'), '--help'], { cwd: dir, reject: false, all: true, env: { NO_COLOR: '1' } });
    expect(r.all).toContain('async fs before the first shell: ["fs.promises.stat /"]');
  });
});
