import path from 'node:path';
import type { BlockStatus } from './result.ts';

/**
 * `<records folder>/.live/<lab-id>.json`: what a `labs verify` run that is still going has done so
 * far. The runner writes it while it runs and deletes it once the lab's record is written; only the
 * dev server reads it (never a build), and a file whose process is gone is ignored.
 */
export interface LiveRun {
  /** Format version of this file. */
  version: 1;
  lab: string;
  /** The process running the lab: the file counts only while it is alive. */
  pid: number;
  /** When the run started and when this file was last written (ISO). */
  startedAt: string;
  updatedAt: string;
  /** Ids of the blocks this run checks, in run order (a run of some steps lists only theirs). */
  blocks: string[];
  /** The block running now; absent between blocks, during setup and teardown. */
  current?: string;
  /** What the run is doing outside a block (`setup`, `teardown`, …), when it is. */
  phase?: string;
  /** Blocks this run has finished, with their status (the record, with diffs, comes when the run ends). */
  done: Record<string, BlockStatus>;
}

/** Folder of the live files, inside a records folder. Kept out of git (`.gitignore`). */
export const LIVE_DIR = '.live';

/** Where the live file of a lab goes: `<records folder>/.live/<lab-id>.json`. */
export function livePath(recordsDir: string, labId: string): string {
  return path.join(recordsDir, LIVE_DIR, `${labId}.json`);
}

/** Where one block stands in a live run. */
export type LiveBlockState = { state: 'queued' } | { state: 'running' } | { state: 'done'; status: BlockStatus };

/** Where `blockId` stands in `run`; undefined when the run does not check it. */
export function liveBlockState(run: LiveRun, blockId: string): LiveBlockState | undefined {
  const status = Object.hasOwn(run.done, blockId) ? run.done[blockId] : undefined;
  if (status) return { state: 'done', status };
  if (run.current === blockId) return { state: 'running' };
  return run.blocks.includes(blockId) ? { state: 'queued' } : undefined;
}
