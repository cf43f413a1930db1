import { matchOutput, type MatchInput, type MatchResult } from '../match/compare.ts';
import { compileExpected } from '../match/compile-line.ts';
import type { ExpectedLine } from '../model/block.ts';
import { addBindableExamples, NO_PAIRS } from '../normalise/bindings.ts';
import { findClass } from '../normalise/classes.ts';
import { normaliseLine } from '../normalise/normalise.ts';
import { tokenizeLineShared, type NormaliseContext } from '../normalise/tokenize.ts';

/** Outputs longer than this always take the full match (see `matchLiteral`). */
export const LITERAL_MATCH_LINES = 64;

/**
 * The match of an output that is, line for line, the very text of its expected lines, when
 * those lines are plain text: no `...`, no volatile token, no `[[…]]` value (pinned values are
 * plain text). Such a match cannot fail and cannot bind or use a value, so it gives what
 * `matchOutput` gives — success, the bindings as they were, nothing made or used — without
 * searching for an alignment. Anything else (another mode, a line that differs in any way,
 * a line with something to bind) gives undefined, and the caller runs `matchOutput`. Only short
 * outputs are tried: a long one would be read twice whenever one late line is not plain text.
 * The diff of the success, which the runner never reads, is `matchOutput`'s own, made if read.
 */
export function matchLiteral(input: MatchInput): MatchResult | undefined {
  if (input.mode !== 'exact' || !input.normalised) return undefined;
  const act = input.actual;
  if (act.length > LITERAL_MATCH_LINES) return undefined;
  const exp = compileExpected(input.expected, input.ctx);
  if (exp.length !== act.length) return undefined;
  // Texts first (cheap, and where a drifted output stops), then whether each line is plain text.
  for (let i = 0; i < act.length; i++) if (exp.textAt(i) !== act[i]) return undefined;
  // Each line's tokens are the ones read when the command was typed ahead (see `addExamplesOf`).
  for (let i = 0; i < act.length; i++) {
    if (exp.elisionAt(i)) return undefined;
    for (const t of tokenizeLineShared(exp.textAt(i), input.ctx, EXPECTED)) if (t.cls !== undefined) return undefined;
  }
  let diff: MatchResult['diff'] | undefined;
  return {
    ok: true,
    bindings: input.bindings.fork(),
    madePairs: NO_PAIRS,
    made: {},
    used: {},
    get diff() {
      return (diff ??= matchOutput(input).diff);
    },
    set diff(v) {
      diff = v;
    },
  };
}

const EXPECTED = { expected: true };

/**
 * `addBindableExamples` of a command's expected lines, for typing ahead. The lines of a short
 * output are tokenized through the shared memo, where `matchLiteral` finds them again when the
 * output comes; a long one is tokenized without it, as `matchLiteral` never reads it.
 */
export function addExamplesOf(expected: readonly ExpectedLine[], ctx: NormaliseContext, into: Set<string>): void {
  if (expected.length > LITERAL_MATCH_LINES) {
    addBindableExamples(expected.map((l) => l.text), ctx, into);
    return;
  }
  for (const line of expected) {
    for (const t of tokenizeLineShared(normaliseLine(line.text), ctx, EXPECTED)) {
      if (t.cls === undefined) continue;
      const cls = findClass(ctx.classes, t.cls);
      if (!cls?.bind) continue;
      into.add(t.text);
      for (const part of cls.partsOf?.(t.text) ?? []) into.add(part);
    }
  }
}
