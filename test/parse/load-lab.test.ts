import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLabs, loadLab, loadStepFile } from '../../src/parse/index.ts';

const LABS = path.join(import.meta.dirname, '../fixtures/parse/labs');
const where = (p: { location: { file: string; line: number; column: number } }) => `${p.location.file}:${p.location.line}:${p.location.column}`;

describe('loadLab on a valid lab', async () => {
  const { lab, problems } = await loadLab('good-networking', { cwd: LABS });

  it('has no problems and builds the lab', () => {
    expect(problems).toEqual([]);
    expect(lab?.id).toBe('good-networking');
    expect(lab?.dir).toBe(path.join(LABS, 'good-networking'));
    expect(lab?.configFile).toBe('good-networking/lab.yaml');
    expect(lab?.config.sessions?.client?.prompt).toBe('/ # ');
  });

  it('reads NN-*.mdx and .md step files in file-name order, skipping other files', () => {
    expect(lab?.steps.map((s) => s.file)).toEqual(['good-networking/01-pods.mdx', 'good-networking/02-services.mdx', 'good-networking/10-dns.md']);
    expect(lab?.steps[0]?.absPath).toBe(path.join(LABS, 'good-networking/01-pods.mdx'));
  });

  it('takes the title from frontmatter, else the first heading', () => {
    expect(lab?.steps.map((s) => s.title)).toEqual(['Pods get an address', 'Services', 'DNS <after ten>']);
  });

  it('derives ids from slug and position unless id= is given', () => {
    expect(lab?.steps[1]?.blocks.map((b) => `${b.kind}:${b.id}`)).toEqual(['file:02-services-1', 'command:apply-service', 'command:02-services-3', 'command:02-services-4']);
  });

  it('parses blocks with each session prompt, on the right source lines', () => {
    const [, , opener, client] = lab!.steps[0]!.blocks;
    expect(opener).toMatchObject({ kind: 'command', line: 26, options: { opens: 'client', session: 'host', output: 'contains' } });
    expect(client).toMatchObject({ kind: 'command', line: 31, endLine: 39, options: { session: 'client', output: 'exact', timeoutMs: 60_000, exit: 0, background: false } });
    if (client?.kind !== 'command') throw new Error('expected a command block');
    expect(client.commands).toHaveLength(1);
    expect(client.commands[0]).toMatchObject({ prompt: '/ # ', text: 'ip a', line: 32 });
    expect(client.commands[0]!.expected.at(-1)).toEqual({ text: '...', line: 37 });
  });

  it('keeps a file block with its path, session and content', () => {
    const file = lab!.steps[1]!.blocks[0]!;
    expect(file).toMatchObject({ kind: 'file', path: 'service.yaml', session: 'host', lang: 'yaml', line: 3, endLine: 14 });
    if (file.kind !== 'file') throw new Error('expected a file block');
    expect(file.content).toBe(readFileSync(path.join(LABS, 'good-networking/02-services.mdx'), 'utf8').split('\n').slice(3, 13).join('\n') + '\n');
  });
});

describe('loadLab reports every problem at once', () => {
  for (const name of ['bad-config', 'bad-blocks']) {
    it(name, async () => {
      const { lab, problems } = await loadLab(name, { cwd: LABS });
      const want = readFileSync(path.join(LABS, name, 'expected-problems.txt'), 'utf8').trimEnd().split('\n');
      expect(problems.map((p) => `${where(p)} ${p.message}`)).toEqual(want);
      for (const p of problems) expect(p.hint, `${where(p)} has a hint`).toBeTruthy();
      if (name === 'bad-config') expect(lab).toBeUndefined();
      else expect(lab?.steps).toHaveLength(2);
    });
  }

  it('gives did-you-mean hints for typos', async () => {
    const { problems } = await loadLab('bad-config', { cwd: LABS });
    expect(problems.find((p) => p.message.includes('"teardwn"'))?.hint).toContain('did you mean "teardown"?');
    expect(problems.find((p) => p.message.includes('"comand"'))?.hint).toContain('did you mean "command"?');
  });

  it('reports a missing lab.yaml at <dir>/lab.yaml:1:1', async () => {
    const { lab, problems } = await loadLab('missing-config', { cwd: LABS });
    expect(lab).toBeUndefined();
    expect(problems.map((p) => `${where(p)} ${p.message}`)).toEqual(['missing-config/lab.yaml:1:1 missing lab.yaml']);
    expect(problems[0]!.hint).toContain('title:');
  });

  it('reports a folder that does not exist', async () => {
    const { problems } = await loadLab('no-such-lab', { cwd: LABS });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.location).toEqual({ file: 'no-such-lab/lab.yaml', line: 1, column: 1 });
  });
});

describe('loadStepFile', () => {
  it('loads the lab of a step and only that step’s problems', async () => {
    const { lab, step, problems } = await loadStepFile('bad-blocks/02-more.mdx', { cwd: LABS });
    expect(lab?.id).toBe('bad-blocks');
    expect(step?.slug).toBe('02-more');
    expect(problems.length).toBeGreaterThan(0);
    expect(new Set(problems.map((p) => p.location.file))).toEqual(new Set(['bad-blocks/02-more.mdx']));
  });

  it('sees sessions opened in earlier steps', async () => {
    const { step, problems } = await loadStepFile('good-networking/02-services.mdx', { cwd: LABS });
    expect(problems).toEqual([]);
    expect(step?.blocks).toHaveLength(4);
  });

  it('reports a file that is not a step of its lab', async () => {
    const { step, problems } = await loadStepFile('good-networking/README.md', { cwd: LABS });
    expect(step).toBeUndefined();
    expect(problems.map((p) => p.message)).toEqual(['not a step of lab "good-networking"']);
  });

  it('reports a missing file', async () => {
    const { problems } = await loadStepFile('good-networking/99-none.mdx', { cwd: LABS });
    expect(problems.map((p) => where(p))).toEqual(['good-networking/99-none.mdx:1:1']);
  });
});

describe('findLabs', () => {
  it('lists folders holding lab.yaml, recursively, without entering a lab', async () => {
    const found = await findLabs(LABS);
    expect(found.map((d) => path.relative(LABS, d))).toEqual(['bad-blocks', 'bad-config', 'good-networking', path.join('nested', 'more', 'deep-lab')]);
  });

  it('returns the folder itself when it is a lab', async () => {
    expect(await findLabs(path.join(LABS, 'good-networking'))).toEqual([path.join(LABS, 'good-networking')]);
  });

  it('returns nothing for a folder without labs', async () => {
    expect(await findLabs(path.join(LABS, 'missing-config'))).toEqual([]);
  });
});
