import type { BindingConflict, BindingInfo } from '../normalise/bindings.ts';
import type { VolatileClass } from '../normalise/classes.ts';
import type { CaptureConflict } from './bind-capture.ts';
import type { CompiledLine } from './compile-line.ts';
import type { Capture, LineMatch } from './match-line.ts';

/**
 * Note for a token matched through its class, e.g.
 * `10.0.0.128 → 10.244.0.7 (IP address, bound earlier at 01-pods.mdx:40)`. Nothing when the
 * actual value is the example itself.
 * @param earlier the binding the token agreed with, when it existed before this token
 * @param here origin of the current line: a binding made on it is not "earlier"
 */
export function describeCapture(cap: Capture, earlier: BindingInfo | undefined, here?: string): string | undefined {
  if (cap.example === cap.actual) return undefined;
  const where = earlier?.origin && earlier.origin !== here ? `, bound earlier at ${earlier.origin}` : '';
  return `${cap.example} → ${cap.actual} (${cap.cls.label}${where})`;
}

/**
 * Explains a binding conflict in one sentence, e.g. `web-5746f499f-x7k2p and web-5746f499f-qzjjq
 * (bound at 02-pods.mdx:12) both matched web-6c5b4d9f7-dd2kq — two example values cannot be the
 * same real object`.
 */
export function describeConflict(cap: Capture, c: CaptureConflict): string {
  const what = c.part !== undefined && c.part !== cap.example ? `${c.example} (in ${cap.example})` : c.example;
  const noun = cap.cls.noun ?? cap.cls.label;
  return c.kind === 'actual-taken' ? describeTaken(what, c, noun) : describeBound(what, c);
}

function describeTaken(what: string, c: Extract<BindingConflict, { kind: 'actual-taken' }>, noun: string): string {
  const cannot = `${what} cannot stand for ${c.actual}:`;
  switch (c.info.how) {
    case 'typed':
      return `${cannot} that ${noun} is typed in the command at ${c.info.origin ?? 'an earlier command'}, so it is written as it really is`;
    case 'pinned':
      return c.info.origin === 'constant'
        ? `${cannot} that ${noun} is the same on every machine, so it is matched literally`
        : `${cannot} that ${noun} is pinned (${c.info.origin ?? 'lab.yaml pin'}), so it is matched literally`;
    case 'computed':
      return `${cannot} that is the value of ${c.other}, computed from ${c.info.origin ?? 'lab.yaml bindings'}`;
    default: {
      const at = c.info.origin ? ` (bound at ${c.info.origin})` : '';
      return `${what} and ${c.other}${at} both matched ${c.actual} — two example values cannot be the same real ${noun} within a step`;
    }
  }
}

function describeBound(what: string, c: Extract<BindingConflict, { kind: 'example-bound' }>): string {
  const at = c.info.origin ? ` at ${c.info.origin}` : '';
  return `${what} was bound to ${c.info.actual}${at}, but here it matched ${c.actual} — an example value stands for the same real value throughout the lab`;
}

/** Says where and how an actual line differs from an expected line it does not match. */
export function describeMismatch(l: CompiledLine, actual: string, m: Extract<LineMatch, { ok: false }>): string {
  const column = m.expAt + 1;
  const got = m.at >= actual.length ? 'the end of the line' : `"${excerpt(actual, m.at)}"`;
  if (m.part >= l.parts.length) return `the actual line goes on after column ${column}: ${got}`;
  const part = l.parts[m.part]!;
  if (part.kind === 'vol') return `column ${column}: expected ${withArticle(part.cls)} like "${part.text}", got ${got}`;
  if (part.kind === 'mark') return `column ${column}: expected a value like "${part.text}" followed by the rest of the line, got ${got}`;
  if (m.space === 'one') return `column ${column}: expected a single space, got ${describeSpace(actual, m.at)}`;
  if (m.space === 'wide') return `column ${column}: expected a run of spaces (two or more, or a tab), got ${describeSpace(actual, m.at)}`;
  // Report whole words: `expected "10.96.0.10", got "10.96.0.11"`, not the first differing digit.
  // The characters of the word before the difference matched, so they sit at the same offsets.
  // In a long word, start a few characters before the difference instead.
  let back = 0;
  while (m.expAt - back > part.start && !/\s/.test(l.text[m.expAt - back - 1]!)) back++;
  const cut = back > 12 ? '…' : '';
  if (cut) back = 6;
  const gotWord = m.at >= actual.length && back === 0 ? 'the end of the line' : `"${cut}${word(actual, m.at - back)}"`;
  return `column ${column - back}: expected "${cut}${word(l.text, m.expAt - back)}", got ${gotWord}`;
}

function describeSpace(a: string, at: number): string {
  let q = at;
  while (a[q] === ' ' || a[q] === '\t') q++;
  if (q === at) return at >= a.length ? 'the end of the line' : `"${excerpt(a, at)}"`;
  if (q - at === 1) return a[at] === '\t' ? 'a tab' : 'a single space';
  return `${q - at} blanks`;
}

function withArticle(cls: VolatileClass): string {
  return (/^[aeiou]/i.test(cls.label) || /^(IP|MAC)\b/.test(cls.label) ? 'an ' : 'a ') + cls.label;
}

/** The word (up to whitespace, at most 24 characters) starting at `at`. */
function word(s: string, at: number): string {
  const end = s.slice(at).search(/\s/);
  return end < 0 ? excerpt(s, at) : excerpt(s.slice(0, at + end), at);
}

/** Up to 24 characters from `at`, with an ellipsis when cut. */
export function excerpt(s: string, at: number): string {
  const piece = s.slice(at, at + 24);
  return at + 24 < s.length ? piece + '…' : piece;
}

/** Length of the common prefix of two strings, whitespace runs compared as one blank. */
export function similarity(a: string, b: string): number {
  const x = a.replace(/\s+/g, ' ');
  const y = b.replace(/\s+/g, ' ');
  let k = 0;
  while (k < x.length && k < y.length && x.charCodeAt(k) === y.charCodeAt(k)) k++;
  return k;
}
