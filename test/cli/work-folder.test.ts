import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, labs } from './helpers.ts';

describe('the work folder is a boundary', () => {
  it('refuses a file= through a symlink an earlier block made, and names a missing session cwd', async () => {
    const dir = await copyFixtures('escape');
    const outside = join(dir, 'outside');
    await mkdir(outside);
    const r = await labs(['verify', 'escape', '--report', 'json=report.json'], dir, { LABS_OUTSIDE: outside });
    expect(r.exitCode).toBe(1);
    expect(existsSync(join(outside, 'planted.yaml'))).toBe(false);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const byId = Object.fromEntries(report.blocks.map((b: { id: string }) => [b.id, b]));
    expect(byId['01-escape-2']).toMatchObject({ status: 'error', reason: expect.stringContaining('out is a symlink') });
    expect(byId['02-cwd-1']).toMatchObject({ status: 'error', reason: expect.stringContaining('its working directory made-later (cwd: in lab.yaml) does not exist') });
    expect(r.all).not.toMatch(/ENOENT|\n\s+at /);
  });

  it('reports a session cwd that leaves the work folder at labs check time', async () => {
    const dir = await copyFixtures('escape');
    const yaml = join(dir, 'escape/lab.yaml');
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('cwd: made-later', 'cwd: ../..'));
    const r = await labs(['check', 'escape'], dir);
    expect(r.exitCode).toBe(2);
    expect(r.all).toContain('escape/lab.yaml:4:');
    expect(r.all).toContain('sessions.sub.cwd "../.." leaves the lab\'s work folder');
  });

  it('is removed after the run with all a lab made in it, passing or failing, and nothing else is left in the temp folder', async () => {
    const cwd = await copyFixtures();
    await mkdir(join(cwd, 'made'));
    await writeFile(join(cwd, 'made/lab.yaml'), 'title: Made\ntarget: local\n');
    const page = (last: string) =>
      `# Files\n\n\`\`\`console\n$ mkdir -p a/b/c && printf x > a/b/c/f && chmod 444 a/b/c/f && ln -s a/b link && cd a && pwd | sed 's|.*/||'\n${last}\n\`\`\`\n`;
    for (const [last, status] of [
      ['a', 0],
      ['not-a', 1],
    ] as const) {
      await writeFile(join(cwd, 'made/01-files.mdx'), page(last));
      const tmp = mkdtempSync(join(tmpdir(), 'labs-work-tmp-'));
      try {
        const r = await labs(['verify', 'made', '--no-record'], cwd, { TMPDIR: tmp });
        expect(r.all).toMatch(status === 0 ? /1 passed/ : /1 failed/);
        expect(r.exitCode).toBe(status);
        // Node's own compile cache (enabled by bin/labs.js) lives there too, and is meant to stay.
        expect(readdirSync(tmp).filter((n) => n !== 'node-compile-cache')).toEqual([]);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
  });
});
