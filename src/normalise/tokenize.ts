import { MARKED_CLASS, type VolatileClass } from './classes.ts';
import { planOf, withFlag, type ScanPlan } from './scan-plan.ts';

/** What the tokenizer needs to know about a lab: its classes and the values it pins. */
export interface NormaliseContext {
  /** Volatile classes, in priority order (see `buildClasses`). */
  classes: VolatileClass[];
  /** Values that must appear literally (lab.yaml `pin`): never volatile. */
  pins: ReadonlySet<string>;
}

/** A piece of a line: literal text, or a volatile value (`cls` set). Spans cover the line in order. */
export interface Token {
  /** The token's text; for a `[[…]]` marker, the value without its brackets. */
  text: string;
  /** Offsets in the line, end exclusive; a marker's span includes its brackets. */
  start: number;
  end: number;
  /** Volatile class name (`marked` for an author's marker); absent for literal text. */
  cls?: string;
  /** Set on an author's `[[…]]` marker. */
  marked?: boolean;
}

export interface TokenizeOptions {
  /**
   * The line is expected output written by an author, so `[[…]]` markers are honoured.
   * Actual output never has markers: there `[[` is just text.
   * @default false
   */
  expected: boolean;
}

/**
 * Splits a line into literal text and volatile tokens (contract §5). Pure, deterministic and
 * linear in the line's length for the built-in classes: each class is searched forward once
 * (a search is re-run only past a token another class took), and every built-in pattern rejects
 * a start inside a word in constant time.
 *
 * Where tokens of several classes overlap, the one starting first wins, then the longer, then the
 * class listed first. A token that is pinned (or whose bound part, like the address of
 * `10.96.0.10:53`, is pinned) stays literal.
 * @example tokenizeLine('web 10.0.0.128 18s', ctx) // literal 'web ', ipv4 '10.0.0.128', ' ', age '18s'
 */
export function tokenizeLine(line: string, ctx: NormaliseContext, opts?: TokenizeOptions): Token[] {
  const out: Token[] = [];
  scanLine(line, ctx, opts?.expected === true, TOKEN_SINK, out);
  return out;
}

/**
 * What `scanLine` reports, in line order, into the caller's `out`: literal text, volatile tokens
 * and `[[…]]` markers. `tokenizeLine` makes `Token`s of them; the matcher makes its compiled parts
 * directly, without a token object in between. A sink holds no state of its own (one instance
 * serves every call), so it must not scan again from inside a method.
 */
export interface ScanSink<T> {
  /** Literal text `s[from, to)`, which starts at `from + offset` in the line. */
  literal(out: T[], s: string, from: number, to: number, offset: number): void;
  /**
   * A volatile token `text` spanning `start` to `end` in the line, of class `cls` — the first
   * class of the context with the token's class name, as a lookup by name finds it; `parts` is
   * `cls.partsOf(text)` when the scan worked it out (undefined: not worked out, or no `partsOf`).
   */
  token(out: T[], text: string, start: number, end: number, cls: VolatileClass, parts: readonly string[] | undefined): void;
  /** An author's `[[value]]`, spanning `start` to `end` (brackets included). */
  marker(out: T[], value: string, start: number, end: number): void;
}

/**
 * The one walk `tokenizeLine` does, reported to `sink` (see `ScanSink`): whatever a sink builds
 * comes from the same scan, so it cannot disagree with the tokens.
 */
export function scanLine<T>(line: string, ctx: NormaliseContext, expected: boolean, sink: ScanSink<T>, out: T[]): void {
  if (!expected || !line.includes('[[')) {
    scanSegment(line, 0, ctx, sink, out);
    return;
  }
  let pos = 0;
  for (let open = line.indexOf('[['); open >= 0; open = line.indexOf('[[', pos)) {
    const close = line.indexOf(']]', open + 2);
    if (close < 0) break;
    const value = line.slice(open + 2, close);
    // An empty marker is not a marker (parse reports it); leave it as text.
    if (value.trim() === '') {
      scanSegment(line.slice(pos, close + 2), pos, ctx, sink, out);
    } else {
      if (open > pos) scanSegment(line.slice(pos, open), pos, ctx, sink, out);
      sink.marker(out, value, open, close + 2);
    }
    pos = close + 2;
  }
  if (pos < line.length) scanSegment(line.slice(pos), pos, ctx, sink, out);
}

/** Builds `Token`s, merging literal text that a pinned value split. */
const TOKEN_SINK: ScanSink<Token> = {
  literal(out, s, from, to, offset) {
    if (to <= from) return;
    const last = out[out.length - 1];
    if (last && last.cls === undefined && last.end === from + offset) {
      last.text += s.slice(from, to);
      last.end = to + offset;
    } else {
      out.push({ text: s.slice(from, to), start: from + offset, end: to + offset });
    }
  },
  token(out, text, start, end, cls) {
    out.push({ text, start, end, cls: cls.name });
  },
  marker(out, value, start, end) {
    out.push({ text: value, start, end, cls: MARKED_CLASS.name, marked: true });
  },
};

/**
 * `tokenizeLine`, remembered per context: the runner reads a command's text up to four times
 * (to decide whether it may be typed ahead, to type it, to run it and to bind what it types),
 * always with the same context. The runner does not pass expected lines through it: a block can
 * expect millions of lines, and remembering them cost more time and memory than it saved. The
 * tokens are frozen and shared between callers, so they must only be read. Lines longer than
 * `MEMO_LINE_CHARS` are tokenized afresh; the memo empties when it holds `MEMO_LINES` lines, so
 * its size stays bounded on any page.
 */
export function tokenizeLineShared(line: string, ctx: NormaliseContext, opts?: TokenizeOptions): readonly Readonly<Token>[] {
  if (line.length > MEMO_LINE_CHARS) return tokenizeLine(line, ctx, opts);
  let memos = MEMO.get(ctx);
  if (memos === undefined || !sameContext(memos, ctx)) MEMO.set(ctx, (memos = { classes: ctx.classes.slice(), pins: ctx.pins, pinList: [...ctx.pins], lines: [new Map(), new Map()] }));
  const memo = memos.lines[opts?.expected ? 1 : 0];
  const known = memo.get(line);
  if (known !== undefined) return known;
  const tokens = tokenizeLine(line, ctx, opts);
  for (const t of tokens) Object.freeze(t);
  Object.freeze(tokens);
  if (memo.size >= MEMO_LINES) memo.clear();
  memo.set(line, tokens);
  return tokens;
}

const MEMO_LINE_CHARS = 1024;
const MEMO_LINES = 4096;
// Keyed by the context object, which the runner builds once per lab. A context whose class list
// or pins were changed since (the same object edited) starts a new memo.
const MEMO = new WeakMap<NormaliseContext, ContextMemo>();

interface ContextMemo {
  classes: VolatileClass[];
  pins: ReadonlySet<string>;
  /** The pins when the memo was filled: a set edited in place, even to the same size, starts a new memo. */
  pinList: string[];
  /** Plain lines, then expected lines (where `[[…]]` is a marker). */
  lines: [Map<string, readonly Token[]>, Map<string, readonly Token[]>];
}

function sameContext(memo: ContextMemo, ctx: NormaliseContext): boolean {
  if (memo.pins !== ctx.pins || memo.pinList.length !== ctx.pins.size || memo.classes.length !== ctx.classes.length) return false;
  for (let i = 0; i < memo.classes.length; i++) if (memo.classes[i] !== ctx.classes[i]) return false;
  for (const pin of memo.pinList) if (!ctx.pins.has(pin)) return false;
  return true;
}

interface Found {
  start: number;
  end: number;
}

/**
 * Scans one marker-free piece of a line, appending tokens with offsets shifted by `offset`.
 *
 * Classes with `starts` (the built-ins) are found together in one walk over the line: only at
 * offsets where a class can start is its pattern tried, anchored. Other classes (lab patterns)
 * are each searched forward with their global pattern. Either way a class's next token from a
 * position is the first offset where its pattern matches without splitting a word, so the result
 * is the same as searching every class (test/normalise/tokenize-equivalence.test.ts).
 */
function scanSegment<T>(s: string, offset: number, ctx: NormaliseContext, sink: ScanSink<T>, out: T[]): void {
  if (s === '') return;
  const plan = planOf(ctx.classes);
  const classes = plan.snapshot;
  const searched = plan.searched;
  // The built-ins are all anchored: without lab classes there is nothing to search (and no list to make).
  const next: (Found | null | undefined)[] = searched.length === 0 ? NOTHING_SEARCHED : new Array(searched.length);
  for (let k = 0; k < searched.length; k++) if (!mayHold(classes[searched[k]!]!, s)) next[k] = null;
  // The next anchored token: its start (-2: not looked for yet, -1: none), end and class.
  let aStart = plan.anchored.length === 0 ? -1 : -2;
  let aEnd = 0;
  let aIndex = 0;
  let pos = 0;
  for (;;) {
    if (aStart !== -1 && aStart < pos) {
      aStart = findAnchored(plan, s, pos);
      aEnd = foundEnd;
      aIndex = foundIndex;
    }
    let best = aStart < 0 ? -1 : aIndex;
    let bs = aStart;
    let be = aEnd;
    for (let k = 0; k < searched.length; k++) {
      let m = next[k];
      const c = searched[k]!;
      if (m === undefined || (m !== null && m.start < pos)) next[k] = m = findNext(classes[c]!, s, pos);
      if (m && (best < 0 || m.start < bs || (m.start === bs && (m.end > be || (m.end === be && c < best))))) {
        best = c;
        bs = m.start;
        be = m.end;
      }
    }
    if (best < 0) break;
    const cls = classes[best]!;
    const text = s.slice(bs, be);
    // The token's parts are worked out once, for the pins and for the sink.
    const parts = ctx.pins.size === 0 || cls.partsOf === undefined ? undefined : cls.partsOf(text);
    const pinned = pinnedLength(text, parts, ctx.pins);
    if (pinned > 0) {
      // A pinned value is literal; after a pinned leading part (`127.0.0.1` of `127.0.0.1:8080`)
      // the rest is scanned again, so an opt-in class can still find the port.
      sink.literal(out, s, pos, bs + pinned, offset);
      pos = bs + pinned;
      continue;
    }
    sink.literal(out, s, pos, bs, offset);
    const named = plan.named[best]!;
    sink.token(out, text, bs + offset, be + offset, named, named === cls ? parts : undefined);
    pos = be;
  }
  sink.literal(out, s, pos, s.length, offset);
}

const NOTHING_SEARCHED: (Found | null | undefined)[] = Object.freeze([]) as unknown as (Found | null | undefined)[];

// Outputs of `findAnchored` besides the start: module state instead of an allocation per token.
let foundEnd = 0;
let foundIndex = 0;

/**
 * The first offset at or after `from` where an anchored class has a token (longest first, then
 * the class listed first), or -1. Sets `foundEnd` and `foundIndex` (the class's index).
 */
function findAnchored(plan: ScanPlan, s: string, from: number): number {
  const n = s.length;
  const { pair, first, blockedAfter, anchored } = plan;
  let prev = from > 0 ? s.charCodeAt(from - 1) : 32;
  for (let q = from; q < n; q++) {
    const c = s.charCodeAt(q);
    const before = prev;
    prev = c;
    if (c >= 128) continue;
    let bits = first[c]!;
    if (bits === 0) continue;
    if (before < 128) bits &= ~blockedAfter[before]!;
    if (bits === 0) continue;
    const next = q + 1 < n ? s.charCodeAt(q + 1) : 128;
    if (next < 128) bits &= pair[c * 128 + next]!;
    if (bits === 0) continue;
    let bestEnd = -1;
    let bestIndex = 0;
    for (let k = 0; bits !== 0; k++, bits >>>= 1) {
      if ((bits & 1) === 0) continue;
      const a = anchored[k]!;
      if (a.test !== undefined && !a.test(s, q)) continue;
      const re = a.sticky;
      re.lastIndex = q;
      if (!re.test(s)) continue;
      const end = re.lastIndex;
      // Empty tokens and tokens that start or end inside a word are not tokens.
      if (end > bestEnd && end > q && !splitsWord(s, end) && !splitsWord(s, q)) {
        bestEnd = end;
        bestIndex = a.index;
      }
    }
    if (bestEnd >= 0) {
      foundEnd = bestEnd;
      foundIndex = bestIndex;
      return q;
    }
  }
  return -1;
}

function mayHold(cls: VolatileClass, s: string): boolean {
  const hint = cls.hint;
  return hint === undefined || (typeof hint === 'string' ? s.includes(hint) : typeof hint === 'function' ? hint(s) : hint.test(s));
}

/**
 * How much of a token is literal because of a pin: all of it when it or a part that is not its
 * start is pinned, the part's length when a pinned part starts it, 0 when nothing is pinned.
 */
function pinnedLength(text: string, parts: readonly string[] | undefined, pins: ReadonlySet<string>): number {
  if (pins.size === 0) return 0;
  if (pins.has(text)) return text.length;
  if (!parts) return 0;
  // An indexed loop: it runs for every token, and an iterator per call adds up.
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (!pins.has(p)) continue;
    return p.length > 0 && text.startsWith(p) ? p.length : text.length;
  }
  return 0;
}

/**
 * The next token of a class at or after `from`. Empty matches are skipped, and so are matches
 * that start or end inside a word — lab patterns like `KUBE-SEP-[A-Z2-7]{16}` carry no guards
 * of their own; the built-ins never produce one.
 */
function findNext(cls: VolatileClass, s: string, from: number): Found | null {
  const re = withFlag(cls.pattern, 'g');
  re.lastIndex = from;
  for (;;) {
    const m = re.exec(s);
    if (!m) return null;
    const start = m.index;
    const end = start + m[0].length;
    if (end > start && !splitsWord(s, start) && !splitsWord(s, end)) return { start, end };
    re.lastIndex = start + 1;
  }
}

/** Whether offset `i` falls between two word characters. */
export function splitsWord(s: string, i: number): boolean {
  return i > 0 && i < s.length && isWordChar(s.charCodeAt(i - 1)) && isWordChar(s.charCodeAt(i));
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
