import type { Block } from '../model/block.ts';
import type { BlockResult, RunEnvironment } from '../model/result.ts';
import type { StatusView } from './view-model.ts';

/**
 * What the site knows about one block, finer than the badge: `stale` and `missing` both show
 * "not yet verified", but the build gate and the status page tell them apart.
 */
export type BlockState = 'verified' | 'flaky' | 'drifted' | 'stale' | 'missing' | 'blocked' | 'skipped';

/** What classifying a block needs of it: whether it is a `skip=` command block, and why. */
export type StatusSubject = Pick<Block, 'kind'> & { options?: { skip?: string | undefined } };

/**
 * Classifies a block against its record. A record counts only while it is current, i.e. its
 * hash is the hash of the block as the page now shows it; an edited block is `stale` until the
 * next run. `skip=` blocks are `skipped` whatever the record says: they are never run.
 */
export function classifyBlock(block: StatusSubject, hash: string, result: BlockResult | undefined): BlockState {
  if (block.kind === 'command' && block.options?.skip !== undefined) return 'skipped';
  if (!result) return 'missing';
  if (result.hash !== hash) return 'stale';
  switch (result.status) {
    case 'pass':
      return 'verified';
    case 'flaky':
      return 'flaky';
    case 'fail':
    case 'error':
      return 'drifted';
    case 'skip':
      // The runner skipped a block the page does not mark skip=: treat it as not yet verified.
      return 'blocked';
    case 'blocked':
      return 'blocked';
  }
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Formats an ISO time as `12 May 2026` (UTC, so every build prints the same). */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : DATE.format(d);
}

/** `kind · kubernetes v1.35.0 · kind v0.31.0`: where a run happened, for the badge. */
export function describeEnvironment(env: RunEnvironment | undefined): string | undefined {
  if (!env) return undefined;
  const versions = Object.entries(env.versions ?? {}).map(([tool, v]) => `${tool} ${v}`);
  return [env.target, ...versions].join(' · ');
}

/**
 * The status badge of a block: verified (with date, target and versions), flaky, drifted (with
 * the recorded diff for a disclosure), not yet verified (no record, or the block changed since),
 * or not run (skip=, with its reason).
 */
export function resolveBlockStatus(
  block: StatusSubject,
  hash: string,
  result: BlockResult | undefined,
  environment: RunEnvironment | undefined,
): StatusView {
  const state = classifyBlock(block, hash, result);
  const when = result ? formatDate(result.at) : undefined;
  const ran = { ...(when ? { date: when, at: result!.at } : {}), ...(environment ? { environment: describeEnvironment(environment) } : {}) };
  switch (state) {
    case 'skipped':
      return { kind: 'skipped', label: 'Run this yourself', reason: block.kind === 'command' ? block.options?.skip : undefined };
    case 'missing':
      return { kind: 'unverified', label: 'Not yet verified' };
    case 'stale':
      return { kind: 'unverified', label: 'Not yet verified', reason: `changed since it was last checked on ${when}` };
    case 'blocked':
      return { kind: 'unverified', label: 'Not yet verified', reason: result?.reason ? `not reached in the last run: ${result.reason}` : 'not reached in the last run' };
    case 'verified':
      return { kind: 'verified', label: 'Verified', ...ran };
    case 'flaky':
      return {
        kind: 'flaky',
        label: 'Flaky',
        ...ran,
        reason: `matched only after ${result?.attempts ?? 'several'} attempts`,
      };
    case 'drifted':
      return { kind: 'drifted', label: 'Drifted', ...ran, ...(result?.reason ? { reason: result.reason } : {}), diff: collectDiff(result!) };
  }
}

/** The commands of a failed result that did not match, with their recorded diff lines. */
function collectDiff(result: BlockResult): NonNullable<StatusView['diff']> {
  return result.commands
    .filter((c) => !c.ok)
    .map((c) => ({
      command: c.command,
      reason: c.reason,
      lines: (c.diff ?? []).map((d) => (d.notes?.length ? { op: d.op, text: d.text, notes: d.notes } : { op: d.op, text: d.text })),
    }));
}
