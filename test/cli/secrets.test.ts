import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLANTED } from '../redact/planted.ts';
import { copyFixtures, labs } from './helpers.ts';

const BOUND = 'tok-plantedbound0001';
const PASSWORD = 'setupPlantedPassw0rd';
const env = { PLANTED_ALL: PLANTED.map((p) => p.line).join('\n'), PLANTED_BOUND: BOUND, PLANTED_PASSWORD: PASSWORD };
const values = [...PLANTED.map((p) => p.value), BOUND, PASSWORD];

/** Every file under `dir`, with its text. */
async function readAll(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push({ path: join(e.parentPath, e.name), text: await readFile(join(e.parentPath, e.name), 'utf8') });
  }
  return out;
}

function leaks(texts: { path: string; text: string }[]): string[] {
  return texts.flatMap(({ path, text }) => values.filter((v) => text.includes(v)).map((v) => `${path}: ${v}`));
}

describe('no secret leaves the runner', () => {
  it('hides planted secrets of every kind in the console, the records and every report', async () => {
    const dir = await copyFixtures('secrets', 'secrets-setup');
    const r = await labs(['verify', 'secrets', 'secrets-setup', '--report', 'json=out/report.json', '--report', 'junit=out/junit.xml', '--report', 'markdown=out/report.md'], dir, env);
    expect(r.exitCode).toBe(1);
    const files = await readAll(dir);
    expect(files.map((f) => f.path.slice(dir.length + 1))).toEqual(
      expect.arrayContaining(['out/junit.xml', 'out/report.json', 'out/report.md', 'verification/secrets.json', 'verification/secrets-setup.json']),
    );
    expect(leaks([...files, { path: 'console', text: r.all }])).toEqual([]);
    // The secrets were there and were redacted, not dropped: the diff still shows their lines.
    const md = files.find((f) => f.path.endsWith('report.md'))!.text;
    expect(md).toContain('Authorization: Bearer [REDACTED]');
    expect(md).toContain('client-key-data: [REDACTED]');
    const record = JSON.parse(files.find((f) => f.path.endsWith('verification/secrets.json'))!.text);
    expect(record.blocks.find((b: { id: string }) => b.id === 'bind').bindings).toEqual({ 'tok-aaaaaaaaaaaa': '[REDACTED]' });
    const setup = JSON.parse(files.find((f) => f.path.endsWith('verification/secrets-setup.json'))!.text);
    expect(setup.blocks[0].status).toBe('blocked');
    // The setup's output is said once, in the lab's errors, not once per blocked block.
    expect(setup.blocks[0].reason).toMatch(/^lab setup failed: setup command .* exited 1$/);
    const json = JSON.parse(files.find((f) => f.path.endsWith('report.json'))!.text);
    expect(json.labs.find((l: { id: string }) => l.id === 'secrets-setup').errors.join('\n')).toContain('connecting with password=[REDACTED]');
    expect(r.all.split('\n').filter((l) => l.trim().startsWith('connecting with password=')).length).toBe(1);
  });

  it('--update refuses to write a secret into a page', async () => {
    const dir = await copyFixtures('secrets');
    const page = join(dir, 'secrets/01-leak.mdx');
    const before = await readFile(page, 'utf8');
    const r = await labs(['verify', 'secrets', '--update'], dir, env);
    expect(r.exitCode).toBe(1);
    expect(r.all).toMatch(/01-leak\.mdx:\d+: not rewritten: the new output holds a secret/);
    expect(await readFile(page, 'utf8')).toBe(before);
    expect(leaks([{ path: 'console', text: r.all }])).toEqual([]);
  });
});
