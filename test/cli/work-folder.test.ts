import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
});
