import { matchOutput, type MatchInput, type MatchResult } from '../match/compare.ts';
import { expectedBounds, isElision } from '../match/compile-line.ts';
import type { ExpectedLine } from '../model/block.ts';
import { addBindableExamples, NO_PAIRS } from '../normalise/bindings.ts';
import { normaliseLine } from '../normalise/normalise.ts';
import { tokenizeLine, type NormaliseContext, type Token } from '../normalise/tokenize.ts';

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
export function matchLiteral(input: MatchInput, plain?: PlainLines): MatchResult | undefined {
  if (input.mode !== 'exact' || !input.normalised) return undefined;
  const act = input.actual;
  if (act.length > LITERAL_MATCH_LINES) return undefined;
  // The expected lines as the full match reads them: normalised, without blank lines at either end.
  const expected = input.expected;
  const [start, end] = expectedBounds(expected);
  if (end - start !== act.length) return undefined;
  // Texts first (cheap, and where a drifted output stops), then whether each line is plain text.
  for (let i = 0; i < act.length; i++) if (normaliseLine(expected[start + i]!.text) !== act[i]) return undefined;
  // Whether a line is plain text was most often found when its command was typed ahead (see `addExamplesOf`).
  for (let i = 0; i < act.length; i++) {
    const text = act[i]!;
    if (isElision(text)) return undefined;
    if (!(plain?.get(text) ?? isPlain(tokenizeLine(text, input.ctx, EXPECTED)))) return undefined;
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

/** Whether a line's tokens are all plain text (no volatile token, no `[[…]]` value). */
function isPlain(tokens: readonly Token[]): boolean {
  for (const t of tokens) if (t.cls !== undefined) return false;
  return true;
}

/**
 * Whether expected lines (normalised texts) are plain text, as their tokens showed when their
 * commands were typed ahead: `matchLiteral` then need not tokenize them again. One per run, whose
 * normalise context is one and the same throughout; it forgets everything past a bound.
 */
export class PlainLines {
  readonly #known = new Map<string, boolean>();

  get(text: string): boolean | undefined {
    return this.#known.get(text);
  }

  set(text: string, plain: boolean): void {
    if (this.#known.size >= PLAIN_LINES_KEPT) this.#known.clear();
    this.#known.set(text, plain);
  }
}

const PLAIN_LINES_KEPT = 50_000;

/**
 * `addBindableExamples` of a command's expected lines, for typing ahead, noting in `plain`
 * whether each line of a short output is plain text (a long one `matchLiteral` never reads).
 */
export function addExamplesOf(expected: readonly ExpectedLine[], ctx: NormaliseContext, into: Set<string>, plain?: PlainLines): void {
  const noteIfPlain = plain && expected.length <= LITERAL_MATCH_LINES ? (text: string, tokens: readonly Token[]) => plain.set(text, isPlain(tokens)) : undefined;
  addBindableExamples(expected.map((l) => l.text), ctx, into, noteIfPlain);
}
