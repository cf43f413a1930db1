import { liveBlockState, type LiveRun } from '../model/live.ts';
import type { BlockStatus } from '../model/result.ts';
import type { LiveView } from './view-model.ts';

const OUTCOME: Record<BlockStatus, string> = {
  pass: 'passed',
  flaky: 'passed after retries',
  fail: 'drifted',
  error: 'failed to run',
  skip: 'skipped',
  blocked: 'not reached',
};

/** `22:57:09 UTC`: when a run started, as a dev server shows it. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(11, 19)} UTC`;
}

/**
 * What a block shows while `labs verify` runs its lab: waiting, running now, or what this run
 * found so far. Undefined when there is no run or the run does not check this block.
 */
export function describeLiveBlock(run: LiveRun | undefined, blockId: string): LiveView | undefined {
  if (!run) return undefined;
  const at = liveBlockState(run, blockId);
  if (!at) return undefined;
  const started = `the run started at ${formatClock(run.startedAt)}`;
  switch (at.state) {
    case 'queued':
      return { state: 'queued', label: 'Being verified · waiting', detail: `labs verify is running this lab (${started}) and has not reached this block yet.` };
    case 'running':
      return { state: 'running', label: 'Being verified · running now', detail: `labs verify is running this block now (${started}).` };
    case 'done':
      return {
        state: 'done',
        label: `Being verified · ${OUTCOME[at.status]}`,
        detail: `In the run still going (${started}) this block ${OUTCOME[at.status]}; the badge changes when the run ends and writes its record.`,
      };
  }
}

/** A lab's run in progress in one line, for the status page: "Being verified: 3 of 7 blocks done, running say-word (started 22:57:09 UTC)". */
export function describeLiveRun(run: LiveRun): string {
  const done = run.blocks.filter((id) => Object.hasOwn(run.done, id)).length;
  const doing = run.current ? `, running ${run.current}` : run.phase ? `, ${run.phase}` : '';
  return `Being verified now: ${done} of ${run.blocks.length} block${run.blocks.length === 1 ? '' : 's'} done${doing} (started ${formatClock(run.startedAt)}).`;
}
