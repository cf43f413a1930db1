import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Root, RootContent } from 'mdast';
import type { MdxjsEsm } from 'mdast-util-mdxjs-esm';
import type { Plugin } from 'unified';
import { LabError, type Problem } from '../model/location.ts';
import { defaultImportProgram, valueToEstree } from '../site/estree.ts';
import { highlightCode, type HighlightCode } from '../site/highlight.ts';
import { deckRecordId } from '../parse/load-deck.ts';
import { readRecord, recordPath } from '../record/records.ts';
import { warnProblems } from '../site/report-problems.ts';
import { element, prepareSlide, SLIDE_COMPONENTS, stringAttribute, type MakeReplay } from './prepare-slide.ts';
import { buildReplay } from './replay.ts';
import { splitSlides, type Layout } from './split-slides.ts';

/** Options of remarkSlides. */
export interface RemarkSlidesOptions {
  /** Project roots whose `slides/*.mdx` are decks. @default [process.cwd()] */
  roots?: string[];
  /** @default shiki, the same highlighter as the lab pages' blocks */
  highlight?: HighlightCode;
  /** Folder holding the deck components (tests point it elsewhere). */
  componentsDir?: string;
}

/** One slide as the deck pages and the presenter know it (exported by the compiled deck as `slides`). */
export interface SlideSummary {
  title: string;
  steps: number;
  layout: Layout;
  /** Line in the deck file where the slide starts. */
  line: number;
}

const COMPONENT_FILES: Record<keyof typeof SLIDE_COMPONENTS, string> = {
  slide: 'Slide.astro',
  step: 'Step.astro',
  notes: 'Notes.astro',
  col: 'Col.astro',
  code: 'SlideCode.astro',
  replay: 'Replay.astro',
};

/**
 * Turns a deck (`slides/<deck>.mdx`) into a list of `<SlidesSlide>` elements: splits it at
 * `---` and `<Slide>`, numbers each slide's steps (see prepareSlide), injects the components'
 * imports and exports `slides` (title, step count, layout, line of each slide). Other files are
 * left alone. A malformed deck fails the build with every problem at its file:line:column.
 *
 * Command blocks (```console, `file=`) are the site's own remark-command-blocks' business; it
 * renders them with the same components and records as the lab pages.
 */
export const remarkSlides: Plugin<[RemarkSlidesOptions?], Root> = (options = {}) => {
  const roots = options.roots ?? [process.cwd()];
  const highlight = options.highlight ?? highlightCode;
  const dir = options.componentsDir ?? fileURLToPath(new URL('./components/', import.meta.url));
  return async (tree, file) => {
    const found = file.path ? deckRoot(file.path, roots) : undefined;
    if (!found) return;
    const { shown, root } = found;
    const deckName = shown.replace(/^slides\//, '').replace(/\.mdx$/, '');
    const record = await readRecord(recordPath(path.join(root, 'verification'), deckRecordId(deckName)));
    const makeReplay: MakeReplay = (view, base) => buildReplay(view, record, base);
    const warnings: Problem[] = [];
    const problems: Problem[] = [];
    const { slides, esm, problems: splitProblems } = splitSlides(tree.children, shown);
    problems.push(...splitProblems);
    const summaries: SlideSummary[] = [];
    const rendered: RootContent[] = [];
    for (const [i, slide] of slides.entries()) {
      const prepared = await prepareSlide(slide.nodes, shown, highlight, problems, makeReplay, warnings);
      const { steps } = prepared;
      const title = slide.title ?? prepared.title;
      summaries.push({ title, steps, layout: slide.layout, line: slide.line });
      const attributes = [
        stringAttribute('index', String(i + 1)),
        stringAttribute('total', String(slides.length)),
        stringAttribute('steps', String(steps)),
        stringAttribute('layout', slide.layout),
        stringAttribute('title', title),
        ...(slide.className ? [stringAttribute('class', slide.className)] : []),
      ];
      rendered.push(element('mdxJsxFlowElement', SLIDE_COMPONENTS.slide, attributes, slide.nodes));
    }
    if (slides.length === 0) problems.push({ stage: 'parse', location: { file: shown, line: 1, column: 1 }, message: 'the deck has no slides', hint: 'write slides separated by --- lines, or <Slide> elements' });
    if (problems.length > 0) throw new LabError(problems);
    if (warnings.length > 0) void warnProblems(warnings);
    const imports = Object.entries(SLIDE_COMPONENTS).map(([key, name]) => importNode(name, path.join(dir, COMPONENT_FILES[key as keyof typeof SLIDE_COMPONENTS])));
    tree.children = [...imports, exportNode('slides', summaries), ...esm, ...rendered];
  };
};

export default remarkSlides;

/** `slides/<deck>.mdx` (relative to its root) when `absPath` is a deck under one of the roots. */
export function deckFile(absPath: string, roots: readonly string[]): string | undefined {
  return deckRoot(absPath, roots)?.shown;
}

function deckRoot(absPath: string, roots: readonly string[]): { shown: string; root: string } | undefined {
  for (const root of roots) {
    const rel = path.relative(path.resolve(root), path.resolve(absPath)).split(path.sep).join('/');
    if (/^slides\/[^/]+\.mdx$/.test(rel)) return { shown: rel, root };
  }
  return undefined;
}

function importNode(name: string, source: string): MdxjsEsm {
  return { type: 'mdxjsEsm', value: `import ${name} from ${JSON.stringify(source)};`, data: { estree: defaultImportProgram(name, source) } };
}

function exportNode(name: string, value: unknown): MdxjsEsm {
  return {
    type: 'mdxjsEsm',
    value: `export const ${name} = ${JSON.stringify(value)};`,
    data: {
      estree: {
        type: 'Program',
        sourceType: 'module',
        body: [
          {
            type: 'ExportNamedDeclaration',
            specifiers: [],
            attributes: [],
            declaration: { type: 'VariableDeclaration', kind: 'const', declarations: [{ type: 'VariableDeclarator', id: { type: 'Identifier', name }, init: valueToEstree(value) }] },
          },
        ],
      },
    },
  };
}
