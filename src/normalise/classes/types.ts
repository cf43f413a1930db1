/**
 * A kind of value that differs from run to run (contract §5): IP addresses, ages, pod names…
 * The tokenizer finds them with `pattern`; the matcher lets an expected token of a class match any
 * actual token of the same class, and binds the two when `bind` is set.
 */
export interface VolatileClass {
  /** Stable id, used in records and on pages, e.g. `ipv4`. */
  name: string;
  /** Human name for tooltips and diff notes, e.g. "IP address". */
  label: string;
  /**
   * Finds tokens of this class in a line. Built-in patterns guard both ends (look-behind and
   * look-ahead) so a token never starts or ends inside a longer word, and are written so one search
   * is linear in the line's length (no nested unbounded quantifiers).
   */
  pattern: RegExp;
  /** Whether an example value is bound to the actual value it matched (false for ages, durations, timestamps). */
  bind: boolean;
  /**
   * The pattern an actual token must match where `example` stands, when it is narrower than
   * `pattern` — e.g. a generated name keeps its stem (`website-…`), a chain hash its `KUBE-SEP-`
   * prefix, and a suffix that happens to have no digit is still accepted once the stem is known.
   * @default pattern
   */
  matcherFor?(example: string): RegExp;
  /**
   * Parts of a token that are bound on their own as well, in a fixed order so an example's parts
   * pair with the actual token's: a pod name's ReplicaSet hash, an address without its `:port`.
   */
  partsOf?(token: string): readonly string[];
  /**
   * A cheap necessary condition: a line that does not contain this string (or match this
   * RegExp, or pass this test) holds no token of the class, so the tokenizer skips the search.
   * Only searched classes (those without `starts`) need it; `starts` is checked per offset.
   */
  hint?: string | RegExp | ((line: string) => boolean);
  /**
   * Where a token of the class can start. With it, the tokenizer walks the line once for all such
   * classes and tries `pattern` (anchored) only at offsets that pass, instead of searching the line
   * once per class. It must be a necessary condition: wherever `pattern` matches, `starts` accepts
   * (test/normalise/tokenize-equivalence.test.ts checks this for the built-ins). Classes without it are searched.
   */
  starts?: TokenStarts;
  /** Word for conflict notes: "two example values cannot stand for the same real <noun>". @default label */
  noun?: string;
}

/**
 * A necessary condition for a token of a class to start at an offset (see `VolatileClass.starts`),
 * in three parts of increasing cost: its first two characters, the character before it, a test.
 * @example { pairs: [['0123456789', '0123456789.-']], notAfter: '.-', test: (line, q) => … }
 */
export interface TokenStarts {
  /**
   * The first two characters: a token starts with a character of a pair's first set followed by
   * one of its second set (ASCII only; a non-ASCII second character always passes, and so does
   * the end of the line).
   */
  pairs: readonly (readonly [first: string, second: string])[];
  /** Characters a token never follows, besides word characters (`[A-Za-z0-9_]`). */
  notAfter?: string;
  /** Whether a token can start right after a word character. @default false */
  afterWord?: boolean;
  /** A further check at offset `q`, where the characters passed `pairs` and `notAfter`. */
  test?(line: string, q: number): boolean;
}
