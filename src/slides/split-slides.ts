import type { RootContent } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { splitFrontmatter } from '../parse/frontmatter.ts';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { didYouMean, type Problem } from '../model/location.ts';

/** Layouts a slide can take (`<Slide layout="…">`). */
export const LAYOUTS = ['default', 'title', 'section', 'two-cols', 'code', 'diagram', 'full-bleed', 'lab'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** One slide of a deck, before rendering. */
export interface SlideSource {
  /** The slide's content nodes. */
  nodes: RootContent[];
  layout: Layout;
  /** Extra class names from `<Slide class="…">`. */
  className?: string;
  /** `<Slide title="…">`: the title of a slide whose heading is not plain text (or that has none, like a full-bleed picture). */
  title?: string;
  /** 1-based line of the slide's start in the deck file. */
  line: number;
}

/** A deck split into slides, with the module-level nodes (imports, exports) kept apart. */
export interface SplitDeck {
  slides: SlideSource[];
  /** `import`/`export` statements: they stay at the top of the module. */
  esm: RootContent[];
  problems: Problem[];
}

/**
 * Splits a deck's top-level nodes into slides: a `---` (thematic break) ends a slide, and a
 * top-level `<Slide>` element is a slide of its own (with `layout`, `class` and `title` attributes).
 * Empty stretches (two `---` in a row, `---` around a `<Slide>`) make no slide. Frontmatter nodes
 * are dropped. Problems (unknown layout, an attribute that is not a string) are collected.
 */
export function splitSlides(children: readonly RootContent[], file: string): SplitDeck {
  const deck: SplitDeck = { slides: [], esm: [], problems: [] };
  let current: RootContent[] = [];
  const flush = () => {
    if (current.length > 0) deck.slides.push({ nodes: current, layout: 'default', line: lineOf(current[0]!) });
    current = [];
  };
  for (const node of children) {
    if (node.type === 'mdxjsEsm') deck.esm.push(node);
    else if (node.type === 'yaml' || (node.type as string) === 'toml') continue;
    else if (node.type === 'thematicBreak') flush();
    else if (node.type === 'mdxJsxFlowElement' && node.name === 'Slide') {
      flush();
      deck.slides.push(readSlideElement(node, file, deck.problems));
    } else current.push(node);
  }
  flush();
  return deck;
}

function readSlideElement(node: MdxJsxFlowElement, file: string, problems: Problem[]): SlideSource {
  const slide: SlideSource = { nodes: node.children as RootContent[], layout: 'default', line: lineOf(node) };
  const at = { file, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
  for (const attr of node.attributes) {
    if (attr.type !== 'mdxJsxAttribute') continue;
    const value = typeof attr.value === 'string' ? attr.value : undefined;
    if (attr.name === 'layout') {
      if (value && (LAYOUTS as readonly string[]).includes(value)) slide.layout = value as Layout;
      else {
        const guess = value ? didYouMean(value, LAYOUTS) : undefined;
        problems.push({ stage: 'parse', location: at, message: `unknown slide layout ${JSON.stringify(value ?? attr.value)}`, hint: guess ? `did you mean "${guess}"?` : `use one of ${LAYOUTS.join(', ')}` });
      }
    } else if (attr.name === 'class') {
      if (value) slide.className = value;
    } else if (attr.name === 'title') {
      if (value?.trim()) slide.title = value.trim();
    } else {
      const guess = didYouMean(attr.name, ['layout', 'class', 'title']);
      problems.push({ stage: 'parse', location: at, message: `unknown <Slide> attribute "${attr.name}"`, hint: guess ? `did you mean "${guess}"?` : 'a <Slide> takes layout, class and title' });
    }
  }
  return slide;
}

function lineOf(node: RootContent): number {
  return node.position?.start.line ?? 1;
}

/**
 * The line each slide of a deck starts on, read from its source without rendering it (the
 * status page links a deck's blocks to `#/<slide>`). A deck that does not parse has none.
 */
export function slideStartLines(source: string, file: string): number[] {
  try {
    const tree = unified().use(remarkParse).use(remarkMdx).parse(splitFrontmatter(source, file).content);
    return splitSlides(tree.children, file).slides.map((s) => s.line);
  } catch {
    return [];
  }
}

/** The 1-based slide that holds `line`, given the slides' start lines (1 before the first). */
export function slideAt(starts: readonly number[], line: number): number {
  let n = 0;
  while (n < starts.length && starts[n]! <= line) n++;
  return Math.max(1, n);
}
