import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUIDE_FILE, GUIDE_SECTIONS, guideHref, headingAnchor, seeGuide } from '../../src/parse/guide.ts';
import { LabConfigSchema, OPT_IN_CLASSES } from '../../src/model/lab.ts';
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
    expect(problems[0]!.hint).toContain('(see "Terminal blocks" in content/docs/writing-a-lab.mdx, /docs/writing-a-lab/#terminal-blocks on the site)');
  });

  it('gives the site address of each section, with the anchor the site makes of its heading', () => {
    expect(headingAnchor('lab.yaml, key by key')).toBe('labyaml-key-by-key');
    expect(headingAnchor('Block options')).toBe('block-options');
    expect(guideHref('config')).toBe('docs/writing-a-lab/#labyaml-key-by-key');
    expect(seeGuide('options')).toBe('(see "Block options" in content/docs/writing-a-lab.mdx, /docs/writing-a-lab/#block-options on the site)');
  });

  it('lab.yaml problems point to the key-by-key reference', async () => {
    const { parseLabConfig } = await import('../../src/parse/lab-config.ts');
    const { problems } = parseLabConfig('title: x\ntarget: local\nsesions: {}\n', 'lab.yaml');
    expect(problems[0]!.hint).toContain(seeGuide('config'));
  });
});

/** Every key the lab.yaml schema accepts, as paths (`sessions.*.prompt`), and the enum values of `volatile`. */
function schemaKeys(schema: unknown, prefix: string[] = []): { keys: string[][]; values: string[] } {
  const keys: string[][] = [];
  const values: string[] = [];
  const walk = (node: unknown, at: string[]) => {
    const def = (node as { def?: Record<string, unknown> }).def;
    if (!def) return;
    switch (def.type) {
      case 'object':
        for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
          keys.push([...at, k]);
          walk(v, [...at, k]);
        }
        break;
      case 'optional':
      case 'nullable':
      case 'default':
        walk(def.innerType, at);
        break;
      case 'array':
        walk(def.element, at);
        break;
      case 'record':
        walk(def.valueType, [...at, '*']);
        break;
      case 'union':
        for (const o of def.options as unknown[]) walk(o, at);
        break;
      case 'enum':
        values.push(...Object.keys(def.entries as Record<string, unknown>));
        break;
    }
  };
  walk(schema, prefix);
  return { keys, values };
}

describe('the guide documents lab.yaml', () => {
  it('names every key of the schema in its key-by-key reference, so a new key without docs fails', async () => {
    const guide = await readFile(join(root, GUIDE_FILE), 'utf8');
    const start = guide.indexOf(`## ${GUIDE_SECTIONS.config}`);
    expect(start).toBeGreaterThan(0);
    const end = guide.indexOf('\n## ', start + 3);
    const reference = guide.slice(start, end < 0 ? undefined : end);
    const { keys, values } = schemaKeys(LabConfigSchema);
    // The walk itself must find the keys it is meant to guard (a zod upgrade could hide them).
    expect(keys.map((k) => k.join('.'))).toEqual(expect.arrayContaining(['title', 'sessions.*.prompt', 'sessions.*.continuation', 'kind.matrix.kubernetes', 'volatile.bind', 'shardSteps']));
    expect(values).toEqual(expect.arrayContaining([...OPT_IN_CLASSES]));
    const missing = [...keys.map((k) => k[k.length - 1]!), ...values].filter((name) => !reference.includes(`\`${name}\``) && !new RegExp(`^\\s*-?\\s*${name}:`, 'm').test(reference));
    expect(missing).toEqual([]);
    // Each top-level key has its own heading.
    const headings = [...reference.matchAll(/^### (.+)$/gm)].map((m) => m[1]!);
    for (const k of keys.filter((k) => k.length === 1)) expect(headings.some((h) => h.includes(`\`${k[0]}\``)), k[0]).toBe(true);
  });

  it('the complete local example in the reference is a valid lab.yaml', async () => {
    const guide = await readFile(join(root, GUIDE_FILE), 'utf8');
    const start = guide.indexOf(`## ${GUIDE_SECTIONS.config}`);
    const example = /```yaml\n([\s\S]*?)```/.exec(guide.slice(start))![1]!;
    const { parseLabConfig } = await import('../../src/parse/lab-config.ts');
    const { config, problems } = parseLabConfig(example, 'example.yaml');
    expect(problems).toEqual([]);
    expect(config?.target).toBe('local');
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
