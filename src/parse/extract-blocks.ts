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
  /** Fenced blocks with more body lines than this are parsed hollow (`Infinity`: never). @default 2000 */
  hollowLines?: number;
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
  const lines = front.content.split('\n');
  const tree = parseHollow(front.content, lines, ctx, problems);
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

/** Fenced blocks with more body lines than this are parsed hollow (see `parseHollow`). */
const HOLLOW_LINES = 2000;

/**
 * Parses the page with the bodies of very long fenced blocks left out, then puts the bodies
 * back from the source and moves every position after them to its source line: a transcript of
 * millions of lines costs the Markdown tokenizer seconds and gigabytes, and its body is read line
 * by line anyway. A long fence is found with CommonMark's rules for a fence at the top level; the
 * result is used only if the parse found a code block at the top of the page exactly at each such
 * fence, otherwise the page is parsed whole (a fence inside a list or a quote, say), so the result
 * is always what a full parse gives.
 */
function parseHollow(content: string, lines: readonly string[], ctx: ExtractBlocksOptions, problems: Problem[]): Root {
  lastHollow = 0;
  const spans = longFences(lines, ctx.hollowLines ?? HOLLOW_LINES);
  if (spans.length === 0) return parseMarkdown(content, ctx, problems);
  // The page without the long bodies; `opens[k]` is span k's opening fence line in it (0-based).
  const kept: string[] = [];
  const opens: number[] = [];
  let from = 0;
  for (const f of spans) {
    for (let k = from; k <= f.open; k++) kept.push(lines[k]!);
    opens.push(kept.length - 1);
    from = f.close;
  }
  for (let k = from; k < lines.length; k++) kept.push(lines[k]!);
  // A 1-based line of the shortened page → its line in the source.
  const toSource = (line: number): number => {
    let shift = 0;
    for (let k = 0; k < spans.length && line - 1 > opens[k]!; k++) shift += spans[k]!.close - spans[k]!.open - 1;
    return line + shift;
  };
  const local: Problem[] = [];
  const tree = parseMarkdown(kept.join('\n'), ctx, local);
  // Only blocks at the top of the page: inside a list or a quote a container strips its own indentation.
  const found = new Map<number, Code>();
  for (const node of tree.children) if (node.type === 'code' && node.position) found.set(node.position.start.line - 1, node);
  const fits = spans.every((f, k) => found.get(opens[k]!)?.position?.end.line === opens[k]! + 2);
  if (!fits) return parseMarkdown(content, ctx, problems);
  visit(tree, (node) => {
    const p = node.position;
    if (!p) return;
    p.start = { line: toSource(p.start.line), column: p.start.column };
    p.end = { line: toSource(p.end.line), column: p.end.column };
  });
  for (const p of local) problems.push({ ...p, location: { ...p.location, line: toSource(p.location.line) } });
  spans.forEach((f, k) => {
    // The body's last line ending (`\r` of a CRLF page) belongs to the closing fence, as in a full parse.
    found.get(opens[k]!)!.value = lines.slice(f.open + 1, f.close).map((l) => stripIndent(l, f.indent)).join('\n').replace(/\r$/, '');
  });
  lastHollow = spans.length;
  return tree;
}

let lastHollow = 0;

/** How many blocks the last `extractBlocks` parsed hollow (for tests). */
export function hollowBlocksOfLastParse(): number {
  return lastHollow;
}

/** Top-level fenced blocks (0-based open and close lines) whose bodies are longer than `HOLLOW_LINES`. */
function longFences(lines: readonly string[], longer: number): { open: number; close: number; indent: number }[] {
  const out: { open: number; close: number; indent: number }[] = [];
  for (let k = 0; k < lines.length; k++) {
    const m = /^( {0,3})(`{3,}|~{3,})([^\r]*)\r?$/.exec(lines[k]!);
    if (!m || (m[2]![0] === '`' && m[3]!.includes('`'))) continue;
    const closing = new RegExp(`^ {0,3}${m[2]![0] === '`' ? '`' : '~'}{${m[2]!.length},}[ \t]*\r?$`);
    let c = k + 1;
    while (c < lines.length && !closing.test(lines[c]!)) c++;
    if (c >= lines.length) break;
    if (c - k - 1 > longer) out.push({ open: k, close: c, indent: m[1]!.length });
    k = c;
  }
  return out;
}

/** A fenced block's body line without the fence's indentation (CommonMark removes up to that many spaces). */
function stripIndent(line: string, indent: number): string {
  let n = 0;
  while (n < indent && line[n] === ' ') n++;
  return line.slice(n);
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
