import type { Code, ListItem, RootContent } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import type { Problem } from '../model/location.ts';
import { expressionProgram, valueToEstree } from '../site/estree.ts';
import type { HighlightCode } from '../site/highlight.ts';
import { COMPONENT_NAMES } from '../site/remark-command-blocks.ts';
import type { CodeToken, TranscriptView } from '../site/view-model.ts';
import { litRangesPerLine, parseLineSteps } from './line-ranges.ts';
import type { ReplayRefusal, ReplayView } from './replay.ts';

/** Names the deck's components get in the compiled module; unusual, so they never meet an author's import. */
export const SLIDE_COMPONENTS = {
  slide: 'SlidesSlide',
  step: 'SlidesStep',
  notes: 'SlidesNotes',
  col: 'SlidesCol',
  code: 'SlidesCode',
  replay: 'SlidesReplay',
} as const;

/** Builds the replay of a rendered console block starting at slide step `base` (see buildReplay). */
export type MakeReplay = (view: TranscriptView, base: number) => ReplayView | ReplayRefusal;

/** What the SlideCode component renders: highlighted lines and, per line, the highlight steps that light it. */
export interface SlideCodeView {
  lang: string;
  title?: string;
  lines: CodeToken[][];
  /** Per line, indexes into the block's highlight ranges that include it (empty arrays when there are none). */
  lit: number[][];
  /** Number of highlight ranges (0: no highlighting). */
  ranges: number;
  /** The slide step at which the first range shows. */
  base: number;
}

/** A slide after step numbering: its title and step count. */
export interface PreparedSlide {
  title: string;
  steps: number;
}

type Element = MdxJsxFlowElement | MdxJsxTextElement;
type Parent = { children: RootContent[] };

/**
 * Numbers the steps of one slide in reading order and rewrites the author's vocabulary into the
 * deck's components, in place:
 * - `<Step>` reveals its content at the next step (block or inline);
 * - `<Steps>` makes every item of the lists in it a step of its own (the wrapper goes away);
 * - a code fence (other than `console` and `file=` blocks, which the site's command blocks own)
 *   becomes highlighted slide code; a `{1|3-4|all}` meta adds one step per range after the first;
 * - `<Notes>` are speaker notes (nothing in them is numbered); `<Col>` is a column.
 * Returns the title (the first heading's text) and the step count.
 */
export async function prepareSlide(nodes: RootContent[], file: string, highlight: HighlightCode, problems: Problem[], makeReplay?: MakeReplay, warnings: Problem[] = []): Promise<PreparedSlide> {
  let steps = 0;
  let title = '';
  const visit = async (parent: Parent): Promise<void> => {
    for (let i = 0; i < parent.children.length; i++) {
      const node = parent.children[i]!;
      if (node.type === 'heading' && !title) title = textOf(node).trim();
      if (node.type === 'code') {
        if (node.lang === 'console' || /(?:^|\s)file=/.test(node.meta ?? '')) continue;
        const base = steps;
        const { view, problem } = await buildCodeView(node, base, highlight, file);
        if (problem) problems.push(problem);
        steps += Math.max(0, view.ranges - 1);
        parent.children[i] = element('mdxJsxFlowElement', SLIDE_COMPONENTS.code, [expressionAttribute('view', view)], []);
        continue;
      }
      if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') {
        if ('children' in node) await visit(node as Parent);
        continue;
      }
      if (node.name === 'Step') {
        steps += 1;
        renameElement(node, SLIDE_COMPONENTS.step, [stringAttribute('n', String(steps)), ...(node.type === 'mdxJsxTextElement' ? [stringAttribute('inline', 'true')] : [])]);
        await visit(node as Parent);
      } else if (node.name === 'Steps') {
        for (const item of listItemsIn(node as Parent)) {
          steps += 1;
          item.data = { ...item.data, hProperties: { ...(item.data?.hProperties ?? {}), className: ['step'], 'data-step': String(steps) } };
          await visit(item as unknown as Parent);
        }
        parent.children.splice(i, 1, ...(node.children as RootContent[]));
        i += node.children.length - 1;
      } else if (node.name === 'Replay') {
        const at = { file, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
        const view = terminalViewIn(node as Parent);
        if (!view) {
          problems.push({ stage: 'parse', location: at, message: '<Replay> holds no ```console block', hint: 'put the terminal block to replay inside <Replay>…</Replay>, with blank lines around it' });
          continue;
        }
        const replay = makeReplay?.(view, steps + 1) ?? { reason: 'replay is not available here' };
        if ('reason' in replay) {
          // Shown as the plain block with its own badge; the presenter learns why at build time.
          warnings.push({ stage: 'parse', location: at, message: `not replayed: ${replay.reason}`, hint: 'run `labs verify` on the deck to record a passing run' });
          parent.children.splice(i, 1, ...(node.children as RootContent[]));
          i += node.children.length - 1;
          continue;
        }
        steps += replay.commands.length;
        parent.children[i] = element('mdxJsxFlowElement', SLIDE_COMPONENTS.replay, [expressionAttribute('view', replay)], []);
      } else if (node.name === 'Notes') {
        renameElement(node, SLIDE_COMPONENTS.notes, []);
      } else if (node.name === 'Col') {
        renameElement(node, SLIDE_COMPONENTS.col, []);
        await visit(node as Parent);
      } else {
        await visit(node as Parent);
      }
    }
  };
  await visit({ children: nodes });
  return { title, steps };
}

async function buildCodeView(node: Code, base: number, highlight: HighlightCode, file: string): Promise<{ view: SlideCodeView; problem?: Problem }> {
  const parsed = parseLineSteps(node.meta);
  const title = /(?:^|\s)title=(?:"([^"]*)"|(\S+))/.exec(parsed.rest);
  const lines = await highlight(node.value, node.lang ?? 'text');
  const view: SlideCodeView = { lang: node.lang ?? 'text', lines, lit: litRangesPerLine(parsed.ranges, lines.length), ranges: parsed.ranges.length, base };
  if (title) view.title = title[1] ?? title[2]!;
  if (!parsed.error) return { view };
  const at = { file, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
  return { view, problem: { stage: 'parse', location: at, message: parsed.error } };
}

/** The view of the (first) rendered console block inside a `<Replay>`. */
function terminalViewIn(node: Parent): TranscriptView | undefined {
  for (const child of node.children) {
    if ((child.type === 'mdxJsxFlowElement' || child.type === 'mdxJsxTextElement') && child.name === COMPONENT_NAMES.terminal) {
      const attr = child.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'view');
      const value = attr?.value;
      if (value && typeof value === 'object' && 'value' in value) return JSON.parse(value.value) as TranscriptView;
    }
    if ('children' in child) {
      const inner = terminalViewIn(child as Parent);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** List items of the lists directly inside a `<Steps>` (or inside its paragraphs' wrappers). */
function listItemsIn(node: Parent): ListItem[] {
  return node.children.flatMap((c) => (c.type === 'list' ? c.children : []));
}

function renameElement(node: Element, name: string, extra: MdxJsxAttribute[]): void {
  node.name = name;
  node.attributes = [...node.attributes, ...extra];
}

/** A JSX element node. */
export function element(type: 'mdxJsxFlowElement', name: string, attributes: MdxJsxAttribute[], children: RootContent[]): MdxJsxFlowElement {
  return { type, name, attributes, children: children as MdxJsxFlowElement['children'] };
}

/** `name="value"`. */
export function stringAttribute(name: string, value: string): MdxJsxAttribute {
  return { type: 'mdxJsxAttribute', name, value };
}

/** `name={…json…}`, with the estree MDX needs. */
export function expressionAttribute(name: string, value: unknown): MdxJsxAttribute {
  return {
    type: 'mdxJsxAttribute',
    name,
    value: { type: 'mdxJsxAttributeValueExpression', value: JSON.stringify(value), data: { estree: expressionProgram(valueToEstree(value)) } },
  };
}

/** Plain text of a node (a heading's words without its markup; code and expressions count as nothing). */
export function textOf(node: RootContent): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  if ('children' in node) return (node.children as RootContent[]).map(textOf).join('');
  return '';
}
