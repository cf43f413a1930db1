import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compile } from '@mdx-js/mdx';
import type { Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { COMPONENT_NAMES, remarkCommandBlocks, type RemarkCommandBlocksOptions } from '../../src/site/remark-command-blocks.ts';
import { markAuthorMarkersOnly } from '../../src/site/mark-volatile.ts';
import type { FileView, TranscriptView } from '../../src/site/view-model.ts';

const ROOT = path.resolve(import.meta.dirname, '../fixtures/site/project');
const STEP1 = path.join(ROOT, 'content/labs/netns-basics/01-namespaces.mdx');
const STEP2 = path.join(ROOT, 'content/labs/netns-basics/02-services.mdx');
const components = { terminal: '/components/T.astro', file: '/components/F.astro' };
const fast: RemarkCommandBlocksOptions = {
  roots: [ROOT],
  components,
  highlight: async (code) => code.split('\n').map((text) => [{ text }]),
  createMarker: () => markAuthorMarkersOnly,
  onProblems: (p) => {
    if (p.length) throw new Error(JSON.stringify(p));
  },
};

async function transform(filePath: string, options: RemarkCommandBlocksOptions = fast, value?: string): Promise<Root> {
  const file = new VFile({ path: filePath, value: value ?? (await readFile(filePath, 'utf8')) });
  const processor = unified().use(remarkParse).use(remarkMdx).use(remarkCommandBlocks, options);
  return (await processor.run(processor.parse(file), file)) as Root;
}

type Jsx = { type: string; name?: string; lang?: string; attributes?: { name: string; value: { value: string } }[] };
const flat = (tree: Root) => tree.children as unknown as Jsx[];
const viewOf = <T,>(n: Jsx) => JSON.parse(n.attributes![0]!.value.value) as T;

describe('remarkCommandBlocks', () => {
  it('replaces console and file= fences with components and leaves other fences alone', async () => {
    const tree = await transform(STEP1);
    const nodes = flat(tree);
    const jsx = nodes.filter((n) => n.type === 'mdxJsxFlowElement');
    expect(jsx.map((n) => n.name)).toEqual([...Array(4).fill(COMPONENT_NAMES.terminal), COMPONENT_NAMES.file, COMPONENT_NAMES.terminal]);
    expect(nodes.filter((n) => n.type === 'code')).toHaveLength(0);

    const tree2 = await transform(STEP2);
    expect(flat(tree2).filter((n) => n.type === 'code').map((n) => n.lang)).toEqual(['yaml']);
  });

  it('injects one import per component used, first in the tree', async () => {
    const nodes = flat(await transform(STEP1));
    expect(nodes.slice(0, 2).map((n) => n.type)).toEqual(['mdxjsEsm', 'mdxjsEsm']);
    expect((nodes[0] as unknown as { value: string }).value).toBe(`import ${COMPONENT_NAMES.terminal} from "/components/T.astro";`);
    expect((nodes[1] as unknown as { value: string }).value).toBe(`import ${COMPONENT_NAMES.file} from "/components/F.astro";`);
    const step2 = flat(await transform(STEP2));
    expect(step2.filter((n) => n.type === 'mdxjsEsm')).toHaveLength(1);
  });

  it('passes the status from the lab record: verified, flaky, drifted, stale, missing, skipped', async () => {
    const views = [...flat(await transform(STEP1)), ...flat(await transform(STEP2))]
      .filter((n) => n.type === 'mdxJsxFlowElement')
      .map((n) => viewOf<TranscriptView | FileView>(n));
    const byId = Object.fromEntries(views.map((v) => [v.id, v.status]));
    expect(byId['make-veth']).toMatchObject({ kind: 'verified', date: '12 May 2026', environment: 'local · kernel 6.12.0 · bash 5.2.37 · iproute2 6.15.0' });
    expect(byId['01-namespaces-3']).toMatchObject({ kind: 'skipped', reason: 'needs an interactive shell inside the namespace' });
    expect(byId['01-namespaces-4']).toMatchObject({ kind: 'flaky' });
    expect(byId['01-namespaces-5']).toMatchObject({ kind: 'verified' });
    expect(byId['01-namespaces-6']).toMatchObject({ kind: 'unverified', reason: expect.stringContaining('changed since') });
    expect(byId['02-services-3']).toMatchObject({ kind: 'drifted' });
    expect(byId['02-services-3']!.diff![0]!.lines.map((l) => l.op)).toEqual(['-', '+']);
    expect(byId['02-services-4']).toEqual({ kind: 'unverified', label: 'Not yet verified' });
  });

  it('gives the view the exact copy text', async () => {
    const nodes = flat(await transform(STEP1)).filter((n) => n.name === COMPONENT_NAMES.terminal);
    const heredoc = viewOf<TranscriptView>(nodes.at(-1)!);
    expect(heredoc.copyText).toBe("cat > hello.txt <<'EOF'\nhello from the host\nEOF\ncat hello.txt");
  });

  it('leaves files outside the content roots and plain .md files alone', async () => {
    const outside = await transform('/somewhere/else/content/labs/x/01-a.mdx', fast, '```console\n$ ls\n```\n');
    expect(flat(outside).map((n) => n.type)).toEqual(['code']);
    const md = await transform(path.join(ROOT, 'content/concepts/plain.md'), fast, '```console\n$ ls\n```\n');
    expect(flat(md).map((n) => n.type)).toEqual(['code']);
  });

  it('renders concept pages with the host prompt and no record', async () => {
    const tree = await transform(path.join(ROOT, 'content/concepts/namespaces.mdx'));
    const [view] = flat(tree).filter((n) => n.type === 'mdxJsxFlowElement').map((n) => viewOf<TranscriptView>(n));
    expect(view).toMatchObject({ copyText: 'ip netns list', status: { kind: 'unverified' } });
  });

  it('finds blocks nested in lists and JSX', async () => {
    const src = '- step one:\n\n  ```console\n  $ ls\n  ```\n\n<div>\n\n```console\n$ pwd\n```\n\n</div>\n';
    const tree = await transform(path.join(ROOT, 'content/concepts/nested.mdx'), fast, src);
    const names: string[] = [];
    visit(tree, 'mdxJsxFlowElement', (n) => void names.push(n.name ?? ''));
    expect(names.filter((n) => n === COMPONENT_NAMES.terminal)).toHaveLength(2);
    expect(names).toContain('div');
  });

  it('reports content problems instead of throwing', async () => {
    const seen: string[] = [];
    await transform(path.join(ROOT, 'content/concepts/bad.mdx'), { ...fast, onProblems: (p) => seen.push(...p.map((x) => x.message)) }, '```console tiemout=5s\n$ ls\n```\n');
    expect(seen.join()).toContain('unknown option "tiemout"');
  });

  it('produces a tree MDX compiles, with the view as a real object prop', async () => {
    const source = await readFile(STEP1, 'utf8');
    const out = String(
      await compile(new VFile({ path: STEP1, value: source.replace(/^---[\s\S]*?---\n/, '') }), {
        remarkPlugins: [[remarkCommandBlocks, fast]],
        jsx: true,
      }),
    );
    expect(out).toContain(`import ${COMPONENT_NAMES.terminal} from "/components/T.astro"`);
    expect(out).toMatch(new RegExp(`<${COMPONENT_NAMES.terminal} view=\\{\\{`));
    expect(out).toContain('"copyText": "sudo ip netns add red\\nsudo ip netns exec red ip -brief link"');
  });
});
