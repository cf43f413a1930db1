import { MARKED_CLASS as MARKED, type VolatileClass } from '../normalise/classes.ts';
import { withFlag } from '../normalise/scan-plan.ts';
import type { CompiledLine, LitPart, Part } from './compile-line.ts';

/** An expected volatile token and the actual text it matched. */
export interface Capture {
  /** Index of the part in the compiled line. */
  part: number;
  example: string;
  actual: string;
  cls: VolatileClass;
  /** Span in the actual line. */
  start: number;
  end: number;
  /** `cls.partsOf(example)`, when compiling the line worked it out. */
  exampleParts?: readonly string[] | undefined;
}

/** Whether one expected line matches one actual line, ignoring bindings ("shape"). */
export type LineMatch =
  | { ok: true; caps: Capture[] }
  /**
   * `part` failed (or `parts.length`: the actual line goes on), at `expAt` in the expected line
   * and `at` in the actual one; `space` when a whitespace run was of the wrong kind.
   */
  | { ok: false; part: number; expAt: number; at: number; space?: 'one' | 'wide' };

const NO_CAPTURES: Capture[] = Object.freeze([]) as unknown as Capture[];
const OK_LITERAL: LineMatch = Object.freeze({ ok: true as const, caps: NO_CAPTURES });

/**
 * Matches an actual line against a compiled expected line, left to right and without
 * backtracking inside the line: a literal part must be equal (whitespace runs by kind), a volatile
 * part takes the token of its class that starts there, a `[[…]]` value takes the shortest text
 * after which the next part fits. Bindings are checked by the caller; alternatives are explored
 * between lines (contract §5 rule 5), never within one. Linear in the line's length except after
 * a `[[…]]` value.
 * @param parts `cl.parts`, or the same parts computed for this call only
 */
export function matchLine(cl: CompiledLine, a: string, parts: readonly Part[] = cl.parts): LineMatch {
  let caps: Capture[] | undefined;
  let p = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (part.kind === 'lit') {
      const q = matchLiteral(part.text, a, p);
      if (q < 0) {
        const expAt = part.start + failedExp;
        return failedSpace ? { ok: false, part: k, expAt, at: failedAt, space: failedSpace } : { ok: false, part: k, expAt, at: failedAt };
      }
      p = q;
    } else if (part.kind === 'vol') {
      const re = part.sticky;
      re.lastIndex = p;
      if (!re.test(a) || re.lastIndex === p) return { ok: false, part: k, expAt: part.start, at: p };
      const end = re.lastIndex;
      (caps ??= []).push({ part: k, example: part.text, actual: a.slice(p, end), cls: part.cls, start: p, end, exampleParts: part.parts });
      p = end;
    } else {
      const end = endOfMark(parts, k, a, p);
      if (end < 0) return { ok: false, part: k, expAt: part.start, at: p };
      (caps ??= []).push({ part: k, example: part.text, actual: a.slice(p, end), cls: MARKED, start: p, end });
      p = end;
    }
  }
  if (p !== a.length) return { ok: false, part: parts.length, expAt: cl.text.length, at: p };
  return caps ? { ok: true, caps } : OK_LITERAL;
}

// Where the last failed `matchLiteral` stopped: module state instead of an allocation per call.
let failedExp = 0;
let failedAt = 0;
let failedSpace: 'one' | 'wide' | undefined;

/**
 * Matches literal text `t` at `p` in `a`; returns the end, or -1 (see `failedExp`, `failedAt`).
 * Characters must be equal; a whitespace run matches a run of the same kind (one space, or wide).
 */
export function matchLiteral(t: string, a: string, p: number): number {
  const n = t.length;
  // Fast path: the same text (so the same whitespace), unless a trailing run goes on in `a`.
  if (a.startsWith(t, p)) {
    const last = t.charCodeAt(n - 1);
    const after = a.charCodeAt(p + n);
    if ((last !== 32 && last !== 9) || (after !== 32 && after !== 9)) return p + n;
  }
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c !== 32 && c !== 9) {
      if (a.charCodeAt(p) !== c) return fail(i, p, undefined);
      i++;
      p++;
      continue;
    }
    let e = i;
    let tabE = false;
    for (let ch = c; ch === 32 || ch === 9; ch = t.charCodeAt(++e)) if (ch === 9) tabE = true;
    const wideE = tabE || e - i >= 2;
    let q = p;
    let tabA = false;
    for (let ch = a.charCodeAt(q); ch === 32 || ch === 9; ch = a.charCodeAt(++q)) if (ch === 9) tabA = true;
    if (q === p) return fail(i, p, wideE ? 'wide' : 'one');
    // Before a number, a run of either kind will do: right-aligned columns (`ps`, `ip -s link`,
    // `df`) pad on the left, and a wider value leaves a single space where there were several.
    // The number itself is still compared.
    if ((tabA || q - p >= 2) !== wideE && !(isDigitCode(a.charCodeAt(q)) && (e === n || isDigitCode(t.charCodeAt(e))))) return fail(i, p, wideE ? 'wide' : 'one');
    i = e;
    p = q;
  }
  return p;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function fail(exp: number, at: number, space: 'one' | 'wide' | undefined): number {
  failedExp = exp;
  failedAt = at;
  failedSpace = space;
  return -1;
}

/**
 * End of a `[[…]]` value starting at `p`: the first position after which the next part fits
 * (a lazy match, committed to — no backtracking). A value without whitespace in the example
 * does not take whitespace in the actual line either.
 */
function endOfMark(parts: readonly Part[], k: number, a: string, p: number): number {
  const mark = parts[k]! as Extract<Part, { kind: 'mark' }>;
  let limit = a.length;
  if (!mark.spaced) {
    limit = p;
    for (let ch = a.charCodeAt(limit); limit < a.length && ch !== 32 && ch !== 9; ch = a.charCodeAt(++limit));
  }
  if (limit <= p) return -1;
  const next = parts[k + 1];
  if (!next) return limit === a.length ? limit : -1;
  if (next.kind === 'vol') {
    const scan = withFlag(next.sticky, 'g');
    scan.lastIndex = p + 1;
    const m = scan.exec(a);
    return m && m.index <= limit ? m.index : -1;
  }
  if (next.kind === 'mark') return mark.spaced ? -1 : limit;
  return endBeforeLiteral(next, a, p, limit);
}

function endBeforeLiteral(next: LitPart, a: string, p: number, limit: number): number {
  const ws = next.text.search(/[ \t]/);
  if (ws !== 0) {
    const first = ws < 0 ? next.text : next.text.slice(0, ws);
    for (let q = a.indexOf(first, p + 1); q >= 0 && q <= limit; q = a.indexOf(first, q + 1)) {
      if (matchLiteral(next.text, a, q) >= 0) return q;
    }
    return -1;
  }
  // The next literal starts with whitespace: try the start of each whitespace run.
  for (let q = p + 1; q <= limit && q < a.length; q++) {
    const ch = a.charCodeAt(q);
    const prev = a.charCodeAt(q - 1);
    if ((ch === 32 || ch === 9) && prev !== 32 && prev !== 9 && matchLiteral(next.text, a, q) >= 0) return q;
  }
  return -1;
}
