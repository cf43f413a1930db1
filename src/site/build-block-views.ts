import type { Block } from '../model/block.ts';
import { hashBlock } from '../model/hash.ts';
import type { Problem } from '../model/location.ts';
import { extractBlocks } from '../parse/extract-blocks.ts';
import { KIND_NETWORK_NOTE, kindNetworkCommands, kindNetworkPrefixes } from './before-you-start.ts';
import type { HighlightCode } from './highlight.ts';
import type { MarkVolatile } from './mark-volatile.ts';
import { collectExamples, unchangedExamples, type ExampleStep } from './lab-examples.ts';
import { createLabContext } from './lab-marker.ts';
import type { PageContext } from './page-context.ts';
import { renderFile, renderTranscript } from './render-transcript.ts';
import { resolveBlockStatus } from './resolve-status.ts';
import { describeLiveBlock } from './live-view.ts';
import type { BlockView } from './view-model.ts';
import { describeRecording, replayFromRecord } from '../replay/from-record.ts';

/** What building the views of one page needs. */
export interface BlockViewDeps {
  highlight: HighlightCode;
  markVolatile: MarkVolatile;
  /**
   * The lab's steps (blocks in run order) and this page's 1-based step number, to mark example
   * values in commands that an earlier command printed. Absent: the page is its own only step.
   */
  labSteps?: { steps: ExampleStep[]; step: number };
}

/**
 * Parses a page's command and file blocks exactly as the runner does (same ids, same hashes),
 * looks each one up in the lab's record and builds its view model.
 */
export async function buildBlockViews(
  source: string,
  context: PageContext,
  deps: BlockViewDeps,
): Promise<{ blocks: Block[]; views: BlockView[]; problems: Problem[] }> {
  const { location } = context;
  const { blocks, problems } = extractBlocks(source, { file: location.file, slug: location.slug, sessions: context.sessions, mdx: location.file.endsWith('.mdx') });
  const results = new Map((context.record?.blocks ?? []).map((r) => [r.id, r]));
  const ctx = createLabContext(context.config);
  const labSteps = deps.labSteps ?? { steps: [{ title: location.slug, blocks }], step: 1 };
  const examples = collectExamples(labSteps.steps, ctx, unchangedExamples(context.record?.blocks ?? []), context.config?.bindings ?? {});
  const scope = location.labId ?? `page:${location.section}/${location.slug}`;
  const lab = { volatile: context.config?.volatile ?? [], pin: context.config?.pin ?? [] };
  const kindNetwork = context.config ? kindNetworkPrefixes(context.config) : new Set<string>();
  const views: BlockView[] = [];
  for (const block of blocks) {
    const hash = hashBlock(block);
    const status = resolveBlockStatus(block, hash, results.get(block.id), context.record?.environment);
    if (block.kind === 'command') {
      const highlighted = await Promise.all(block.commands.map((c) => deps.highlight(c.text, 'bash')));
      const view = renderTranscript(block, { highlighted, markVolatile: deps.markVolatile, status, examples, ctx, lab, scope, step: labSteps.step, checkable: location.section !== 'slides' });
      if (kindNetworkCommands(block, kindNetwork).length > 0) view.notes.push(KIND_NETWORK_NOTE);
      // Slides replay through <Replay> (the presenter's steps); other pages get the reader's button.
      const run = location.section === 'slides' ? undefined : replayFromRecord({ id: block.id, status: status.kind, label: status.label, prompts: view.commands.map((c) => c.prompt) }, results.get(block.id));
      if (run && !('reason' in run)) view.replay = { commands: run.commands, at: run.at, recorded: describeRecording(status.date ?? run.at.slice(0, 10), status.environment) };
      views.push(view);
    } else {
      const text = block.content.replace(/\n$/, '');
      views.push(renderFile(block, { highlighted: await deps.highlight(text, block.lang || 'text'), status }));
    }
    const view = views[views.length - 1]!;
    const live = describeLiveBlock(context.live, block.id);
    if (live) view.live = live;
    if (context.recordSource) {
      const skip = block.kind === 'command' ? block.options.skip : undefined;
      view.recheck = { ...context.recordSource, hash, ...(skip !== undefined ? { skip } : {}) };
    }
  }
  return { blocks, views, problems };
}
