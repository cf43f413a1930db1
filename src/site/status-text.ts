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
 * "Verified on 12 May 2026 (kind · kubernetes v1.35.0)." or "Run this yourself: our checker does not
 * type this one (needs a second machine)."
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
      return `Run this yourself: our checker does not type this one${status.reason ? ` (${status.reason})` : ''}.`;
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

/** What a block's badge panel says: one sentence, then the details (where it ran, why not). */
export interface StatusExplanation {
  summary: string;
  details: string[];
}

/**
 * The explanation behind a badge, for learners: what the status means for the output they see,
 * when and where it was checked (the environment lives here, not under every block), and why a
 * block is not verified.
 */
export function explainStatus(status: StatusView): StatusExplanation {
  const on = status.date ? ` on ${status.date}` : '';
  const where = status.environment ? [`Where it ran: ${status.environment}.`] : [];
  switch (status.kind) {
    case 'verified':
      return { summary: `Verified${on}: our checker typed these commands and got this output (allowing for values that differ on every machine).`, details: where };
    case 'flaky':
      return { summary: `Flaky${on}: the output matched, but only after ${status.reason?.replace(/^matched only after /, '') ?? 'retries'}; yours may take a moment to look like this.`, details: where };
    case 'drifted':
      return {
        summary: `Drifted${on}: the last run printed something else${status.reason ? ` (${status.reason})` : ''}. See what changed under the block.`,
        details: where,
      };
    case 'unverified':
      return {
        summary: `Not yet verified: ${status.reason ?? 'no run of our checker has reached this block yet'}. The output is what the author expects, not yet what a run printed.`,
        details: ['Our checker types every block of a lab in order and dates what each printed; a block shows this until a run of the page as it is now reaches it.'],
      };
    case 'skipped':
      return { summary: `Run this yourself: our checker does not type this block${status.reason ? ` (${status.reason})` : ''}, so its output is not checked.`, details: [] };
  }
}
