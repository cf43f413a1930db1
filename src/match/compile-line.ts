import type { ExpectedLine } from '../model/block.ts';
import { MARKED_CLASS, type VolatileClass } from '../normalise/classes.ts';
import { normaliseLine } from '../normalise/normalise.ts';
import { tokenizeLine, type NormaliseContext } from '../normalise/tokenize.ts';

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
  /** Sticky matcher for the actual token at a position. */
  sticky: RegExp;
  /** Global matcher, to find the next such token (after a `[[…]]` value). */
  scan: RegExp;
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

/** One expected line, ready to match actual lines against. */
export interface CompiledLine {
  /** Position among the compiled lines. */
  index: number;
  /** Source line number. */
  line: number;
  /** Normalised text, `[[…]]` markers included. */
  text: string;
  /** A `...` line: zero or more lines. */
  elision: boolean;
  parts: Part[];
  /** Canonical text of a line without volatile parts (see `canonicalLine`); undefined otherwise. */
  canon: string | undefined;
}

/**
 * Normalises and compiles expected lines (contract §4): each line is normalised like output,
 * leading and trailing blank lines are dropped, `...` lines become elisions, and the rest are
 * split into literal and volatile parts.
 */
export function compileExpected(expected: readonly ExpectedLine[], ctx: NormaliseContext): CompiledLine[] {
  const texts = expected.map((l) => normaliseLine(l.text));
  let start = 0;
  let end = texts.length;
  while (start < end && texts[start] === '') start++;
  while (end > start && texts[end - 1] === '') end--;
  const out: CompiledLine[] = [];
  for (let k = start; k < end; k++) out.push(compileLine(texts[k]!, expected[k]!.line, out.length, ctx));
  return out;
}

/** Compiles one normalised expected line. */
export function compileLine(text: string, line: number, index: number, ctx: NormaliseContext): CompiledLine {
  if (text.trim() === '...') return { index, line, text, elision: true, parts: [], canon: undefined };
  const parts: Part[] = [];
  let volatile = false;
  for (const t of tokenizeLine(text, ctx, { expected: true })) {
    if (t.marked) {
      volatile = true;
      parts.push({ kind: 'mark', start: t.start, text: t.text, spaced: /\s/.test(t.text) });
    } else if (t.cls !== undefined) {
      const cls = ctx.classes.find((c) => c.name === t.cls) ?? MARKED_CLASS;
      volatile = true;
      const re = cls.matcherFor?.(t.text) ?? cls.pattern;
      parts.push({ kind: 'vol', start: t.start, text: t.text, cls, sticky: stickyOf(re), scan: globalOf(re) });
    } else {
      parts.push({ kind: 'lit', start: t.start, text: t.text });
    }
  }
  return { index, line, text, elision: false, parts, canon: volatile ? undefined : canonicalLine(text) };
}

/**
 * A line's text with whitespace runs reduced to their kind: one space stays, a wide run becomes
 * a tab. Two lines without volatile tokens match exactly when their canonical texts are equal.
 */
export function canonicalLine(text: string): string {
  return text.replace(/[ \t]+/g, (run) => (run === ' ' ? ' ' : '\t'));
}

const stickies = new WeakMap<RegExp, RegExp>();
const globals = new WeakMap<RegExp, RegExp>();

function stickyOf(re: RegExp): RegExp {
  let s = stickies.get(re);
  if (!s) stickies.set(re, (s = new RegExp(re.source, re.flags.replace(/[gy]/g, '') + 'y')));
  return s;
}

function globalOf(re: RegExp): RegExp {
  let s = globals.get(re);
  if (!s) globals.set(re, (s = new RegExp(re.source, re.flags.replace(/[gy]/g, '') + 'g')));
  return s;
}
