import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Root } from 'mdast';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePath, type LiveRun } from '../../src/model/live.ts';
import { describeLiveBlock, describeLiveRun, formatClock } from '../../src/site/live-view.ts';
import { remarkCommandBlocks, type RemarkCommandBlocksOptions } from '../../src/site/remark-command-blocks.ts';
import { markAuthorMarkersOnly } from '../../src/site/mark-volatile.ts';
import { getSiteOverview } from '../../src/site/site-data.ts';
import { recheckView } from '../../src/site/recheck-view.ts';
import type { TranscriptView } from '../../src/site/view-model.ts';
import { hashBlock } from '../../src/model/hash.ts';
import { loadLab } from '../../src/parse/load-lab.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/site/dev-project');
const run = (over: Partial<LiveRun> = {}): LiveRun => ({
  version: 1,
  lab: 'live-echo',
  pid: process.pid,
  startedAt: '2026-12-05T22:57:09.120Z',
  updatedAt: '2026-12-05T22:57:10.000Z',
  blocks: ['say-word', 'wait-gate'],
  done: {},
  ...over,
});

describe('describeLiveBlock', () => {
  it('says waiting, running now, or what the run found so far', () => {
    expect(describeLiveBlock(run(), 'say-word')).toMatchObject({ state: 'queued', label: 'Being verified · waiting' });
    expect(describeLiveBlock(run({ current: 'say-word' }), 'say-word')).toMatchObject({ state: 'running', label: 'Being verified · running now' });
    expect(describeLiveBlock(run({ done: { 'say-word': 'pass' } }), 'say-word')).toMatchObject({ state: 'done', label: 'Being verified · passed' });
    expect(describeLiveBlock(run({ done: { 'say-word': 'fail' } }), 'say-word')!.label).toBe('Being verified · drifted');
    expect(describeLiveBlock(run({ done: { 'say-word': 'fail' } }), 'say-word')!.detail).toContain('the badge changes when the run ends');
  });

  it('says nothing without a run, or for a block the run does not check', () => {
    expect(describeLiveBlock(undefined, 'say-word')).toBeUndefined();
    expect(describeLiveBlock(run({ blocks: ['wait-gate'] }), 'say-word')).toBeUndefined();
  });

  it('sums up a run in one line', () => {
    expect(describeLiveRun(run({ current: 'wait-gate', done: { 'say-word': 'pass' } }))).toBe('Being verified now: 1 of 2 blocks done, running wait-gate (started 22:57:09 UTC).');
    expect(describeLiveRun(run({ phase: 'teardown', done: { 'say-word': 'pass', 'wait-gate': 'pass' } }))).toBe('Being verified now: 2 of 2 blocks done, teardown (started 22:57:09 UTC).');
    expect(formatClock('not a date')).toBe('not a date');
  });
});

describe('a run in progress on the pages', () => {
  let root: string;
  let step: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'labs-live-site-'));
    await cp(FIXTURE, root, { recursive: true });
    step = path.join(root, 'content/labs/live-echo/01-echo.mdx');
    await mkdir(path.dirname(livePath(path.join(root, 'verification'), 'live-echo')), { recursive: true });
    await writeFile(livePath(path.join(root, 'verification'), 'live-echo'), JSON.stringify(run({ current: 'wait-gate', done: { 'say-word': 'pass' } })));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  const views = async (live: RemarkCommandBlocksOptions['live']) => {
    const options: RemarkCommandBlocksOptions = {
      roots: [root],
      components: { terminal: '/T.astro', file: '/F.astro' },
      highlight: async (code) => code.split('\n').map((text) => [{ text }]),
      createMarker: () => markAuthorMarkersOnly,
      onProblems: () => {},
      ...(live ? { live } : {}),
    };
    const file = new VFile({ path: step, value: await readFile(step, 'utf8') });
    const processor = unified().use(remarkParse).use(remarkMdx).use(remarkCommandBlocks, options);
    const tree = (await processor.run(processor.parse(file), file)) as Root;
    return (tree.children as unknown as { type: string; attributes?: { value: { value: string } }[] }[])
      .filter((n) => n.type === 'mdxJsxFlowElement')
      .map((n) => JSON.parse(n.attributes![0]!.value.value) as TranscriptView);
  };

  it('shows on each block when the dev server asks for it', async () => {
    const [say, wait] = await views(() => true);
    expect(say!.live).toMatchObject({ state: 'done', label: 'Being verified · passed' });
    expect(wait!.live).toMatchObject({ state: 'running' });
    // The badge still says what the record says: no record yet.
    expect(say!.status.kind).toBe('unverified');
  });

  it('never shows by default (a build), even with a live file from a running process', async () => {
    for (const v of [...(await views(undefined)), ...(await views(() => false))]) {
      expect(v.live).toBeUndefined();
      expect(v.recheck).toBeUndefined();
      expect(await recheckView(v)).toBe(v);
    }
  });

  it('is read again at render time, so a page compiled during a run does not keep what it saw', async () => {
    const [say] = await views(() => true);
    expect(say!.recheck).toMatchObject({ root, labId: 'live-echo' });
    const file = livePath(path.join(root, 'verification'), 'live-echo');
    const saved = await readFile(file, 'utf8');
    const recordFile = path.join(root, 'verification/live-echo.json');
    try {
      await rm(file);
      const { lab } = await loadLab(path.join(root, 'content/labs/live-echo'));
      const block = lab!.steps[0]!.blocks[0]!;
      await writeFile(recordFile, JSON.stringify({ version: 1, lab: 'live-echo', title: 'Live echo', startedAt: 'a', finishedAt: 'b', environment: { target: 'local' }, summary: {}, partial: false, blocks: [{ id: block.id, file: block.file, line: block.line, hash: hashBlock(block), status: 'pass', attempts: 1, durationMs: 1, commands: [], bindings: {}, at: '2026-12-05T23:00:00.000Z' }] }));
      const now = await recheckView(say!);
      expect(now.status).toMatchObject({ kind: 'verified', label: 'Verified' });
      expect(now.live).toBeUndefined();
      // The compiled view is left as it was.
      expect(say!.status.kind).toBe('unverified');
      expect(say!.live?.state).toBe('done');
    } finally {
      await writeFile(file, saved);
      await rm(recordFile, { force: true });
    }
  });

  it('is dropped once the process that wrote it is gone', async () => {
    const file = livePath(path.join(root, 'verification'), 'live-echo');
    const saved = await readFile(file, 'utf8');
    await writeFile(file, JSON.stringify(run({ pid: 2 ** 30 })));
    try {
      for (const v of await views(() => true)) expect(v.live).toBeUndefined();
    } finally {
      await writeFile(file, saved);
    }
  });

  it('the overview follows new records under the dev server, and a build keeps its first answer', async () => {
    const { lab } = await loadLab(path.join(root, 'content/labs/live-echo'));
    const say = lab!.steps[0]!.blocks[0]!;
    const dev = { roots: [root], live: true };
    const before = await getSiteOverview(dev);
    expect(before.labs[0]!.rows[0]!.state).toBe('missing');
    expect(before.labs[0]!.live?.current).toBe('wait-gate');
    const record = {
      version: 1,
      lab: 'live-echo',
      title: 'Live echo',
      startedAt: '2026-12-05T23:00:00.000Z',
      finishedAt: '2026-12-05T23:00:01.000Z',
      environment: { target: 'local' },
      summary: { passed: 0, failed: 1, flaky: 0, skipped: 0, errors: 0, blocked: 0 },
      partial: false,
      blocks: [{ id: say.id, file: say.file, line: say.line, hash: hashBlock(say), status: 'fail', attempts: 1, durationMs: 5, commands: [], bindings: {}, at: '2026-12-05T23:00:01.000Z' }],
    };
    await writeFile(path.join(root, 'verification/live-echo.json'), JSON.stringify(record));
    const after = await getSiteOverview(dev);
    expect(after.labs[0]!.rows[0]!.state).toBe('drifted');

    const build = { roots: [root] };
    const first = await getSiteOverview(build);
    expect(first.labs[0]!.live).toBeUndefined();
    await rm(path.join(root, 'verification/live-echo.json'));
    expect((await getSiteOverview(build)).labs[0]!.rows[0]!.state).toBe(first.labs[0]!.rows[0]!.state);
    expect((await getSiteOverview(dev)).labs[0]!.rows[0]!.state).toBe('missing');
  });
});
