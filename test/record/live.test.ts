import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { livePath, liveBlockState, type LiveRun } from '../../src/model/live.ts';
import { combineEvents, createLiveWriter, processIsAlive, readLiveRun } from '../../src/record/live.ts';
import { loadLab } from '../../src/parse/load-lab.ts';
import type { Lab } from '../../src/model/lab.ts';
import type { BlockResult } from '../../src/model/result.ts';

const LAB_DIR = path.resolve(import.meta.dirname, '../fixtures/site/dev-project/content/labs/live-echo');

async function fixtureLab(): Promise<Lab> {
  const { lab, problems } = await loadLab(LAB_DIR);
  if (!lab) throw new Error(JSON.stringify(problems));
  return lab;
}

const result = (id: string, status: BlockResult['status']): BlockResult => ({ id, file: 'f.mdx', line: 1, hash: 'h', status, attempts: 1, durationMs: 1, commands: [], bindings: {}, at: '2026-12-05T00:00:00.000Z' });

describe('the live file of a run', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'labs-live-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('follows the run block by block and is gone after close', async () => {
    const lab = await fixtureLab();
    const [first, second] = lab.steps[0]!.blocks;
    const live = createLiveWriter(dir, lab, { now: () => new Date('2026-12-05T10:00:00Z') });
    const read = async () => {
      await live.flushed();
      return readLiveRun(dir, lab.id);
    };
    live.events.labStart!(lab, 'local');
    live.events.blockStart!(first!);
    let run = (await read())!;
    expect(run).toMatchObject({ lab: 'live-echo', pid: process.pid, blocks: ['say-word', 'wait-gate'], current: 'say-word', done: {} });
    expect(liveBlockState(run, 'say-word')).toEqual({ state: 'running' });
    expect(liveBlockState(run, 'wait-gate')).toEqual({ state: 'queued' });
    expect(liveBlockState(run, 'not-in-this-run')).toBeUndefined();

    live.events.blockEnd!(first!, result('say-word', 'fail'));
    live.events.blockStart!(second!);
    run = (await read())!;
    expect(run.done).toEqual({ 'say-word': 'fail' });
    expect(liveBlockState(run, 'say-word')).toEqual({ state: 'done', status: 'fail' });
    expect(run.current).toBe('wait-gate');

    await live.close();
    await expect(stat(livePath(dir, lab.id))).rejects.toThrow();
    // Events after close write nothing.
    live.events.blockEnd!(second!, result('wait-gate', 'pass'));
    await live.flushed();
    await expect(stat(livePath(dir, lab.id))).rejects.toThrow();
  });

  it('rewrites the file a few times, not once per event, and always ends with the latest state', async () => {
    const lab = await fixtureLab();
    const [first] = lab.steps[0]!.blocks;
    let writes = 0;
    const live = createLiveWriter(dir, lab, { now: () => (writes++, new Date('2026-12-05T10:00:00Z')) });
    writes = 0;
    live.events.labStart!(lab, 'local');
    for (let k = 0; k < 2000; k++) {
      live.events.blockStart!(first!);
      live.events.blockEnd!(first!, result('say-word', k % 2 ? 'pass' : 'fail'));
    }
    live.events.blockStart!(first!);
    await live.flushed();
    // One write at once, then the latest state when the first one has landed: not 4,000.
    expect(writes).toBeLessThanOrEqual(3);
    const run = (await readLiveRun(dir, lab.id))!;
    expect(run.current).toBe('say-word');
    expect(run.done).toEqual({ 'say-word': 'pass' });
    // A change after a pause is written too.
    live.events.blockEnd!(first!, result('say-word', 'fail'));
    await live.flushed();
    expect((await readLiveRun(dir, lab.id))!.done).toEqual({ 'say-word': 'fail' });
    expect((await readLiveRun(dir, lab.id))!.current).toBeUndefined();
    await live.close();
  });

  it('lists only the steps a run of some steps checks', async () => {
    const lab = await fixtureLab();
    const live = createLiveWriter(dir, lab, { onlySteps: new Set(['/nowhere/99-other.mdx']) });
    live.events.labStart!(lab, 'local');
    await live.flushed();
    expect((await readLiveRun(dir, lab.id))!.blocks).toEqual([]);
    await live.close();
  });

  it('is ignored when the process that wrote it is gone, or when it is not a live file', async () => {
    const file = livePath(dir, 'x');
    await mkdir(path.dirname(file), { recursive: true });
    const run: LiveRun = { version: 1, lab: 'x', pid: 4242, startedAt: 'a', updatedAt: 'a', blocks: ['b'], done: {} };
    await writeFile(file, JSON.stringify(run));
    expect(await readLiveRun(dir, 'x', () => true)).toMatchObject({ pid: 4242 });
    expect(await readLiveRun(dir, 'x', () => false)).toBeUndefined();
    await writeFile(file, JSON.stringify({ ...run, lab: 'other' }));
    expect(await readLiveRun(dir, 'x', () => true)).toBeUndefined();
    await writeFile(file, '{not json');
    expect(await readLiveRun(dir, 'x', () => true)).toBeUndefined();
    expect(await readLiveRun(dir, 'never-written')).toBeUndefined();
  });

  it('knows a live process from a gone one', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    // Far above any pid_max, so no process has it.
    expect(processIsAlive(2 ** 30)).toBe(false);
  });
});

describe('combineEvents', () => {
  it('passes each event to every target in order, and nothing that is not an event', () => {
    const seen: string[] = [];
    const a = { phase: (l: string) => seen.push(`a:${l}`), close: () => seen.push('a:close') };
    const b = { phase: (l: string) => seen.push(`b:${l}`), progress: (l: string) => seen.push(`b:${l}`) };
    const both = combineEvents(a, b);
    both.phase!('setup');
    both.progress!('pulling');
    expect(seen).toEqual(['a:setup', 'b:setup', 'b:pulling']);
    expect('close' in both).toBe(false);
    expect(both.blockStart).toBeUndefined();
  });
});
