import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, labs } from './helpers.ts';

/** Nothing a user can do shows them a stack trace. */
const STACK = /\n\s+at |node:internal|ENOENT|EISDIR|ENOTDIR/;

describe('bad places for outputs stop the run before it starts', () => {
  const cases: [string, (dir: string) => Promise<string[]>, RegExp][] = [
    ['a report path that is a folder', async (dir) => (await mkdir(join(dir, 'out')), ['--report', 'json=out']), /--report json=out: .*out is a folder, not a file/],
    ['a report path under /proc', async () => ['--report', 'markdown=/proc/self/report.md'], /\/proc\/self\/report\.md is under \/proc, a kernel folder/],
    ['a report folder that cannot be created', async (dir) => (await writeFile(join(dir, 'afile'), ''), ['--report', 'junit=afile/junit.xml']), /afile is a file, so .*afile\/junit\.xml cannot be created under it/],
    ['a records folder that cannot be created', async (dir) => (await writeFile(join(dir, 'afile'), ''), ['--records', 'afile/records']), /records folder: .*afile is a file/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 2, named, nothing run`, async () => {
      const dir = await copyFixtures('passing');
      const r = await labs(['verify', 'passing', ...(await args(dir))], dir);
      expect(r.exitCode).toBe(2);
      expect(r.all).toMatch(message);
      expect(r.all).toContain('nothing was run');
      expect(r.all).not.toMatch(STACK);
      expect(existsSync(join(dir, 'verification'))).toBe(false);
    });
  }

  it('a report that can only fail at the end is named, and the other outputs are still written', async () => {
    const dir = await copyFixtures('sabotage');
    const lost = join(dir, 'lost');
    await mkdir(lost);
    const r = await labs(['verify', 'sabotage', '--report', 'json=lost/report.json', '--report', 'markdown=kept.md'], dir, { LABS_REPORT_DIR: lost });
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/report lost\/report\.json not written/);
    expect(r.all).toMatch(/not written: json report lost\/report\.json \(everything else was\)/);
    expect(await readFile(join(dir, 'kept.md'), 'utf8')).toContain('all blocks verified');
    expect(existsSync(join(dir, 'verification/sabotage.json'))).toBe(true);
  });
});

describe('signals', () => {
  /**
   * Whether `pid` catches SIGHUP yet (bit 0 of SigCgt; Node itself never does): from then on a
   * signal is the command's to handle, while it is most likely still loading.
   */
  async function catchesSighup(pid: number): Promise<boolean> {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const mask = /SigCgt:\s*([0-9a-f]+)/.exec(status)?.[1];
    return mask !== undefined && (BigInt(`0x${mask}`) & 1n) !== 0n;
  }

  it('a signal during start-up still ends in exit 130 with a partial report', async () => {
    const dir = await copyFixtures('passing');
    const child = labs(['verify', 'passing', '--report', 'json=report.json'], dir);
    for (let i = 0; i < 500 && !(await catchesSighup(child.pid!)); i++) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGHUP');
    const r = await child;
    expect(r.exitCode).toBe(130);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.interrupted).toBe(true);
    expect(r.all).not.toMatch(/✓|✗/u); // nothing ran
  });

  it('SIGHUP (terminal closed) stops a run like SIGTERM: teardown runs, exit 130', async () => {
    const dir = await copyFixtures('interrupt');
    const markers = join(dir, 'markers');
    await mkdir(markers);
    const child = labs(['verify', 'interrupt', '--report', 'json=report.json'], dir, { LABS_MARKER_DIR: markers });
    for (let i = 0; i < 300 && !existsSync(join(markers, 'setup-ran')); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGHUP');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.all).toContain('SIGHUP: stopping after cleaning up');
    expect(existsSync(join(markers, 'teardown-ran'))).toBe(true);
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')).interrupted).toBe(true);
  });
});
