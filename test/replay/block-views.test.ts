/** Which blocks of a page get the reader's "Replay", built from the fixture lab and its record. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBlockViews } from '../../src/site/build-block-views.ts';
import type { HighlightCode } from '../../src/site/highlight.ts';
import { createLabMarker } from '../../src/site/lab-marker.ts';
import { locateContent } from '../../src/site/locate-content.ts';
import { loadPageContext } from '../../src/site/page-context.ts';
import type { TranscriptView } from '../../src/site/view-model.ts';
import { FIXTURE_ROOT } from '../fixtures/site/make-records.ts';

const plain: HighlightCode = async (code) => code.split('\n').map((text) => [{ text }]);
const STEP = path.join(FIXTURE_ROOT, 'content/labs/netns-basics/01-namespaces.mdx');

async function viewsOf(file: string) {
  const location = locateContent(file, [FIXTURE_ROOT])!;
  const context = await loadPageContext(location);
  const { views } = await buildBlockViews(await readFile(file, 'utf8'), context, { highlight: plain, markVolatile: createLabMarker(context.config) });
  return { views: views.filter((v): v is TranscriptView => v.kind === 'command'), context };
}

describe('Replay on lab pages', () => {
  it('is built for verified and flaky blocks only, from their record', async () => {
    const { views, context } = await viewsOf(STEP);
    expect(views.map((v) => [v.id, v.status.kind, v.replay !== undefined])).toEqual([
      ['01-namespaces-1', 'verified', true],
      ['make-veth', 'verified', true],
      ['01-namespaces-3', 'skipped', false],
      ['01-namespaces-4', 'flaky', true],
      // Edited since its record: the record no longer stands for the page.
      ['01-namespaces-6', 'unverified', false],
    ]);
    const veth = views.find((v) => v.id === 'make-veth')!;
    const result = context.record!.blocks.find((b) => b.id === 'make-veth')!;
    expect(veth.replay!.commands).toEqual(result.commands.map((c) => ({ prompt: '$ ', command: c.ran, output: c.output, durationMs: c.durationMs })));
    expect(veth.replay!.recorded).toBe('Replay of the run recorded 12 May 2026 · local · kernel 6.12.0 · bash 5.2.37 · iproute2 6.15.0');
    expect(veth.replay!.at).toBe(result.at);
  });

  it('is not built for a drifted or never-recorded block', async () => {
    const { views } = await viewsOf(path.join(FIXTURE_ROOT, 'content/labs/netns-basics/02-services.mdx'));
    for (const v of views) expect(v.replay !== undefined, v.id).toBe(v.status.kind === 'verified' || v.status.kind === 'flaky');
    expect(views.some((v) => v.status.kind === 'drifted')).toBe(true);
    expect(views.some((v) => v.status.kind === 'unverified')).toBe(true);
  });

  it('is left to <Replay> on slides, whatever the record says', async () => {
    const { views, context } = await viewsOf(STEP);
    const asDeck = { ...context, location: { ...context.location, section: 'slides' as const } };
    const { views: deckViews } = await buildBlockViews(await readFile(STEP, 'utf8'), asDeck, { highlight: plain, markVolatile: createLabMarker(context.config) });
    expect(views.some((v) => v.replay)).toBe(true);
    expect(deckViews.some((v) => v.kind === 'command' && v.replay)).toBe(false);
  });
});
