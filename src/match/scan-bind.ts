import type { Bindings } from '../normalise/bindings.ts';
import type { VolatileClass } from '../normalise/classes.ts';
import type { ScanSink } from '../normalise/tokenize.ts';
import { bindCapture, type CaptureConflict, type PairListener } from './bind-capture.ts';
import { stickyOf, type CompiledLines } from './compile-line.ts';
import { matchLiteral, type Capture } from './match-line.ts';

/** `scanBindLine`: the line has the shape and every pair bound. */
export const SCAN_BOUND = 1;
/** `scanBindLine`: the line does not have the shape (nothing to say about bindings). */
export const SCAN_MISMATCH = 0;
/** `scanBindLine`: the line has the shape, and a pair conflicted (see `scanConflict`). */
export const SCAN_CONFLICT = -1;

/**
 * Matches expected line `pos` of `exp` against actual line `a` and binds what it captures, in
 * one walk of the tokenizer over the expected line: what `matchLine` on the line's parts and then
 * `bindCapture` on each capture do, without making the parts, the captures or the list of them
 * (a large output is matched line after line, each line once, and those objects were most of
 * what the match allocated). Only for a line without `[[…]]` values and not `...`: see
 * `CompiledLines.keptPartsAt`.
 *
 * It does what the plain way does, in its order: the whole line's shape is checked first (the
 * captured values wait in lists reused from line to line), and only a line with the shape binds,
 * pair after pair, stopping at the first conflict, whose partial bindings are left for the
 * caller to undo, as `bindCapture` leaves them.
 * @param originOf where line `pos`'s bindings come from (asked once, when the line captured values)
 */
export function scanBindLine(exp: CompiledLines, pos: number, a: string, bindings: Bindings, originOf: (pos: number) => string, onPair: PairListener): number {
  st.a = a;
  st.p = 0;
  st.ok = true;
  st.litFrom = -1;
  st.litTo = -1;
  st.part = 0;
  st.caps = 0;
  exp.scanAt(pos, SINK, NO_OUT);
  flushLiteral();
  const ok = st.ok && st.p === a.length;
  const n = st.caps;
  let conflict: CaptureConflict | undefined;
  if (ok && n > 0) {
    const origin = originOf(pos);
    for (let k = 0; k < n && conflict === undefined; k++) {
      cap.part = capPart[k]!;
      cap.example = capExample[k]!;
      cap.actual = capActual[k]!;
      cap.cls = capCls[k]!;
      cap.start = capStart[k]!;
      cap.end = capEnd[k]!;
      cap.exampleParts = capParts[k];
      conflict = bindCapture(bindings, cap, origin, onPair);
    }
  }
  // Nothing of the call is kept past it.
  st.a = st.line = '';
  cap.example = cap.actual = '';
  cap.exampleParts = undefined;
  if (n > MAX_KEPT_CAPTURES) {
    // A huge line's lists are let go rather than kept, emptied, for every later line.
    for (const list of CAPTURE_LISTS) list.length = 0;
  } else if (n > 0) {
    capExample.fill('', 0, n);
    capActual.fill('', 0, n);
    capParts.fill(undefined, 0, n);
  }
  scanConflict = conflict;
  if (!ok) return SCAN_MISMATCH;
  return conflict === undefined ? SCAN_BOUND : SCAN_CONFLICT;
}

/** The conflict of the last `scanBindLine` that returned `SCAN_CONFLICT`. */
export let scanConflict: CaptureConflict | undefined;

/** The state of the walk in progress (a sink holds none of its own; the walk is never nested). */
const st = {
  a: '',
  /** Where the next part must match in `a`. */
  p: 0,
  /** The line still has the shape so far. */
  ok: true,
  /** Literal text not matched yet, `[litFrom, litTo)` of the expected line (-1: none). */
  litFrom: -1,
  litTo: -1,
  /** The index the next part would have among the line's parts (literal runs merged). */
  part: 0,
  /** The expected line (the sink's `s`: the scan of a line without markers is one segment). */
  line: '',
  /** Captures so far, in the lists below. */
  caps: 0,
};

// The captures of the line being matched, as parallel lists reused from line to line.
const capPart: number[] = [];
const capExample: string[] = [];
const capActual: string[] = [];
const capCls: VolatileClass[] = [];
const capStart: number[] = [];
const capEnd: number[] = [];
const capParts: (readonly string[] | undefined)[] = [];
const CAPTURE_LISTS: unknown[][] = [capPart, capExample, capActual, capCls, capStart, capEnd, capParts];
/** Captures of one line past which the lists are not kept for the next line. */
const MAX_KEPT_CAPTURES = 1024;

/** One capture, refilled for every token (`bindCapture` keeps nothing of it). */
const cap: Capture = { part: 0, example: '', actual: '', cls: undefined as unknown as VolatileClass, start: 0, end: 0, exampleParts: undefined };

const NO_OUT: never[] = [];

/**
 * Matches the literal text gathered so far: literal pieces that a pinned value split are one
 * literal part, as `compileParts` merges them (a whitespace run at a piece's end compares
 * differently from one inside a literal).
 */
function flushLiteral(): void {
  if (st.litFrom < 0) return;
  const from = st.litFrom;
  const to = st.litTo;
  st.litFrom = st.litTo = -1;
  st.part++;
  if (!st.ok) return;
  const q = matchLiteral(st.line.slice(from, to), st.a, st.p);
  if (q < 0) st.ok = false;
  else st.p = q;
}

const SINK: ScanSink<never> = {
  literal(_out, s, from, to, offset) {
    if (to <= from) return;
    st.line = s;
    const start = from + offset;
    if (st.litFrom >= 0 && st.litTo === start) {
      st.litTo = to + offset;
    } else {
      flushLiteral();
      st.litFrom = start;
      st.litTo = to + offset;
    }
  },
  token(_out, text, _start, _end, cls, parts) {
    flushLiteral();
    const k = st.part++;
    if (!st.ok) return;
    const re = stickyOf(cls.matcherFor?.(text) ?? cls.pattern);
    const a = st.a;
    const p = st.p;
    re.lastIndex = p;
    if (!re.test(a) || re.lastIndex === p) {
      st.ok = false;
      return;
    }
    const end = re.lastIndex;
    st.p = end;
    const n = st.caps++;
    capPart[n] = k;
    capExample[n] = text;
    capActual[n] = a.slice(p, end);
    capCls[n] = cls;
    capStart[n] = p;
    capEnd[n] = end;
    capParts[n] = parts;
  },
  marker() {
    // Lines with markers are matched from their parts (see `CompiledLines.keptPartsAt`).
    throw new Error('scanBindLine: a line with a [[…]] value has no single scan to match');
  },
};
