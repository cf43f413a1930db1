import fc from 'fast-check';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeBlockHash, hashBlock, hashSource } from '../../src/model/hash.ts';
import { extractBlocks } from '../../src/parse/extract-blocks.ts';
import { loadLab } from '../../src/parse/load-lab.ts';
import { bundlePageCache, PAGE_CACHE_MAX_CHARS, PAGE_CACHE_MAX_FILES, readCachedPage, writeCachedPage, type PageCache, type PageRead } from '../../src/parse/page-cache.ts';
import { checkStepFrontmatter } from '../../src/parse/step-frontmatter.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/parse/labs');
const root = join(import.meta.dirname, '../..');
const temps: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'labs-page-cache-'));
  temps.push(d);
  return d;
};
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of a fixture lab in a fresh folder, and a fresh cache. */
function setUp(lab = 'good-networking') {
  const dir = temp();
  cpSync(join(FIXTURES, lab), join(dir, lab), { recursive: true });
  const cache: PageCache = { dir: join(temp(), 'pages'), version: 'parser A' };
  return { dir, lab, cache, load: (c: PageCache | false = cache, cwd = dir) => loadLab(cwd === dir ? lab : '.', { cwd, pageCache: c }) };
}

const cacheFiles = (c: PageCache) => readdirSync(c.dir).filter((f) => f.endsWith('.page'));

/** What loadLab reads from a page, the long way. */
function readFresh(source: string, file: string, slug: string, sessions = {}): PageRead {
  const r = extractBlocks(source, { file, slug, sessions });
  return { blocks: r.blocks, title: r.title, problems: [...r.problems, ...checkStepFrontmatter(source, file)] };
}

/** The lab's first step as loadLab reads it without a cache, its text, sessions, and a page to plant in its place. */
async function firstPage(s: ReturnType<typeof setUp>) {
  const fresh = await s.load(false);
  const step = fresh.lab!.steps[0]!;
  const planted: PageRead = { blocks: [], title: 'PLANTED', problems: [] };
  return { fresh, step, source: readFileSync(step.absPath, 'utf8'), sessions: fresh.lab!.config.sessions ?? {}, planted };
}

describe('the bundled CLI’s page cache', () => {
  it('lives beside the bundle, named by its folder', () => {
    const main = '/p/node_modules/.cache/labs-cli/abc/def/main.cjs';
    expect(bundlePageCache(main)).toEqual({ dir: '/p/node_modules/.cache/labs-cli/abc/def/pages', version: '/p/node_modules/.cache/labs-cli/abc/def' });
  });

  it('does not exist from the sources (no version names the code that reads)', () => {
    expect(bundlePageCache(undefined)).toBeUndefined();
    expect(bundlePageCache(join(root, 'src/parse/page-cache.ts'))).toBeUndefined();
    expect(bundlePageCache('/p/dist/main.cjs')).toBeUndefined();
    // Under vitest, as from the sources, loadLab keeps nothing by default.
    expect(bundlePageCache()).toBeUndefined();
  });

  // A remembered hash must keep describing its block: the blocks of a page kept in the cache,
  // or taken back from it, are frozen. (A page read without the cache remembers no hash, and a
  // page too large to keep is not frozen: freezing a million expected lines costs a tenth of a
  // second.)
  it('gives blocks that cannot be changed when it keeps or takes back their page', async () => {
    const s = setUp();
    for (const { lab } of [await s.load(), await s.load()]) {
      const blocks = lab!.steps.flatMap((st) => st.blocks);
      const commands = blocks.flatMap((b) => (b.kind === 'command' ? b.commands : []));
      expect(blocks.length).toBeGreaterThan(0);
      expect(commands.some((c) => c.expected.length > 0)).toBe(true);
      for (const b of blocks) expect(Object.isFrozen(b) && (b.kind === 'file' || Object.isFrozen(b.options))).toBe(true);
      for (const c of commands) expect(Object.isFrozen(c) && Object.isFrozen(c.expected) && c.expected.every((l) => Object.isFrozen(l))).toBe(true);
    }
    expect(cacheFiles(s.cache).length).toBeGreaterThan(0);
  });
});

describe('loadLab with a page cache', () => {
  it('gives what reading every page gives, problems and their lines included, kept or not', async () => {
    for (const lab of ['good-networking', 'bad-blocks']) {
      const s = setUp(lab);
      const fresh = await s.load(false);
      const first = await s.load();
      expect(cacheFiles(s.cache).length).toBeGreaterThan(0);
      const second = await s.load();
      expect(first).toStrictEqual(fresh);
      expect(second).toStrictEqual(fresh);
      if (lab === 'bad-blocks') expect(fresh.problems.length).toBeGreaterThan(0);
    }
  });

  it('takes a kept page (a planted one shows it is read) only for the same text, name, sessions and version', async () => {
    const s = setUp();
    const { step, source, sessions, planted } = await firstPage(s);
    writeCachedPage(s.cache, hashSource(source), step.file, step.slug, sessions, planted);
    // Same inputs: the kept page is what loadLab takes.
    expect((await s.load()).lab!.steps[0]!.title).toBe('PLANTED');
    // Another version of the code that reads pages: never.
    expect((await s.load({ ...s.cache, version: 'parser B' })).lab!.steps[0]!.title).toBe(step.title);
    // The page shown under another name (another cwd): never, since problems name the file.
    expect((await s.load(s.cache, join(s.dir, s.lab))).lab!.steps[0]!.file).toBe('01-pods.mdx');
    expect((await s.load(s.cache, join(s.dir, s.lab))).lab!.steps[0]!.title).toBe(step.title);
    // Other sessions in lab.yaml: never (blocks are read with the sessions' prompts).
    const yaml = join(s.dir, s.lab, 'lab.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('prompt: "/ # "', 'prompt: "# "'));
    const otherSessions = await s.load();
    expect(otherSessions.lab!.config.sessions?.client?.prompt).toBe('# ');
    expect(otherSessions.lab!.steps[0]!.title).toBe(step.title);
    expect(otherSessions).toStrictEqual(await s.load(false));
  });

  it('reads a changed page again: one more character changes its blocks', async () => {
    const s = setUp();
    await s.load();
    const page = join(s.dir, s.lab, '01-pods.mdx');
    const before = (await s.load()).lab!.steps[0]!;
    const text = readFileSync(page, 'utf8');
    const at = text.indexOf('```console');
    writeFileSync(page, `${text.slice(0, at)}\`\`\`console id=renamed${text.slice(at + '```console'.length)}`);
    const after = await s.load();
    expect(after.lab!.steps[0]!.blocks[0]!.id).toBe('renamed');
    expect(after.lab!.steps[0]!.blocks[0]!.id).not.toBe(before.blocks[0]!.id);
    expect(after).toStrictEqual(await s.load(false));
  });

  it('never takes a kept file that was cut short, changed, emptied, replaced by another page’s, or is not one', async () => {
    const s = setUp();
    const { fresh, step, source, sessions, planted } = await firstPage(s);
    const plant = () => {
      rmSync(s.cache.dir, { recursive: true, force: true });
      writeCachedPage(s.cache, hashSource(source), step.file, step.slug, sessions, planted);
      const [file] = cacheFiles(s.cache);
      return join(s.cache.dir, file!);
    };
    const damage: Record<string, (b: Buffer) => Buffer> = {
      'cut short': (b) => b.subarray(0, b.length - 7),
      'one byte of the page changed': (b) => {
        const c = Buffer.from(b);
        c[c.length - 3] = c[c.length - 3]! ^ 0x01;
        return c;
      },
      'one byte of the digest changed': (b) => {
        const c = Buffer.from(b);
        c[0] = c[0]! ^ 0x80;
        return c;
      },
      emptied: () => Buffer.alloc(0),
      'not a kept page': () => Buffer.from('hello, this is not a page at all, but long enough to hold a digest'),
    };
    for (const [what, change] of Object.entries(damage)) {
      const file = plant();
      expect((await s.load()).lab!.steps[0]!.title, 'intact').toBe('PLANTED');
      writeFileSync(file, change(readFileSync(file)));
      const got = await s.load();
      expect(got.lab!.steps[0]!.title, what).toBe(step.title);
      expect(got, what).toStrictEqual(fresh);
    }
    // A whole, valid file of another page under this page's name.
    const file = plant();
    writeCachedPage(s.cache, hashSource(`${source}\n`), step.file, step.slug, sessions, planted);
    const other = cacheFiles(s.cache).map((f) => join(s.cache.dir, f)).find((f) => f !== file)!;
    writeFileSync(file, readFileSync(other));
    expect((await s.load()).lab!.steps[0]!.title).toBe(step.title);
  });

  it('keeps no page over the size limit, and stays bounded in files', async () => {
    const s = setUp();
    const page = join(s.dir, s.lab, '01-pods.mdx');
    writeFileSync(page, `${readFileSync(page, 'utf8')}\n${'x'.repeat(PAGE_CACHE_MAX_CHARS)}\n`);
    await s.load();
    const kept = cacheFiles(s.cache).length;
    writeFileSync(page, `${readFileSync(page, 'utf8')}more\n`);
    await s.load();
    // The other pages were the same: nothing more is kept for the long one.
    expect(cacheFiles(s.cache).length).toBe(kept);
    expect(await s.load()).toStrictEqual(await s.load(false));
    const planted: PageRead = { blocks: [], title: 'P', problems: [] };
    for (let k = 0; k < PAGE_CACHE_MAX_FILES + 5; k++) writeCachedPage(s.cache, `h${k}`, 'p.mdx', 'p', {}, planted);
    expect(cacheFiles(s.cache).length).toBeLessThanOrEqual(PAGE_CACHE_MAX_FILES);
    expect(readCachedPage(s.cache, `h${PAGE_CACHE_MAX_FILES + 4}`, 'p.mdx', 'p', {})?.title).toBe('P');
  });

  it('reads every page when the cache cannot be written', async () => {
    const s = setUp();
    writeFileSync(join(s.cache.dir, '..', 'pages'), 'a file where the folder should be');
    expect(await s.load()).toStrictEqual(await s.load(false));
  });
});

describe('a page kept and taken back is the page read', () => {
  const cache: PageCache = { dir: '', version: 'v' };
  const roundTrip = (source: string, file: string, sessions = {}) => {
    const fresh = readFresh(source, file, 'p', sessions);
    writeCachedPage(cache, hashSource(source), file, 'p', sessions, fresh);
    const kept = readCachedPage(cache, hashSource(source), file, 'p', sessions);
    expect(kept).toBeDefined();
    expect(kept).toStrictEqual(fresh);
    // The hash each block is given is the one worked out from it.
    for (const b of kept!.blocks) expect(hashBlock(b)).toBe(computeBlockHash(b));
    // A wrong value still shows: the comparison sees a changed expected line.
    const cmd = fresh.blocks.find((b) => b.kind === 'command');
    if (cmd?.kind === 'command' && cmd.commands[0]?.expected[0]) {
      const wrong = structuredClone(kept!);
      const w = wrong.blocks.find((b) => b.kind === 'command')!;
      if (w.kind === 'command') w.commands[0]!.expected[0]!.text += 'x';
      expect(wrong).not.toStrictEqual(fresh);
    }
    return fresh;
  };

  it('on the project’s own pages', () => {
    cache.dir = join(temp(), 'pages');
    const pagesIn = (dir: string) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.mdx?$/.test(f))
        .map((f) => join(dir, f));
    const real = [...pagesIn('content'), ...pagesIn('slides'), ...pagesIn('test/fixtures')];
    expect(real.length).toBeGreaterThan(20);
    const sessions = { node: { prompt: 'root@kind-control-plane:/# ' }, client: { prompt: '/ # ' } };
    let blocks = 0;
    let problems = 0;
    for (const file of real) {
      const r = roundTrip(readFileSync(join(root, file), 'utf8'), file, sessions);
      blocks += r.blocks.length;
      problems += r.problems.length;
    }
    expect(blocks).toBeGreaterThan(50);
    expect(problems).toBeGreaterThan(0);
  });

  it('on generated pages', () => {
    cache.dir = join(temp(), 'pages');
    const opener = fc.constantFrom('```console', '```console id=x output=contains', '```console wait=5s', '```console exit=any timeout=3s', '```yaml file=a.yaml', '```console session=nope', '```console bogus=1', '~~~console', '  ```console');
    const bodyLine = fc.constantFrom('$ echo hi', 'hi', '10.0.0.1 <pod-ip>', '...', '$ cat <<EOF', 'EOF', '', '$ ls \\', '  -l', 'a {b} <c>');
    const fence = fc.tuple(opener, fc.array(bodyLine, { maxLength: 5 })).map(([o, b]) => [o, ...b, o.startsWith('~') ? '~~~' : '```'].join('\n'));
    const stray = fc.constantFrom('', '# Title', '---\ntitle: T\ntitel: x\n---', 'Text <b>{x}</b>.', '{', '- item');
    const page = fc.array(fc.oneof({ weight: 3, arbitrary: fence }, { weight: 1, arbitrary: stray }), { maxLength: 10 }).map((p) => p.join('\n\n'));
    fc.assert(
      fc.property(page, fc.constantFrom('p.mdx', 'p.md'), (source, file) => {
        roundTrip(source, file);
      }),
      { numRuns: 300 },
    );
  });
});
