import type { Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { locateContent } from '../../src/site/locate-content.ts';
import { SLIDE_COMPONENTS } from '../../src/slides/prepare-slide.ts';
import { deckFile, remarkSlides, type SlideSummary } from '../../src/slides/remark-slides.ts';

const ROOT = '/project';
const plain = async (code: string) => code.split('\n').map((text) => [{ text }]);

async function run(source: string, path = `${ROOT}/slides/demo.mdx`): Promise<Root> {
  const file = new VFile({ path, value: source });
  const processor = unified().use(remarkParse).use(remarkMdx).use(remarkSlides, { roots: [ROOT], highlight: plain, componentsDir: '/c' });
  return (await processor.run(processor.parse(file), file)) as Root;
}

type Node = { type: string; name?: string; value?: string; attributes?: { name: string; value: unknown }[]; children?: Node[]; data?: { hProperties?: Record<string, unknown> } };
const slidesOf = (tree: Root) => (tree.children as unknown as Node[]).filter((n) => n.name === SLIDE_COMPONENTS.slide);
const attr = (n: Node, name: string) => n.attributes?.find((a) => a.name === name)?.value;
const summaryOf = (tree: Root): SlideSummary[] => {
  const esm = (tree.children as unknown as Node[]).find((n) => n.type === 'mdxjsEsm' && n.value?.startsWith('export const slides'))!;
  return JSON.parse(esm.value!.replace(/^export const slides = /, '').replace(/;$/, ''));
};
function findAll(node: Node, test: (n: Node) => boolean, out: Node[] = []): Node[] {
  if (test(node)) out.push(node);
  for (const c of node.children ?? []) findAll(c, test, out);
  return out;
}

const DECK = `import X from './x.astro';

# First

Hello

---

<Slide layout="section" class="big">
# Part two
</Slide>

---

# Steps

<Steps>

- a
- b

</Steps>

Some <Step>inline</Step> text.

<Step>

\`\`\`yaml {1|2|all}
a: 1
b: 2
\`\`\`

</Step>

<Notes>
<Step>not a step</Step>
</Notes>

---
---
`;

describe('remarkSlides', () => {
  it('splits at --- and <Slide>, dropping empty stretches', async () => {
    const tree = await run(DECK);
    const slides = slidesOf(tree);
    expect(slides.map((s) => attr(s, 'title'))).toEqual(['First', 'Part two', 'Steps']);
    expect(slides.map((s) => attr(s, 'layout'))).toEqual(['default', 'section', 'default']);
    expect(attr(slides[1]!, 'class')).toBe('big');
    expect(slides.map((s) => attr(s, 'index'))).toEqual(['1', '2', '3']);
    expect(slides.every((s) => attr(s, 'total') === '3')).toBe(true);
  });

  it('keeps the author’s imports and injects the components and the slide list', async () => {
    const tree = await run(DECK);
    const esm = (tree.children as unknown as Node[]).filter((n) => n.type === 'mdxjsEsm').map((n) => n.value!);
    expect(esm).toContain(`import X from './x.astro';`);
    expect(esm.filter((v) => v.startsWith('import Slides'))).toHaveLength(Object.keys(SLIDE_COMPONENTS).length);
    expect(summaryOf(tree)).toEqual([
      { title: 'First', steps: 0, layout: 'default', line: 3 },
      { title: 'Part two', steps: 0, layout: 'section', line: 9 },
      { title: 'Steps', steps: 6, layout: 'default', line: 15 },
    ]);
  });

  it('numbers list items, inline and block steps and code ranges in reading order, not notes', async () => {
    const slide = slidesOf(await run(DECK))[2]!;
    const items = findAll(slide, (n) => n.type === 'listItem');
    expect(items.map((i) => i.data?.hProperties?.['data-step'])).toEqual(['1', '2']);
    const steps = findAll(slide, (n) => n.name === SLIDE_COMPONENTS.step);
    expect(steps.map((s) => [attr(s, 'n'), attr(s, 'inline')])).toEqual([['3', 'true'], ['4', undefined]]);
    const code = findAll(slide, (n) => n.name === SLIDE_COMPONENTS.code)[0]!;
    const view = JSON.parse((attr(code, 'view') as { value: string }).value);
    expect(view).toMatchObject({ lang: 'yaml', base: 4, ranges: 3, lit: [[0, 2], [1, 2]] });
    const notes = findAll(slide, (n) => n.name === SLIDE_COMPONENTS.notes)[0]!;
    expect(findAll(notes, (n) => n.name === 'Step')).toHaveLength(1);
  });

  it('leaves console and file= blocks to the command-block plugin', async () => {
    const tree = await run('# A\n\n```console\n$ ls\n```\n\n```yaml file=a.yaml\na: 1\n```\n');
    const codes = findAll({ type: 'root', children: tree.children as unknown as Node[] }, (n) => n.type === 'code');
    expect(codes).toHaveLength(2);
  });

  it('fails with every problem at its place', async () => {
    const bad = '<Slide layout="sektion">\n# A\n</Slide>\n\n---\n\n<Slide colour="red">\n# B\n</Slide>\n\n---\n\n```yaml {2-x}\na: 1\n```\n';
    await expect(run(bad)).rejects.toThrow(/slides\/demo\.mdx:1:1 unknown slide layout "sektion" — did you mean "section"\?[\s\S]*slides\/demo\.mdx:7:1 unknown <Slide> attribute "colour"[\s\S]*slides\/demo\.mdx:13:1 "2-x" is not a line range/);
    await expect(run('')).rejects.toThrow(/has no slides/);
  });

  it('only touches decks', async () => {
    const tree = await run('# A\n\n---\n\n# B\n', `${ROOT}/content/docs/page.mdx`);
    expect(slidesOf(tree)).toHaveLength(0);
    expect(deckFile(`${ROOT}/slides/talk.mdx`, [ROOT])).toBe('slides/talk.mdx');
    expect(deckFile(`${ROOT}/slides/old/talk.mdx`, [ROOT])).toBeUndefined();
  });
});

describe('command blocks in decks (the site hook)', () => {
  it('locates a deck so its blocks are rendered, with the record slides-<deck>', () => {
    expect(locateContent(`${ROOT}/slides/talk.mdx`, [ROOT])).toEqual({ root: ROOT, file: 'slides/talk.mdx', section: 'slides', slug: 'talk' });
  });
});
