import type { DiffLine } from '../model/result.ts';
import { addPairs, NO_PAIRS, type BindingPairs, type Bindings } from '../normalise/bindings.ts';
import { normaliseLines, trimBlankLines } from '../normalise/normalise.ts';
import { AlignContext } from './align-context.ts';
import { alignSequential, alignUnordered } from './align.ts';
import { diffSuccess, summariseSuccess, diffSequentialFailure, diffUnorderedFailure } from './build-diff.ts';
import { compileExpected } from './compile-line.ts';
import type { MatchInput, MatchResult } from './types.ts';

export type { MatchInput, MatchResult } from './types.ts';

/**
 * Compares a command's actual output with the expected output (contract §4–5). Both sides are
 * normalised; `...` stands for zero or more lines; volatile tokens match tokens of their class,
 * binding consistently with `input.bindings`; the mode decides how lines align (`exact`,
 * `contains`, `unordered`, `ignore`). When several alignments are possible, one consistent with
 * the bindings is searched for (bounded backtracking between lines); it fails only if none exists.
 * Pure: `input.bindings` is left as it was — adopt `result.bindings` on success.
 */
export function matchOutput(input: MatchInput): MatchResult {
  if (input.mode === 'ignore') return { ok: true, bindings: input.bindings.fork(), made: {}, madePairs: NO_PAIRS, used: {}, diff: [] };
  const exp = compileExpected(input.expected, input.ctx);
  const act = input.normalised ? input.actual : trimBlankLines(normaliseLines(input.actual));
  const originOf = (i: number) => {
    const line = i >= 0 && i < exp.length ? exp.lineAt(i) : 0;
    return input.source ? `${input.source}:${line}` : `line ${line}`;
  };
  const ac = new AlignContext(exp, act, input.bindings.fork(), originOf, input.bindings);
  const ordered = input.mode !== 'unordered';
  const found = ordered ? alignSequential(ac, input.mode === 'contains' ? 'contains' : 'exact') : alignUnordered(ac);
  if (found.ok) {
    const js = found.js;
    const { madePairs, used } = summariseSuccess(ac, input.bindings, js);
    return successResult(ac.bindings, madePairs, used, () => diffSuccess(ac, js, ordered));
  }
  const d = ordered ? diffSequentialFailure(ac, input.bindings, input.mode === 'contains' ? 'contains' : 'exact') : diffUnorderedFailure(ac, input.bindings);
  const reason = found.gaveUp
    ? `gave up searching for an alignment after ${ac.steps} line comparisons; use fewer \`...\` lines or repeated line shapes, or split the block`
    : describeFailure(d.diff, exp.length, act.length, input.mode);
  const madePairs = { examples: Object.keys(d.made), actuals: Object.values(d.made) };
  return { ok: false, bindings: d.bindings, made: d.made, madePairs, used: d.used, diff: d.diff, reason };
}

/**
 * A successful match. Its diff (every line `=` or `~`, with notes) and its record of bindings
 * made are computed on first access: only some callers read them, and each costs as much as the
 * match on large outputs. Both are enumerable own properties that can be set, as plain fields
 * would be; an object literal with accessors keeps that shape without redefining properties
 * one by one.
 */
function successResult(bindings: Bindings, madePairs: BindingPairs, used: Record<string, string>, buildDiff: () => DiffLine[]): MatchResult {
  let made: Record<string, string> | undefined;
  let diff: DiffLine[] | undefined;
  return {
    ok: true,
    bindings,
    madePairs,
    used,
    get made(): Record<string, string> {
      return (made ??= addPairs({}, madePairs));
    },
    set made(v: Record<string, string>) {
      made = v;
    },
    get diff(): DiffLine[] {
      return (diff ??= buildDiff());
    },
    set diff(v: DiffLine[]) {
      diff = v;
    },
  };
}

/** One sentence on a failure, from its diff. */
function describeFailure(diff: readonly DiffLine[], expected: number, actual: number, mode: string): string {
  const missing = diff.filter((l) => l.op === '-').length;
  const extra = diff.filter((l) => l.op === '+').length;
  if (missing === 0 && extra === 0) return `no ${mode} alignment of ${expected} expected lines with ${actual} actual lines agrees with the bindings`;
  const parts: string[] = [];
  if (missing > 0) parts.push(`${missing} expected line${missing === 1 ? '' : 's'} not matched`);
  if (extra > 0) parts.push(`${extra} unexpected actual line${extra === 1 ? '' : 's'}`);
  return parts.join(', ');
}
