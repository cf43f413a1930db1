import type { StatusKind, StatusView } from './view-model.ts';

/** Icons of the badges; decorative (the label says the same in words). */
export const STATUS_ICONS: Record<StatusKind, string> = {
  verified: '✓',
  flaky: '≈',
  drifted: '✗',
  unverified: '○',
  skipped: '–',
};

/**
 * The sentence under a block that says what its badge means, e.g.
 * "Verified on 12 May 2026 (kind · kubernetes v1.35.0)." or "Not run: needs a second machine."
 */
export function statusSentence(status: StatusView): string {
  const on = status.date ? ` on ${status.date}` : '';
  const where = status.environment ? ` (${status.environment})` : '';
  switch (status.kind) {
    case 'verified':
      return `Verified${on}${where}: a run printed this output.`;
    case 'flaky':
      return `Flaky${on}${where}: ${status.reason ?? 'matched only after retries'}.`;
    case 'drifted':
      return `Drifted${on}${where}: the last run printed something else${status.reason ? ` (${status.reason})` : ''}.`;
    case 'unverified':
      return `Not yet verified${status.reason ? `: ${status.reason}` : ''}.`;
    case 'skipped':
      return `Not run${status.reason ? `: ${status.reason}` : ''}.`;
  }
}

/** A step's or lab's counts in words: "4 verified · 1 not yet verified · 1 drifted" (zero counts left out). */
export function describeCounts(c: { total: number; verified: number; flaky: number; drifted: number; unverified: number; skipped: number }): string {
  if (c.total === 0) return 'no checked blocks';
  const parts = [
    c.verified ? `${c.verified} verified` : '',
    c.flaky ? `${c.flaky} flaky` : '',
    c.drifted ? `${c.drifted} drifted` : '',
    c.unverified ? `${c.unverified} not yet verified` : '',
    c.skipped ? `${c.skipped} not run` : '',
  ].filter(Boolean);
  return parts.join(' · ');
}

/** The status kind that best sums up a set of blocks: any drift wins, then unverified, then flaky. */
export function overallKind(c: { total: number; verified: number; flaky: number; drifted: number; unverified: number }): StatusKind {
  if (c.drifted > 0) return 'drifted';
  if (c.unverified > 0) return 'unverified';
  if (c.flaky > 0) return 'flaky';
  if (c.verified > 0) return 'verified';
  return 'skipped';
}

/**
 * The sentence to show under a block, or undefined when it would only repeat its badge (a block
 * never recorded: "Not yet verified." under a "Not yet verified" badge on every block is noise).
 */
export function verdictOf(status: StatusView): string | undefined {
  if (status.kind === 'unverified' && !status.reason) return undefined;
  return statusSentence(status);
}
