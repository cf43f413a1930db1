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
 * One expected line, ready to match actual lines against. Its parts are worked out on first use:
 * a search that visits each line once (one anchored alignment of a large output) takes them with
 * `transientParts` and keeps none, so they die young instead of filling the old generation.
 */
export class CompiledLine {
  /** Position among the compiled lines. */
  readonly index: number;
  /** Source line number. */
  readonly line: number;
  /** Normalised text, `[[…]]` markers included. */
  readonly text: string;
  // Few fields on purpose: an output of a million lines has a million of these, and every one
  // the garbage collector copies costs by its size.
  readonly #env: CompileEnv;
  /** The parts once kept; `ELISION` for a `...` line. */
  #parts: Part[] | undefined;

  constructor(text: string, line: number, index: number, ctx: NormaliseContext, memo?: PartsMemo) {
    this.index = index;
    this.line = line;
    this.text = text;
    this.#env = memo ? memo.env(ctx) : { ctx, memo: undefined };
    if (isElision(text)) this.#parts = ELISION;
  }

  /** A `...` line: zero or more lines. */
  get elision(): boolean {
    return this.#parts === ELISION;
  }

  /** Literal and volatile parts, in order (none for a `...` line). */
  get parts(): Part[] {
    return (this.#parts ??= this.#compile());
  }

  /** The parts, without keeping them when they were not kept already. */
  transientParts(): Part[] {
    return this.#parts ?? this.#compile();
  }

  #compile(): Part[] {
    const { ctx, memo } = this.#env;
    return memo ? memo.partsOf(this.text, ctx) : compileParts(this.text, ctx);
  }

  /** Canonical text of a line without volatile parts (see `canonicalLine`); undefined otherwise. */
  get canon(): string | undefined {
    if (this.elision) return undefined;
    if (canons.has(this)) return canons.get(this);
    const canon = this.parts.every((p) => p.kind === 'lit') ? canonicalLine(this.text) : undefined;
    canons.set(this, canon);
    return canon;
  }
}

/** What compiling a line needs besides its text: one object shared by the lines of a match. */
interface CompileEnv {
  ctx: NormaliseContext;
  memo: PartsMemo | undefined;
}

/** The parts of every `...` line (none); also what marks a line as one. */
const ELISION: Part[] = Object.freeze([]) as unknown as Part[];

/** Canonical texts, worked out for the few searches that look lines up by them (unordered mode). */
const canons = new WeakMap<CompiledLine, string | undefined>();

/**
 * Normalises and compiles expected lines (contract §4): each line is normalised like output,
 * leading and trailing blank lines are dropped, `...` lines become elisions, and the rest are
 * split into literal and volatile parts (on first use).
 */
export function compileExpected(expected: readonly ExpectedLine[], ctx: NormaliseContext): CompiledLine[] {
  // Blank lines at either end go; the lines are normalised as they are read, without an array
  // of their texts (see `normaliseLines`).
  let start = 0;
  let end = expected.length;
  while (start < end && normaliseLine(expected[start]!.text) === '') start++;
  while (end > start && normaliseLine(expected[end - 1]!.text) === '') end--;
  const out = new Array<CompiledLine>(end - start);
  const memo = new PartsMemo();
  for (let k = start; k < end; k++) out[k - start] = new CompiledLine(normaliseLine(expected[k]!.text), expected[k]!.line, k - start, ctx, memo);
  return out;
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
  return new CompiledLine(text, line, index, ctx);
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
  #env: CompileEnv | undefined;
  #seen: Set<string> | undefined = new Set<string>();
  readonly #parts = new Map<string, Part[]>();
  #lookups = 0;
  #repeats = 0;

  /** The lines' shared environment for `ctx` with this memo. */
  env(ctx: NormaliseContext): CompileEnv {
    if (this.#env?.ctx !== ctx) this.#env = { ctx, memo: this };
    return this.#env;
  }

  partsOf(text: string, ctx: NormaliseContext): Part[] {
    const seen = this.#seen;
    // A memo that gave up before keeping anything has nothing to look up (and hashing a long line costs).
    if (!seen) return this.#parts.size === 0 ? compileParts(text, ctx) : (this.#parts.get(text) ?? compileParts(text, ctx));
    const hit = this.#parts.get(text);
    if (++this.#lookups === MEMO_PROBE && this.#repeats * 100 < MEMO_PROBE) this.#seen = undefined;
    if (hit) {
      this.#repeats++;
      return hit;
    }
    const parts = compileParts(text, ctx);
    if (seen.has(text)) {
      this.#repeats++;
      if (this.#parts.size < MEMO_LIMIT) this.#parts.set(text, parts);
    } else if (seen.size < MEMO_LIMIT) {
      seen.add(text);
    }
    return parts;
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

// The last pattern turned sticky and its copy: a match's tokens use a few matchers over and over,
// and a lookup of the copy costs more than this comparison.
let lastPattern: RegExp | undefined;
let lastSticky: RegExp | undefined;

function stickyOf(re: RegExp): RegExp {
  if (re !== lastPattern) {
    lastSticky = withFlag(re, 'y');
    lastPattern = re;
  }
  return lastSticky!;
}

/**
 * A line's text with whitespace runs reduced to their kind: one space stays, a wide run becomes
 * a tab, and any run before a digit becomes one mark. Two lines without volatile tokens match exactly when their canonical texts are equal.
 */
export function canonicalLine(text: string): string {
  // A run before a digit matches a run of either kind (see `matchLiteral`): one canonical form.
  return text.replace(/[ \t]+(\d?)/g, (run, digit: string) => (digit ? `\u0001${digit}` : run === ' ' ? ' ' : '\t'));
}
