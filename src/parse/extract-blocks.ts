import type { Code, Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Block } from '../model/block.ts';
import type { SessionDef } from '../model/lab.ts';
import type { Problem } from '../model/location.ts';
import { parseCodeBlock } from './code-block.ts';
import { splitFrontmatter } from './frontmatter.ts';
import { makeProblem } from './problem.ts';

export { parseCodeBlock, promptOf, type CodeBlockContext, type CodeNode } from './code-block.ts';

/** What extractBlocks needs besides the source. */
export interface ExtractBlocksOptions {
  /** File as shown to users. */
  file: string;
  /** File name without extension, for derived ids (`<slug>-<n>`). */
  slug: string;
  /** `sessions` of lab.yaml. */
  sessions: Record<string, SessionDef>;
  /** Parse as MDX (JSX, expressions, ESM). @default true unless `file` ends in `.md` */
  mdx?: boolean;
}

/**
 * Finds the command and file blocks of a Markdown/MDX page, in source order, with the page's
 * title (frontmatter `title:`, else the first `#` heading, else the slug). Never throws: a
 * broken MDX page is reported at the parser's position and then read as plain Markdown, so its
 * blocks' own problems are reported in the same run.
 */
export function extractBlocks(source: string, ctx: ExtractBlocksOptions): { blocks: Block[]; title: string; problems: Problem[] } {
  const front = splitFrontmatter(source, ctx.file);
  const problems: Problem[] = [...front.problems];
  const tree = parseMarkdown(front.content, ctx, problems);
  const lines = front.content.split('\n');
  const blocks: Block[] = [];
  const opened = new Set<string>();
  let heading: string | undefined;

  visit(tree, (node) => {
    if (node.type === 'heading' && node.depth === 1 && heading === undefined) heading = textOf(node).trim();
    if (node.type !== 'code' || !node.position) return;
    const { start, end } = node.position;
    const fenceLine = lines[start.line - 1] ?? '';
    if (!/^[\s>]*(`{3,}|~{3,})/.test(fenceLine)) return; // an indented code block: plain code
    checkClosed(node, lines, ctx.file, problems);
    const result = parseCodeBlock(
      { lang: node.lang, meta: node.meta, value: node.value, line: start.line, endLine: end.line, column: start.column, fenceLine },
      { file: ctx.file, sessions: ctx.sessions, index: blocks.length + 1, slug: ctx.slug, opened },
    );
    problems.push(...result.problems);
    if (!result.block) return;
    blocks.push(result.block);
    if (result.block.kind === 'command' && result.block.options.opens) opened.add(result.block.options.opens);
  });

  const fmTitle = (front.data as { title?: unknown } | undefined)?.title;
  const title = typeof fmTitle === 'string' && fmTitle.trim() !== '' ? fmTitle.trim() : heading || ctx.slug;
  problems.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  return { blocks, title, problems };
}

/** Parses with remark(-mdx); an MDX syntax error becomes a problem and the page is re-read as Markdown. */
function parseMarkdown(content: string, ctx: ExtractBlocksOptions, problems: Problem[]): Root {
  const mdx = ctx.mdx ?? !ctx.file.endsWith('.md');
  if (mdx) {
    try {
      return unified().use(remarkParse).use(remarkMdx).parse(content);
    } catch (error) {
      problems.push(mdxProblem(error, ctx.file));
    }
  }
  try {
    return unified().use(remarkParse).parse(content);
  } catch (error) {
    problems.push(makeProblem('parse', { file: ctx.file, line: 1, column: 1 }, `cannot parse the page: ${String(error)}`));
    return { type: 'root', children: [] };
  }
}

/** Locates an MDX parser error: its own position, else the `(line:column-…)` its reason names. */
function mdxProblem(error: unknown, file: string): Problem {
  const e = (error ?? {}) as { line?: number; column?: number; reason?: string; message?: string };
  const reason = e.reason ?? e.message ?? String(error);
  let line = e.line;
  let column = e.column;
  if (line === undefined) {
    const m = /\((\d+):(\d+)(?:-\d+:\d+)?\)/.exec(reason);
    if (m) {
      line = Number(m[1]);
      column = Number(m[2]);
    }
  }
  return makeProblem(
    'parse',
    { file, line: line ?? 1, column: column ?? 1 },
    `MDX syntax error: ${reason}`,
    'close every JSX tag and {expression}; write a literal < or { as \\< or \\{ (or inside `code`)',
  );
}

/** An unclosed fence swallows the rest of the page; say so at the fence. */
function checkClosed(node: Code, lines: string[], file: string, problems: Problem[]): void {
  const { start, end } = node.position!;
  const last = lines[end.line - 1] ?? '';
  const fence = /^[\s>]*(`{3,}|~{3,})/.exec(lines[start.line - 1] ?? '')?.[1] ?? '```';
  const closes = end.line > start.line && new RegExp(`^[\\s>]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(last);
  if (!closes) {
    problems.push(makeProblem('parse', { file, line: start.line, column: start.column }, 'code fence is not closed', `add a closing ${fence} line after the block`));
  }
}

function textOf(node: unknown): string {
  const n = node as { value?: unknown; children?: unknown[] };
  if (typeof n.value === 'string') return n.value;
  return (n.children ?? []).map(textOf).join('');
}
