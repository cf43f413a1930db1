import type { ExpectedLine } from '../model/block.ts';
import { MARKED_CLASS, type VolatileClass } from '../normalise/classes.ts';
import { normaliseLine } from '../normalise/normalise.ts';
import { withFlag } from '../normalise/scan-plan.ts';
import { scanLine, type NormaliseContext, type ScanSink } from '../normalise/tokenize.ts';

/**
 * Literal text: must be equal, except that whitespace runs compare by kind — one space, or a
 * "wide" run holding a tab or two or more spaces, equal to any other wide run (contract §4).
 */
export interface LitPart {
  kind: 'lit';
  /** Offset in the expected line. */
  start: number;
  text: string;
}

/** A volatile token: the actual text there must be a token of the same class. */
export interface VolPart {
  kind: 'vol';
  start: number;
  text: string;
  cls: VolatileClass;
  /** Sticky matcher for the actual token at a position (its `g` copy finds the next one, after a `[[…]]` value). */
  sticky: RegExp;
  /** `cls.partsOf(text)`, when the tokenizer worked it out (it does while pins are checked). */
  parts?: readonly string[] | undefined;
}

/** An author's `[[…]]` value: any non-empty text up to where the rest of the line fits. */
export interface MarkPart {
  kind: 'mark';
  start: number;
  text: string;
  /** The example value holds whitespace, so the actual one may too. */
  spaced: boolean;
}

export type Part = LitPart | VolPart | MarkPart;

/**
 * One expected line, ready to match actual lines against: a view of one line of its
 * `CompiledLines`, made when asked for. Its parts are worked out on first use: a search that
 * visits each line once (one anchored alignment of a large output) takes them with
 * `transientParts` and keeps none, so they die young instead of filling the old generation.
 */
export class CompiledLine {
  readonly #owner: CompiledLines;
  readonly #pos: number;

  constructor(owner: CompiledLines, pos: number) {
    this.#owner = owner;
    this.#pos = pos;
  }

  /** Position among the compiled lines. */
  get index(): number {
    return this.#owner.base + this.#pos;
  }

  /** Source line number. */
  get line(): number {
    return this.#owner.lineAt(this.#pos);
  }

  /** Normalised text, `[[…]]` markers included. */
  get text(): string {
    return this.#owner.textAt(this.#pos);
  }

  /** A `...` line: zero or more lines. */
  get elision(): boolean {
    return this.#owner.elisionAt(this.#pos);
  }

  /** Literal and volatile parts, in order (none for a `...` line). */
  get parts(): Part[] {
    return this.#owner.partsAt(this.#pos);
  }

  /** The parts, without keeping them when they were not kept already. */
  transientParts(): Part[] {
    return this.#owner.transientPartsAt(this.#pos);
  }

  /** Canonical text of a line without volatile parts (see `canonicalLine`); undefined otherwise. */
  get canon(): string | undefined {
    return this.#owner.canonAt(this.#pos);
  }
}

/**
 * The compiled expected lines of a match, as a list (`length`, `at`, and the array methods the
 * alignment uses). It keeps no object per line: texts and line numbers are read from the
 * expected lines it was made from (a text that normalising changed is kept in a copy), and a
 * line's `CompiledLine` is made when asked for. An output of a million lines used to keep a
 * million objects alive for the whole match, and the garbage collector copied every one.
 */
export class CompiledLines implements Iterable<CompiledLine> {
  /** Number of lines. */
  readonly length: number;
  /** `index` of the first line (0, except for a line compiled on its own). */
  readonly base: number;
  readonly #src: readonly ExpectedLine[];
  /** Offset of the first line in `#src`. */
  readonly #start: number;
  /** The normalised texts, once one differs from its source line's text. */
  #texts: string[] | undefined;
  /** 1 for a `...` line. */
  readonly #elision: Uint8Array;
  readonly #ctx: NormaliseContext;
  readonly #memo: PartsMemo | undefined;
  /** Parts kept for lines (see `partsAt`). */
  #kept: Map<number, Part[]> | undefined;
  /** Canonical texts worked out (see `canonAt`). */
  #canons: Map<number, string | undefined> | undefined;

  constructor(src: readonly ExpectedLine[], start: number, end: number, ctx: NormaliseContext, memo: PartsMemo | undefined, base = 0) {
    this.#src = src;
    this.#start = start;
    this.length = end - start;
    this.base = base;
    this.#ctx = ctx;
    this.#memo = memo;
    this.#elision = new Uint8Array(this.length);
    for (let k = 0; k < this.length; k++) {
      const raw = src[start + k]!.text;
      const text = normaliseLine(raw);
      if (text !== raw) {
        // The first changed text: from here on texts are read from a copy.
        this.#texts ??= src.slice(start, start + k).map((l) => l.text);
      }
      if (this.#texts) this.#texts[k] = text;
      if (isElision(text)) this.#elision[k] = 1;
    }
  }

  /** Line `pos`, or undefined past the end (as `Array.prototype.at`, without negative positions). */
  at(pos: number): CompiledLine | undefined {
    return pos >= 0 && pos < this.length ? new CompiledLine(this, pos) : undefined;
  }

  /** Source line number of line `pos`. */
  lineAt(pos: number): number {
    return this.#src[this.#start + pos]!.line;
  }

  /** Normalised text of line `pos`. */
  textAt(pos: number): string {
    return this.#texts ? this.#texts[pos]! : this.#src[this.#start + pos]!.text;
  }

  /** Whether line `pos` is a `...` line. */
  elisionAt(pos: number): boolean {
    return this.#elision[pos] === 1;
  }

  /** Whether any line is a `...` line. */
  get hasElision(): boolean {
    return this.#elision.includes(1);
  }

  /** The parts of line `pos`, kept for the next call (none for a `...` line). */
  partsAt(pos: number): Part[] {
    if (this.#elision[pos] === 1) return ELISION;
    let parts = this.#kept?.get(pos);
    if (parts === undefined) (this.#kept ??= new Map()).set(pos, (parts = this.#compile(pos)));
    return parts;
  }

  /** The parts of line `pos`, without keeping them when they were not kept already. */
  transientPartsAt(pos: number): Part[] {
    if (this.#elision[pos] === 1) return ELISION;
    return this.#kept?.get(pos) ?? this.#compile(pos);
  }

  #compile(pos: number): Part[] {
    const text = this.textAt(pos);
    return this.#memo ? this.#memo.partsOf(text, this.#ctx) : compileParts(text, this.#ctx);
  }

  /**
   * The parts of line `pos` when they are kept (on the line or in the memo of repeated texts, which
   * counts this as a sighting of the text, as `transientPartsAt` would), or undefined: then the
   * line is matched straight from its scan (see `scanAt`), and no parts are made for it.
   */
  keptPartsAt(pos: number): Part[] | undefined {
    if (this.#elision[pos] === 1) return ELISION;
    const kept = this.#kept?.get(pos);
    if (kept !== undefined) return kept;
    const text = this.textAt(pos);
    // A line with a `[[…]]` value needs its parts: the value's end depends on the next part.
    if (text.includes('[[')) return this.#compile(pos);
    return this.#memo ? this.#memo.partsIfKept(text, this.#ctx) : undefined;
  }

  /** Scans line `pos` with the tokenizer (see `scanLine`), as compiling its parts does. */
  scanAt<T>(pos: number, sink: ScanSink<T>, out: T[]): void {
    scanLine(this.textAt(pos), this.#ctx, true, sink, out);
  }

  /** Canonical text of line `pos` when it has no volatile parts (see `canonicalLine`); undefined otherwise. */
  canonAt(pos: number): string | undefined {
    if (this.#elision[pos] === 1) return undefined;
    const canons = (this.#canons ??= new Map());
    if (canons.has(pos)) return canons.get(pos);
    const canon = this.partsAt(pos).every((p) => p.kind === 'lit') ? canonicalLine(this.textAt(pos)) : undefined;
    canons.set(pos, canon);
    return canon;
  }

  *[Symbol.iterator](): Iterator<CompiledLine> {
    for (let k = 0; k < this.length; k++) yield new CompiledLine(this, k);
  }

  some(test: (l: CompiledLine, pos: number) => boolean): boolean {
    for (let k = 0; k < this.length; k++) if (test(new CompiledLine(this, k), k)) return true;
    return false;
  }

  filter(test: (l: CompiledLine, pos: number) => boolean): CompiledLine[] {
    const out: CompiledLine[] = [];
    for (let k = 0; k < this.length; k++) {
      const l = new CompiledLine(this, k);
      if (test(l, k)) out.push(l);
    }
    return out;
  }

  map<T>(fn: (l: CompiledLine, pos: number) => T): T[] {
    const out = new Array<T>(this.length);
    for (let k = 0; k < this.length; k++) out[k] = fn(new CompiledLine(this, k), k);
    return out;
  }

  forEach(fn: (l: CompiledLine, pos: number) => void): void {
    for (let k = 0; k < this.length; k++) fn(new CompiledLine(this, k), k);
  }
}

/** The parts of every `...` line (none). */
const ELISION: Part[] = Object.freeze([]) as unknown as Part[];

/**
 * Normalises and compiles expected lines (contract §4): each line is normalised like output,
 * leading and trailing blank lines are dropped, `...` lines become elisions, and the rest are
 * split into literal and volatile parts (on first use).
 */
export function compileExpected(expected: readonly ExpectedLine[], ctx: NormaliseContext): CompiledLines {
  const [start, end] = expectedBounds(expected);
  return new CompiledLines(expected, start, end, ctx, new PartsMemo());
}

/** Where the expected lines that count start and end: blank lines (once normalised) at either end do not. */
export function expectedBounds(expected: readonly ExpectedLine[]): [start: number, end: number] {
  let start = 0;
  let end = expected.length;
  while (start < end && normaliseLine(expected[start]!.text) === '') start++;
  while (end > start && normaliseLine(expected[end - 1]!.text) === '') end--;
  return [start, end];
}

/** Whether a line is `...` with only whitespace around it (as `text.trim() === '...'`, without making a string). */
export function isElision(text: string): boolean {
  const at = text.indexOf('...');
  if (at < 0 || text.length - at < 3) return false;
  for (let k = 0; k < at; k++) if (!isTrimmed(text.charCodeAt(k))) return false;
  for (let k = at + 3; k < text.length; k++) if (!isTrimmed(text.charCodeAt(k))) return false;
  return true;
}

// What String.prototype.trim removes: white space and line terminators (ECMA-262 §22.1.3.32).
const TRIMMED = new Set([...' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'].map((c) => c.charCodeAt(0)));

function isTrimmed(c: number): boolean {
  return c === 32 || c === 9 || (c > 127 || c < 32 ? TRIMMED.has(c) : false);
}

/** Compiles one normalised expected line. */
export function compileLine(text: string, line: number, index: number, ctx: NormaliseContext): CompiledLine {
  return new CompiledLines([{ text, line }], 0, 1, ctx, undefined, index).at(0)!;
}

/** Distinct line texts a memo remembers (seen once, and with parts): bounds its memory. */
const MEMO_LIMIT = 50_000;
/** Lines after which a memo that found (almost) no repeated text stops looking. */
const MEMO_PROBE = 4096;

/**
 * Parts of the expected lines of one match, shared between lines of the same text: a listing
 * that repeats (a watch, the same chains on every line) is tokenized once per distinct line. A
 * text is kept only from its second occurrence, so outputs of unique lines keep no parts alive,
 * and a memo that has seen few repeats in its first lines gives up (remembering costs a little
 * for every line). Parts are never changed after they are made, so sharing them is safe.
 */
class PartsMemo {
  #seen: Set<string> | undefined = new Set<string>();
  readonly #parts = new Map<string, Part[]>();
  #lookups = 0;
  #repeats = 0;

  partsOf(text: string, ctx: NormaliseContext): Part[] {
    return this.partsIfKept(text, ctx) ?? compileParts(text, ctx);
  }

  /**
   * `partsOf`, except that a text whose parts would not be kept gets none (undefined): the
   * caller that can do without them then makes none.
   */
  partsIfKept(text: string, ctx: NormaliseContext): Part[] | undefined {
    const seen = this.#seen;
    // A memo that gave up before keeping anything has nothing to look up (and hashing a long line costs).
    if (!seen) return this.#parts.size === 0 ? undefined : this.#parts.get(text);
    const hit = this.#parts.get(text);
    if (++this.#lookups === MEMO_PROBE && this.#repeats * 100 < MEMO_PROBE) this.#seen = undefined;
    if (hit) {
      this.#repeats++;
      return hit;
    }
    if (seen.has(text)) {
      this.#repeats++;
      const parts = compileParts(text, ctx);
      if (this.#parts.size < MEMO_LIMIT) this.#parts.set(text, parts);
      return parts;
    }
    if (seen.size < MEMO_LIMIT) seen.add(text);
    return undefined;
  }
}
/** Splits a normalised expected line into literal parts, volatile tokens and `[[…]]` values. */
export function compileParts(text: string, ctx: NormaliseContext): Part[] {
  const parts: Part[] = [];
  scanLine(text, ctx, true, PART_SINK, parts);
  return parts;
}

/**
 * Makes compiled parts straight from the tokenizer's scan (see `ScanSink`), as `compileParts`
 * once did from `tokenizeLine`'s tokens: literal text merged where a pinned value split it, a
 * token's class and matcher, a marker's value.
 */
const PART_SINK: ScanSink<Part> = {
  literal(out, s, from, to, offset) {
    if (to <= from) return;
    const last = out[out.length - 1];
    const start = from + offset;
    if (last !== undefined && last.kind === 'lit' && last.start + last.text.length === start) {
      last.text += s.slice(from, to);
    } else {
      out.push({ kind: 'lit', start, text: s.slice(from, to) });
    }
  },
  token(out, text, start, _end, cls, parts) {
    const re = cls.matcherFor?.(text) ?? cls.pattern;
    out.push({ kind: 'vol', start, text, cls, sticky: stickyOf(re), parts });
  },
  marker(out, value, start) {
    out.push({ kind: 'mark', start, text: value, spaced: /\s/.test(value) });
  },
};

// The last few patterns turned sticky and their copies: a match's tokens use a few matchers over
// and over (a listing's lines alternate between several classes), and a lookup of the copy costs
// more than comparing a few references. Replaced round-robin.
const RECENT = 8;
const recentPatterns: (RegExp | undefined)[] = new Array<RegExp | undefined>(RECENT).fill(undefined);
const recentSticky: (RegExp | undefined)[] = new Array<RegExp | undefined>(RECENT).fill(undefined);
let nextRecent = 0;

/** The sticky copy of a token's matcher (see `withFlag`). */
export function stickyOf(re: RegExp): RegExp {
  for (let k = 0; k < RECENT; k++) if (recentPatterns[k] === re) return recentSticky[k]!;
  const sticky = withFlag(re, 'y');
  recentPatterns[nextRecent] = re;
  recentSticky[nextRecent] = sticky;
  nextRecent = (nextRecent + 1) % RECENT;
  return sticky;
}

/**
 * A line's text with whitespace runs reduced to their kind: one space stays, a wide run becomes
 * a tab, and any run before a digit becomes one mark. Two lines without volatile tokens match exactly when their canonical texts are equal.
 */
export function canonicalLine(text: string): string {
  // A run before a digit matches a run of either kind (see `matchLiteral`): one canonical form.
  return text.replace(/[ \t]+(\d?)/g, (run, digit: string) => (digit ? `\u0001${digit}` : run === ' ' ? ' ' : '\t'));
}
