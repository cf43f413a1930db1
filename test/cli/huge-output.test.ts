import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, labs } from './helpers.ts';

describe('a command that prints 10 MB', () => {
  it('is compared, recorded and reported in capped form, with a marker that says how much was left out', async () => {
    const dir = await copyFixtures('huge');
    const r = await labs(['verify', 'huge', '--report', 'json=report.json', '--report', 'markdown=report.md'], dir);
    expect(r.exitCode).toBe(1);
    const record = JSON.parse(await readFile(join(dir, 'verification/huge.json'), 'utf8'));
    expect(record.blocks.map((b: { status: string }) => b.status)).toEqual(['pass', 'pass', 'fail']);
    // The elided block still checks the real first and last lines (the cut keeps both ends).
    for (const b of record.blocks) {
      expect(b.commands[0].output).toMatch(/^1 padding to ten megabytes\n/);
      expect(b.commands[0].output).toMatch(/\n500000 padding to ten megabytes$/);
      expect(b.commands[0].output).toMatch(/\n\[… [\d,]+ bytes \([\d,]+ lines\) of output left out; the first and last 32 KiB are kept …\]\n/);
    }
    expect((await stat(join(dir, 'verification/huge.json'))).size).toBeLessThan(512 * 1024);
    expect((await stat(join(dir, 'report.json'))).size).toBeLessThan(512 * 1024);
    expect((await stat(join(dir, 'report.md'))).size).toBeLessThan(1024 * 1024);
    expect(r.all.length).toBeLessThan(512 * 1024);
  });
});
