import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUIDE_FILE, GUIDE_SECTIONS } from '../../src/parse/guide.ts';
import { parseTranscript } from '../../src/parse/transcript.ts';

const root = join(import.meta.dirname, '../..');

describe('error hints point into the guide', () => {
  it('every section a hint names is a heading of the guide', async () => {
    const guide = await readFile(join(root, GUIDE_FILE), 'utf8');
    const headings = new Set([...guide.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.trim()));
    for (const section of Object.values(GUIDE_SECTIONS)) expect(headings, section).toContain(section);
  });

  it('no hint in the sources points anywhere else', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(join(root, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'));
    for (const f of files) expect(await readFile(join(root, 'src', f), 'utf8'), f).not.toContain('docs/lab-format');
  });

  it('a typographic ellipsis on its own line is reported, with the way to write an elision', () => {
    const { problems } = parseTranscript('$ seq 5\n1\n…\n5', { prompts: ['$ '], firstLine: 10, file: 'p.mdx' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ location: { line: 12, column: 1 }, message: 'a line holding only "…" is not an elision' });
    expect(problems[0]!.hint).toContain('content/docs/writing-a-lab.mdx, "Terminal blocks"');
  });
});

describe('option names that are also Object.prototype keys', () => {
  it('are unknown options, not a crash', async () => {
    const { parseMetaOptions } = await import('../../src/parse/meta-options.ts');
    for (const key of ['toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
      const r = parseMetaOptions(key, { file: 'p.mdx', line: 3, column: 1 });
      expect(r.problems.map((p) => p.message)).toEqual([`unknown option "${key}"`]);
    }
    expect(parseMetaOptions('__proto__=1', { file: 'p.mdx', line: 3, column: 1 }).problems).toHaveLength(1);
  });
});
