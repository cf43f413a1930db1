import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, copyFixtures } from './helpers.ts';

// bin/labs.js ends the process from its own 'exit' listener, without Node's teardown. Whatever
// an 'exit' listener does must still happen, also one added after it, and the status must be
// the one the listeners leave, as when Node ends the process itself.

const dir = mkdtempSync(join(tmpdir(), 'labs-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A preload that adds one more 'exit' listener right after labs.js adds its own: it writes a line and sets `status`. */
function preload(status: number): string {
  const file = join(dir, `late-${status}.cjs`);
  writeFileSync(
    file,
    `const on = process.on;
process.on = function (event, listener) {
  const r = on.call(this, event, listener);
  if (event === 'exit' && listener.name === 'endNow') {
    on.call(this, 'exit', (code) => {
      require('node:fs').writeSync(2, 'late exit listener ran with ' + code + '\\n');
      process.exitCode = ${status};
    });
  }
  return r;
};
`,
  );
  return file;
}

const labs = (args: string[], cwd: string, status: number) =>
  execa(process.execPath, ['-r', preload(status), join(ROOT, 'bin/labs.js'), ...args], { cwd, reject: false, all: true, env: { NO_COLOR: '1', LABS_LOCK_DIR: join(dir, 'locks') } });

describe('the end of a labs run', () => {
  it('runs every exit listener, one added after labs.js its own too, and exits with the status they leave', async () => {
    const cwd = await copyFixtures('passing');
    const ok = await labs(['verify', 'passing', '--no-record'], cwd, 3);
    expect(ok.all).toMatch(/passed/);
    expect(ok.all).toContain('late exit listener ran with 0');
    expect(ok.exitCode).toBe(3);
    const bad = await labs(['check', 'no-such-lab'], cwd, 2);
    expect(bad.all).toContain('late exit listener ran with 2');
    expect(bad.exitCode).toBe(2);
  });

  it('keeps the status of the command when no listener changes it', async () => {
    const cwd = await copyFixtures('passing');
    const r = await execa(process.execPath, [join(ROOT, 'bin/labs.js'), 'check', 'no-such-lab'], { cwd, reject: false, all: true, env: { NO_COLOR: '1' } });
    expect(r.all).toContain('no such file or folder');
    expect(r.exitCode).toBe(2);
  });

  it('ends with 13, never 0, when the command stops short without giving a result', async () => {
    // A stand-in for the CLI whose command never settles: nothing is left to wait for, yet no
    // status was given. The sources are run so the stand-in replaces src/cli/main.ts.
    const hook = join(dir, 'never-settles.cjs');
    writeFileSync(
      hook,
      `require('node:module').registerHooks({
  load(url, context, next) {
    if (url.endsWith('/src/cli/main.ts')) return { format: 'module', source: 'export function main() { return new Promise(() => {}); }', shortCircuit: true };
    return next(url, context);
  },
});
`,
    );
    const r = await execa(process.execPath, ['-r', hook, join(ROOT, 'bin/labs.js'), 'check'], { cwd: dir, reject: false, all: true, env: { NO_COLOR: '1', LABS_FROM_SOURCE: '1' } });
    expect(r.all).toContain('ended before it gave a result');
    expect(r.exitCode).toBe(13);
  });
});
