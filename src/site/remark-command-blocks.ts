import { fileURLToPath } from 'node:url';
import type { Code, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import type { MdxjsEsm } from 'mdast-util-mdxjs-esm';
import type { Plugin } from 'unified';
import type { LabConfig } from '../model/lab.ts';
import type { Problem } from '../model/location.ts';
import { buildBlockViews } from './build-block-views.ts';
import { defaultImportProgram, expressionProgram, valueToEstree } from './estree.ts';
import { highlightCode, type HighlightCode } from './highlight.ts';
import { loadLab } from '../parse/load-lab.ts';
import type { ExampleStep } from './lab-examples.ts';
import { locateContent, type ContentLocation } from './locate-content.ts';
import type { MarkVolatile } from './mark-volatile.ts';
import { loadPageContext } from './page-context.ts';
import { warnProblems } from './report-problems.ts';
import type { BlockView } from './view-model.ts';
import { stepVersionChips, stepVersionNodes } from './step-versions.ts';

/** Options of remarkCommandBlocks. */
export interface RemarkCommandBlocksOptions {
  /**
   * Project roots whose `content/` pages get their blocks rendered (the repo, plus extra roots
   * such as the site's test fixture). Files elsewhere are left alone.
   * @default [process.cwd()]
   */
  roots?: string[];
  /** Import paths of the components; tests may point them elsewhere. */
  components?: { terminal: string; file: string };
  /** @default shiki, see `highlightCode` */
  highlight?: HighlightCode;
  /** Builds the volatile marker of a lab. @default `createLabMarker` (the normaliser's classes) */
  createMarker?: (config: LabConfig | undefined) => MarkVolatile | Promise<MarkVolatile>;
  /** Where content problems go. @default printed once each as warnings */
  onProblems?: (problems: Problem[]) => void;
  /**
   * Whether to show `labs verify` runs in progress (`verification/.live/`). Asked on every page,
   * so the integration can turn it on for `astro dev` only; a build never shows them.
   * @default () => false
   */
  live?: () => boolean;
}

/** Names the injected components get in the page's scope; unusual, so they never meet an author's import. */
export const COMPONENT_NAMES = { terminal: 'LabsTerminalBlock', file: 'LabsFileBlock' } as const;

const DEFAULT_COMPONENTS = {
  terminal: fileURLToPath(new URL('./components/TerminalBlock.astro', import.meta.url)),
  file: fileURLToPath(new URL('./components/FileBlock.astro', import.meta.url)),
};

/**
 * Turns the ```console and `file=` blocks of lab, concept and docs pages into
 * `<LabsTerminalBlock view={…} />` / `<LabsFileBlock view={…} />` with JSON view models built at
 * compile time (highlighting, volatile tokens, status from `verification/*.json`), and injects
 * the components' imports. Blocks are parsed by the runner's own parser, so ids and hashes match
 * the records. Every other fence stays a `code` node for Expressive Code.
 *
 * Runs only on `.mdx` files (JSX in plain Markdown is not compiled) and only when Astro's
 * `markdown.processor` is `unified()` — Astro 7's default Sätteri processor runs no remark plugins.
 */
export const remarkCommandBlocks: Plugin<[RemarkCommandBlocksOptions?], Root> = (options = {}) => {
  const roots = options.roots ?? [process.cwd()];
  const components = options.components ?? DEFAULT_COMPONENTS;
  const highlight = options.highlight ?? highlightCode;
  const onProblems = options.onProblems ?? ((p: Problem[]) => void warnProblems(p));
  const createMarker = options.createMarker ?? (async (config: LabConfig | undefined) => (await import('./lab-marker.ts')).createLabMarker(config));

  return async (tree, file) => {
    if (!file.path || !file.path.endsWith('.mdx')) return;
    const location = locateContent(file.path, roots);
    if (!location) return;
    const context = await loadPageContext(location, { live: options.live?.() === true });
    const markVolatile = await createMarker(context.config);
    const labSteps = await loadLabSteps(location);
    const { views, blocks, problems } = await buildBlockViews(String(file.value), context, { highlight, markVolatile, ...(labSteps ? { labSteps } : {}) });
    onProblems([...context.problems, ...problems]);
    if (views.length === 0) return;

    const byLine = new Map(blocks.map((b, i) => [b.line, views[i]!]));
    const used = { terminal: false, file: false };
    replaceCodeNodes(tree, (node) => {
      const view = node.position ? byLine.get(node.position.start.line) : undefined;
      if (!view) return undefined;
      used[view.kind === 'command' ? 'terminal' : 'file'] = true;
      return componentNode(view);
    });
    const imports: MdxjsEsm[] = [];
    if (used.terminal) imports.push(importNode(COMPONENT_NAMES.terminal, components.terminal));
    if (used.file) imports.push(importNode(COMPONENT_NAMES.file, components.file));
    // A kind lab's step opens with the Kubernetes releases it is verified on.
    const chips = await stepVersionChips(location, context, blocks);
    const versions = chips.length > 0 ? stepVersionNodes(chips, fileURLToPath(new URL('./components/VerifiedOn.astro', import.meta.url))) : undefined;
    if (versions) imports.push(versions.importNode);
    tree.children.unshift(...imports, ...(versions ? [versions.element] : []));
  };
};

export default remarkCommandBlocks;

/** A lab step's place in its lab, with every step's blocks in run order (for values bound on earlier pages). */
async function loadLabSteps(location: ContentLocation): Promise<{ steps: ExampleStep[]; step: number } | undefined> {
  if (location.section !== 'labs' || !location.labDir) return undefined;
  const { lab } = await loadLab(location.labDir, { cwd: location.root });
  if (!lab) return undefined;
  const step = lab.steps.findIndex((s) => s.slug === location.slug);
  if (step < 0) return undefined;
  return { steps: lab.steps.map((s) => ({ title: s.title, blocks: s.blocks })), step: step + 1 };
}

/** Replaces `code` nodes anywhere in the tree (lists, block quotes, JSX children) for which `replace` returns a node. */
function replaceCodeNodes(node: { children?: RootContent[] }, replace: (code: Code) => MdxJsxFlowElement | undefined): void {
  const children = node.children;
  if (!children) return;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (child.type === 'code') {
      const next = replace(child);
      if (next) children[i] = next;
    } else if ('children' in child) {
      replaceCodeNodes(child as { children?: RootContent[] }, replace);
    }
  }
}

function componentNode(view: BlockView): MdxJsxFlowElement {
  return {
    type: 'mdxJsxFlowElement',
    name: view.kind === 'command' ? COMPONENT_NAMES.terminal : COMPONENT_NAMES.file,
    attributes: [
      {
        type: 'mdxJsxAttribute',
        name: 'view',
        value: { type: 'mdxJsxAttributeValueExpression', value: JSON.stringify(view), data: { estree: expressionProgram(valueToEstree(view)) } },
      },
    ],
    children: [],
  };
}

function importNode(name: string, source: string): MdxjsEsm {
  return { type: 'mdxjsEsm', value: `import ${name} from ${JSON.stringify(source)};`, data: { estree: defaultImportProgram(name, source) } };
}
