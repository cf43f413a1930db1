import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SLIDE_COMPONENTS } from '../../src/slides/prepare-slide.ts';
import { remarkSlides, type SlideSummary } from '../../src/slides/remark-slides.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'replay-deck-'));
  await mkdir(path.join(root, 'verification'));
  const block = (id: string, status: string) => ({
    id,
    status,
    at: '2026-11-22T06:31:03.814Z',
    commands: [
      { command: 'ip netns add x', ran: 'ip netns add x', exitCode: 0, output: '', durationMs: 4, timedOut: false, ok: true },
      { command: 'ip netns list', ran: 'ip netns list', exitCode: 0, output: 'x\n', durationMs: 1500, timedOut: false, ok: true },
    ],
  });
  await writeFile(path.join(root, 'verification', 'slides-demo.json'), JSON.stringify({ version: 1, blocks: [block('demo-1', 'pass'), block('demo-2', 'fail')] }));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The element remark-command-blocks leaves for a console block (its view, as MDX passes it). */
const terminal = (id: string, kind: string) =>
  `<LabsTerminalBlock view={${JSON.stringify({ kind: 'command', id, title: 'Terminal', status: { kind, label: kind, date: '22 Nov 2026' }, commands: [{ prompt: '# ', lines: [], output: [] }, { prompt: '# ', lines: [], output: [] }] })}} />`;

async function run(source: string): Promise<Root> {
  const file = new VFile({ path: path.join(root, 'slides', 'demo.mdx'), value: source });
  const plain = async (code: string) => code.split('\n').map((text) => [{ text }]);
  const processor = unified().use(remarkParse).use(remarkMdx).use(remarkSlides, { roots: [root], highlight: plain, componentsDir: '/c' });
  return (await processor.run(processor.parse(file), file)) as Root;
}
type Node = { type: string; name?: string; value?: string; attributes?: { name: string; value: unknown }[]; children?: Node[] };
const summaryOf = (tree: Root): SlideSummary[] => {
  const esm = (tree.children as unknown as Node[]).find((n) => n.type === 'mdxjsEsm' && n.value?.startsWith('export const slides'))!;
  return JSON.parse(esm.value!.replace(/^export const slides = /, '').replace(/;$/, ''));
};
function findAll(node: Node, name: string, out: Node[] = []): Node[] {
  if (node.name === name) out.push(node);
  for (const c of node.children ?? []) findAll(c, name, out);
  return out;
}

describe('<Replay> in a deck', () => {
  it('replays a verified block: one step per command, after the slide’s earlier steps', async () => {
    const tree = await run(`# Demo\n\n<Step>first</Step>\n\n<Replay>\n\n${terminal('demo-1', 'verified')}\n\n</Replay>\n`);
    expect(summaryOf(tree)[0]!.steps).toBe(3);
    const [replay] = findAll(tree as unknown as Node, SLIDE_COMPONENTS.replay);
    const view = JSON.parse((replay!.attributes![0]!.value as { value: string }).value);
    expect(view.base).toBe(2);
    expect(view.commands.map((c: { durationMs: number }) => c.durationMs)).toEqual([4, 1500]);
    expect(view.commands[1].output).toBe('x');
    expect(findAll(tree as unknown as Node, 'LabsTerminalBlock')).toHaveLength(0);
  });

  it('keeps a block that is not verified as it is, with no replay steps, and says why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const tree = await run(`# Demo\n\n<Replay>\n\n${terminal('demo-2', 'drifted')}\n\n</Replay>\n`);
    expect(summaryOf(tree)[0]!.steps).toBe(0);
    expect(findAll(tree as unknown as Node, SLIDE_COMPONENTS.replay)).toHaveLength(0);
    expect(findAll(tree as unknown as Node, 'LabsTerminalBlock')).toHaveLength(1);
    expect(warn.mock.calls.flat().join('\n')).toMatch(/slides\/demo\.mdx:3:1 not replayed: block demo-2 is "drifted", not verified/);
    warn.mockRestore();
  });

  it('fails the build when a <Replay> holds no terminal block', async () => {
    await expect(run(`# Demo\n\n<Replay>\n\nJust text.\n\n</Replay>\n`)).rejects.toThrow(/slides\/demo\.mdx:3:1.*<Replay> holds no/);
  });
});
