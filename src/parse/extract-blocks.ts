import type { Code, Root, RootContent } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { remarkMdxSyntax } from './mdx-syntax.ts';
import type { Block } from '../model/block.ts';
import type { SessionDef } from '../model/lab.ts';
import type { Problem } from '../model/location.ts';
import { parseCodeBlock } from './code-block.ts';
import { splitFrontmatter } from './frontmatter.ts';
import { PageLines } from './page-lines.ts';
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
  /**
   * Fenced blocks with at least this many body lines are parsed hollow (`Infinity`: never; see
   * `parseHollow`). @default 0 (every fenced block)
   */
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
  const lines = new PageLines(front.content);
  const tree = parseHollow(lines, ctx, problems);
  const blocks: Block[] = [];
  const opened = new Set<string>();
  let heading: string | undefined;

  eachNode(tree, (node) => {
    if (node.type === 'heading' && node.depth === 1 && heading === undefined) heading = textOf(node).trim();
    if (node.type !== 'code' || !node.position) return;
    const { start, end } = node.position;
    const fenceLine = lines.at(start.line - 1) ?? '';
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

/** Fenced blocks with at least this many body lines are parsed hollow (see `parseHollow`). */
const HOLLOW_LINES = 0;

/** A top-level fenced block found line by line: 0-based lines of its fences, and the opening fence's indentation. */
interface FenceSpan {
  open: number;
  close: number;
  indent: number;
}

/**
 * Parses the page with its fenced blocks shortened, then puts them back from the source and moves
 * every position after them to its source line: the Markdown tokenizer is the costliest part of
 * reading a page, and a transcript's body is read line by line anyway. A fenced block is parsed
 * without its body; a block that follows another with only blank lines between is not parsed at
 * all: it is built from a parse of its two fence lines alone (one per distinct pair of lines).
 *
 * The result is what a full parse gives, or the page is parsed whole:
 * - fences are found with CommonMark's rules for a fence at the top of the page, and a line that
 *   could close a fence under either the Markdown or the MDX rules (MDX lets a closing fence be
 *   indented any amount) but is not a plain closing fence makes the whole page go the long way;
 *   so do NUL characters and lone carriage returns (the tokenizer reads those differently);
 * - a body is literal text in a fenced block, so leaving it out changes nothing before the block
 *   and, after its closing fence, the parser is at the top of the page either way (so blank
 *   lines and further fenced blocks parse as they would at the start of a page);
 * - the first block of each group must come out of the shortened page as a code block at the top
 *   of the page that ends on its closing fence (not so inside a list, a quote, a JSX tag or an
 *   expression that starts before it); groups that do not are kept whole and the page is parsed
 *   again, once;
 * - a shortened page with any MDX problem is parsed whole, so problems come from the full parse.
 */
function parseHollow(lines: PageLines, ctx: ExtractBlocksOptions, problems: Problem[]): Root {
  lastHollow = 0;
  const content = lines.text;
  let spans = fenceSpans(lines, ctx.hollowLines ?? HOLLOW_LINES);
  for (let tries = 0; spans.length > 0 && tries < 2; tries++) {
    const attempt = parseWithout(lines, groupSpans(lines, spans), ctx);
    if (attempt.tree) {
      lastHollow = spans.length;
      return attempt.tree;
    }
    if (attempt.problems) break;
    spans = attempt.fitting;
  }
  return parseMarkdown(content, ctx, problems);
}

/** Spans in groups: each span after the first of a group follows the one before with only blank lines between. */
function groupSpans(lines: PageLines, spans: readonly FenceSpan[]): FenceSpan[][] {
  const groups: FenceSpan[][] = [];
  for (const f of spans) {
    const last = groups.at(-1)?.at(-1);
    let blank = last !== undefined;
    for (let k = (last?.close ?? 0) + 1; blank && k < f.open; k++) blank = /^[ \t]*\r?$/.test(lines.at(k)!);
    if (blank) groups.at(-1)!.push(f);
    else groups.push([f]);
  }
  return groups;
}

/**
 * One parse of the page shortened: of each group, the first block's fence lines stay and the
 * rest of the group goes. Gives the tree, or the problems of the shortened page, or the spans
 * of the groups that did come out as top-level code blocks (to try again with).
 */
function parseWithout(lines: PageLines, groups: readonly FenceSpan[][], ctx: ExtractBlocksOptions): { tree?: Root; problems?: Problem[]; fitting: FenceSpan[] } {
  // The page without the bodies; `opens[g]` is group g's opening fence line in it (0-based).
  // From `segments[i].from` (a 0-based line of the shortened page) on, lines are
  // `segments[i].shift` lines further down in the source.
  const kept: string[] = [];
  const opens: number[] = [];
  const segments: { from: number; shift: number }[] = [];
  let from = 0;
  let removed = 0;
  for (const group of groups) {
    const first = group[0]!;
    const last = group.at(-1)!;
    for (let k = from; k <= first.open; k++) kept.push(lines.at(k)!);
    opens.push(kept.length - 1);
    kept.push(lines.at(first.close)!);
    segments.push({ from: kept.length - 1, shift: removed + first.close - first.open - 1 });
    removed += last.close - first.open - 1;
    segments.push({ from: kept.length, shift: removed });
    from = last.close + 1;
  }
  for (let k = from; k < lines.length; k++) kept.push(lines.at(k)!);
  // A 1-based line of the shortened page → its line in the source (binary search over the segments).
  const toSource = (line: number): number => {
    let lo = 0;
    let hi = segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (segments[mid]!.from <= line - 1) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? line : line + segments[lo - 1]!.shift;
  };
  const problems: Problem[] = [];
  const tree = parseMarkdown(kept.join('\n'), ctx, problems);
  if (problems.length > 0) return { problems, fitting: [] };
  // Only blocks at the top of the page: inside a list or a quote a container strips its own indentation.
  const found = new Map<number, number>();
  tree.children.forEach((node, i) => {
    if (node.type === 'code' && node.position) found.set(node.position.start.line - 1, i);
  });
  const at = groups.map((_, g) => found.get(opens[g]!));
  const fits = groups.map((_, g) => at[g] !== undefined && tree.children[at[g]!]!.position?.end.line === opens[g]! + 2);
  // The other blocks of each group, from a parse of their fence lines alone.
  const built = groups.map((group, g) => (fits[g] ? group.slice(1).map((f) => buildCode(lines, f, ctx)) : []));
  const fail = built.findIndex((b) => b.some((n) => n === undefined));
  if (fail >= 0) fits[fail] = false;
  if (fits.some((x) => !x)) return { fitting: groups.filter((_, g) => fits[g]).flat() };
  eachNode(tree, (node) => {
    const p = node.position;
    if (!p) return;
    p.start = { line: toSource(p.start.line), column: p.start.column };
    p.end = { line: toSource(p.end.line), column: p.end.column };
  });
  const children: Root['children'] = [];
  let next = 0;
  groups.forEach((group, g) => {
    const i = at[g]!;
    while (next <= i) children.push(tree.children[next++]!);
    (tree.children[i] as Code).value = bodyOf(lines, group[0]!);
    children.push(...(built[g] as Code[]));
  });
  while (next < tree.children.length) children.push(tree.children[next++]!);
  tree.children = children;
  return { tree, fitting: [] };
}

/** A fenced block's text as a full parse gives it: its body lines without the fence's indentation. */
function bodyOf(lines: PageLines, f: FenceSpan): string {
  // Without indentation the body is a piece of the page as it stands: cut it out instead of
  // joining its lines again (a body of a million lines would be copied line by line).
  const body =
    f.indent === 0
      ? lines.text.slice(lines.start(f.open + 1), lines.start(f.close) - 1)
      : lines
          .slice(f.open + 1, f.close)
          .map((l) => stripIndent(l, f.indent))
          .join('\n');
  // The body's last line ending (`\r` of a CRLF page) belongs to the closing fence, as in a full parse.
  return body.charCodeAt(body.length - 1) === 13 ? body.slice(0, -1) : body;
}

/** Parses of a pair of fence lines alone: language, meta and columns, by page kind and the two lines. */
const fencePairs = new Map<string, { lang: Code['lang']; meta: Code['meta']; startColumn: number; endColumn: number } | null>();

/**
 * The code block of a fenced block that follows another at the top of the page: built from the
 * parse of its two fence lines alone (the parser is in the same state at the top of a page), its
 * body from the source. `undefined` when that parse is not exactly one such block.
 */
function buildCode(lines: PageLines, f: FenceSpan, ctx: ExtractBlocksOptions): Code | undefined {
  const mdx = ctx.mdx ?? !ctx.file.endsWith('.md');
  const pair = `${lines.at(f.open)!}\n${lines.at(f.close)!}`;
  const key = `${mdx ? 'mdx' : 'md'}\n${pair}`;
  let parsed = fencePairs.get(key);
  if (parsed === undefined) {
    const problems: Problem[] = [];
    const tree = parseMarkdown(pair, ctx, problems);
    const node = tree.children[0];
    parsed =
      problems.length === 0 && tree.children.length === 1 && node?.type === 'code' && node.position?.start.line === 1 && node.position.end.line === 2
        ? { lang: node.lang, meta: node.meta, startColumn: node.position.start.column, endColumn: node.position.end.column }
        : null;
    if (fencePairs.size > 1000) fencePairs.clear();
    fencePairs.set(key, parsed);
  }
  if (parsed === null) return undefined;
  return {
    type: 'code',
    lang: parsed.lang,
    meta: parsed.meta,
    value: bodyOf(lines, f),
    position: { start: { line: f.open + 1, column: parsed.startColumn }, end: { line: f.close + 1, column: parsed.endColumn } },
  };
}

let lastHollow = 0;

/** How many blocks the last `extractBlocks` parsed hollow (for tests). */
export function hollowBlocksOfLastParse(): number {
  return lastHollow;
}

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})([^\r]*)\r?$/;

/**
 * Top-level fenced blocks (0-based open and close lines) whose bodies have `longer` or more
 * lines; none when anything about the page is unusual enough that the shortcut might not give
 * what a full parse gives (see `parseHollow`).
 */
function fenceSpans(lines: PageLines, longer: number): FenceSpan[] {
  const content = lines.text;
  if (content.includes('\0') || /\r(?!\n)/.test(content)) return [];
  const out: FenceSpan[] = [];
  // The next ``` and ~~~ in the page: a line without either is skipped without being read.
  let tick = content.indexOf('```');
  let tilde = content.indexOf('~~~');
  for (let k = 0; k < lines.length; k++) {
    const from = lines.start(k);
    const to = lines.end(k);
    if (tick >= 0 && tick < from) tick = content.indexOf('```', from);
    if (tilde >= 0 && tilde < from) tilde = content.indexOf('~~~', from);
    if (!(tick >= 0 && tick < to) && !(tilde >= 0 && tilde < to)) continue;
    const line = lines.at(k)!;
    const m = OPENING_FENCE.exec(line);
    if (!m || (m[2]![0] === '`' && m[3]!.includes('`'))) continue;
    const mark = m[2]!.charCodeAt(0);
    const size = m[2]!.length;
    const indent = m[1]!.length;
    // The first line that closes the block under the Markdown or the MDX rules.
    let c = k + 1;
    while (c < lines.length && !closesFence(content, lines.start(c), lines.end(c), mark, size)) c++;
    if (c >= lines.length) break; // unclosed: it runs to the end of the page, which a full parse reports
    if (!/^ {0,3}[`~]/.test(lines.at(c)!)) return []; // closes it only in MDX (indented 4+ or with a tab)
    if (indent > 0) for (let b = k + 1; b < c; b++) if (/^ *\t/.test(lines.at(b)!.slice(0, indent))) return []; // a tab in the indentation: columns, not characters
    if (c - k - 1 >= longer) out.push({ open: k, close: c, indent });
    k = c;
  }
  return out;
}

/**
 * Whether the line at `text[from, to)` is a closing fence of `size` or more of the character
 * `mark`, indented any amount (MDX's rule; Markdown allows 3 spaces).
 */
function closesFence(text: string, from: number, to: number, mark: number, size: number): boolean {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  let n = 0;
  while (i < to && text.charCodeAt(i) === mark) {
    i++;
    n++;
  }
  if (n < size) return false;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i === to || (text.charCodeAt(i) === 13 && i === to - 1);
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
      return unified().use(remarkParse).use(remarkMdxSyntax).parse(content);
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

/** A line that closes a fence opened with `fence`, one expression per distinct fence (a page has a few). */
const closingFences = new Map<string, RegExp>();
function closingFence(fence: string): RegExp {
  let re = closingFences.get(fence);
  if (re === undefined) closingFences.set(fence, (re = new RegExp(`^[\\s>]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`)));
  return re;
}

/** An unclosed fence swallows the rest of the page; say so at the fence. */
function checkClosed(node: Code, lines: PageLines, file: string, problems: Problem[]): void {
  const { start, end } = node.position!;
  const last = lines.at(end.line - 1) ?? '';
  const fence = /^[\s>]*(`{3,}|~{3,})/.exec(lines.at(start.line - 1) ?? '')?.[1] ?? '```';
  const closes = end.line > start.line && closingFence(fence).test(last);
  if (!closes) {
    problems.push(makeProblem('parse', { file, line: start.line, column: start.column }, 'code fence is not closed', `add a closing ${fence} line after the block`));
  }
}

/**
 * Calls `fn` on `node` and on every node below it, in document order: what `visit` from
 * unist-util-visit does without a test, at a fraction of its cost per node (a page with a
 * thousand blocks has a thousand nodes to visit).
 */
function eachNode(node: Root | RootContent, fn: (node: Root | RootContent) => void): void {
  fn(node);
  if ('children' in node) for (const child of node.children) eachNode(child, fn);
}

function textOf(node: unknown): string {
  const n = node as { value?: unknown; children?: unknown[] };
  if (typeof n.value === 'string') return n.value;
  return (n.children ?? []).map(textOf).join('');
}
