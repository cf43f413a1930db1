import type { ExpectedLine, OutputMode } from '../model/block.ts';
import type { DiffLine } from '../model/result.ts';
import type { BindingPairs, Bindings } from '../normalise/bindings.ts';
import type { NormaliseContext } from '../normalise/tokenize.ts';

/** What `matchOutput` compares. */
export interface MatchInput {
  /** Expected output lines as written (normalised here: trailing spaces, ANSI, outer blank lines). */
  expected: readonly ExpectedLine[];
  /** Actual output lines (normalised here too; normalising is idempotent). */
  actual: readonly string[];
  /**
   * `actual` is already what `normaliseOutput` returns (the runner normalises each output once
   * for its result), so it is not normalised again. Only for lines that came from
   * `normaliseOutput`: other lines would be compared as they are. @default false
   */
  normalised?: boolean;
  mode: OutputMode;
  /** Bindings of the run so far. Not modified: the result holds the new state. */
  bindings: Bindings;
  ctx: NormaliseContext;
  /** File the expected lines come from, so notes say `bound earlier at 02-services.mdx:48`. */
  source?: string;
}

/** The outcome of comparing one command's output. */
export interface MatchResult {
  ok: boolean;
  /** Bindings after a successful match (the caller adopts them); on failure, the best partial. */
  bindings: Bindings;
  /**
   * Bindings this match created, example → actual (parts like ReplicaSet hashes included). On
   * success it is built from `madePairs` on first access; callers that only copy the pairs
   * somewhere read `madePairs` instead.
   */
  made: Record<string, string>;
  /** `made` as pairs in binding order, without building a record. */
  madePairs: BindingPairs;
  /** Bindings that existed before this match and that it relied on. */
  used: Record<string, string>;
  /** The alignment: `=`/`~` lines on success; on failure, `-` expected and `+` actual lines too. */
  diff: DiffLine[];
  /** Why it failed, in one sentence, when the diff alone does not say (e.g. the search gave up). */
  reason?: string;
}
