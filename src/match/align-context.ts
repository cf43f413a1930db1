import type { Bindings } from '../normalise/bindings.ts';
import { bindCapture, type CaptureConflict, type PairListener } from './bind-capture.ts';
import type { CompiledLines, Part } from './compile-line.ts';
import { matchLine, type LineMatch } from './match-line.ts';
import { SCAN_CONFLICT, SCAN_MISMATCH, scanBindLine, scanConflict } from './scan-bind.ts';

/**
 * Shared state of an alignment search: the lines, the working bindings, a cache of line-shape
 * matches (which do not depend on bindings, so each pair is matched at most once), a
 * fingerprint of the bindings made so far (for memoising failures), and a step budget.
 */
export class AlignContext {
  readonly exp: CompiledLines;
  readonly act: readonly string[];
  readonly bindings: Bindings;
  /** Source of line `i`'s bindings, e.g. `02-services.mdx:48`. */
  readonly originOf: (i: number) => string;
  /** XOR of hashes of the pairs bound since the search began, in two 32-bit halves. */
  fpA = 0;
  fpB = 0;
  /** Line comparisons so far; the search gives up past `budget`. */
  steps = 0;
  readonly budget: number;
  /**
   * Cache line-shape matches. A search with a single possible alignment turns it off: nothing
   * would be reused, and a large output would fill memory for nothing.
   */
  caching = true;
  /** When set, `bindLine` records here the input bindings it relied on (valid when the search cannot backtrack). */
  usedLog: Record<string, string> | undefined;
  /** The bindings the match started from. */
  readonly input: Bindings | undefined;
  /** The last `bindLine` that failed, with its conflict. */
  lastConflict: { i: number; j: number; conflict: CaptureConflict } | undefined;
  /** Keep `fpA`/`fpB` up to date (only a search that memoises needs them). */
  fingerprinting = true;
  readonly #onPair: PairListener = (example, actual, made, inherited) => {
    if (made) {
      if (this.fingerprinting) this.#toggle(example, actual);
    } else if (this.usedLog && (this.#inheritsInput ? inherited : this.input?.has(example))) {
      this.usedLog[example] = actual;
    }
  };
  /**
   * The working bindings are a fork of `input` that neither has written to, so a pair the fork
   * inherited is exactly a pair `input` holds (what `usedLog` records), without looking it up there.
   */
  readonly #inheritsInput: boolean;
  readonly #cache = new Map<number, LineMatch>();
  #lastLine = -1;
  #lastParts: readonly Part[] = [];
  readonly #stride: number;

  constructor(exp: CompiledLines, act: readonly string[], bindings: Bindings, originOf: (i: number) => string, input?: Bindings) {
    this.input = input;
    this.#inheritsInput = input !== undefined && bindings.inheritsFrom(input);
    this.exp = exp;
    this.act = act;
    this.bindings = bindings;
    this.originOf = originOf;
    this.#stride = act.length + 1;
    this.budget = 200_000 + 20 * (exp.length + act.length);
  }

  /**
   * Whether expected line `i` has the shape of actual line `j` (bindings aside).
   * @param keep cache the result (a diff that probes many pairs once passes false, to bound memory)
   */
  shape(i: number, j: number, keep = true): LineMatch {
    // A search that does not cache looks nothing up (a key past 2^31 is a heap number to make and hash).
    const cached = this.#cache.size > 0;
    let m = cached ? this.#cache.get(i * this.#stride + j) : undefined;
    if (m === undefined) {
      this.steps++;
      m = matchLine(this.exp.at(i)!, this.act[j]!, this.#partsOf(i));
      if (keep && this.caching) this.#cache.set(i * this.#stride + j, m);
    }
    return m;
  }

  /**
   * Binds the captures of a matching pair into the working bindings. On a conflict, returns false
   * and leaves partial bindings for the caller to `undo`; `lastConflict` says why.
   */
  bindLine(i: number, j: number): boolean {
    // A search that keeps no parts matches a line from its scan unless its parts are kept anyway.
    if (!this.caching && this.#lastLine !== i) {
      const kept = this.exp.keptPartsAt(i);
      if (kept === undefined) return this.#scanBind(i, j);
      this.#lastParts = kept;
      this.#lastLine = i;
    }
    const m = this.shape(i, j);
    if (!m.ok) return false;
    this.steps++;
    const caps = m.caps;
    if (caps.length === 0) return true;
    const origin = this.originOf(i);
    for (let k = 0; k < caps.length; k++) {
      const conflict = bindCapture(this.bindings, caps[k]!, origin, this.#onPair);
      if (conflict) {
        this.lastConflict = { i, j, conflict };
        return false;
      }
    }
    return true;
  }

  /** `bindLine` in one walk over the expected line (see `scanBindLine`), counting the same steps. */
  #scanBind(i: number, j: number): boolean {
    this.steps++;
    const r = scanBindLine(this.exp, i, this.act[j]!, this.bindings, this.originOf, this.#onPair);
    if (r === SCAN_MISMATCH) return false;
    this.steps++;
    if (r === SCAN_CONFLICT) {
      this.lastConflict = { i, j, conflict: scanConflict! };
      return false;
    }
    return true;
  }

  /**
   * The parts of expected line `i`: kept on the line while caching; otherwise computed for the
   * moment, remembering only the last line's (a line is shaped, then bound, right after).
   */
  #partsOf(i: number): readonly Part[] {
    if (this.caching) return this.exp.partsAt(i);
    if (this.#lastLine !== i) {
      this.#lastParts = this.exp.transientPartsAt(i);
      this.#lastLine = i;
    }
    return this.#lastParts;
  }

  get exhausted(): boolean {
    return this.steps > this.budget;
  }

  #toggle(example: string, actual: string): void {
    const s = example + '\u0000' + actual;
    this.fpA ^= hash32(s, 0x811c9dc5);
    this.fpB ^= hash32(s, 0x01000193);
  }
}

/** FNV-1a, 32 bits, with a seed. */
export function hash32(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A well-mixed 32-bit hash of an integer (for fingerprints of sets of line numbers). */
export function hashInt(n: number, seed: number): number {
  let h = Math.imul(n ^ seed, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
