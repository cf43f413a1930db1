import { MARKED_CLASS, type VolatileClass } from './classes.ts';

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
  if (!opts?.expected || !line.includes('[[')) {
    scanSegment(line, 0, ctx, out);
    return out;
  }
  let pos = 0;
  for (let open = line.indexOf('[['); open >= 0; open = line.indexOf('[[', pos)) {
    const close = line.indexOf(']]', open + 2);
    if (close < 0) break;
    const value = line.slice(open + 2, close);
    // An empty marker is not a marker (parse reports it); leave it as text.
    if (value.trim() === '') {
      scanSegment(line.slice(pos, close + 2), pos, ctx, out);
    } else {
      if (open > pos) scanSegment(line.slice(pos, open), pos, ctx, out);
      out.push({ text: value, start: open, end: close + 2, cls: MARKED_CLASS.name, marked: true });
    }
    pos = close + 2;
  }
  if (pos < line.length) scanSegment(line.slice(pos), pos, ctx, out);
  return out;
}

interface Found {
  start: number;
  end: number;
}

/** Scans one marker-free piece of a line, appending tokens with offsets shifted by `offset`. */
function scanSegment(s: string, offset: number, ctx: NormaliseContext, out: Token[]): void {
  if (s === '') return;
  const classes = ctx.classes;
  const next: (Found | null | undefined)[] = new Array(classes.length);
  for (let c = 0; c < classes.length; c++) if (!mayHold(classes[c]!, s)) next[c] = null;
  let pos = 0;
  for (;;) {
    let best = -1;
    let bs = 0;
    let be = 0;
    for (let c = 0; c < classes.length; c++) {
      let m = next[c];
      if (m === undefined || (m !== null && m.start < pos)) next[c] = m = findNext(classes[c]!, s, pos);
      if (m && (best < 0 || m.start < bs || (m.start === bs && m.end > be))) {
        best = c;
        bs = m.start;
        be = m.end;
      }
    }
    if (best < 0) break;
    const cls = classes[best]!;
    const text = s.slice(bs, be);
    if (isPinned(cls, text, ctx.pins)) {
      pushLiteral(out, s, pos, be, offset);
    } else {
      pushLiteral(out, s, pos, bs, offset);
      out.push({ text, start: bs + offset, end: be + offset, cls: cls.name });
    }
    pos = be;
  }
  pushLiteral(out, s, pos, s.length, offset);
}

/** Appends literal text, merging with a literal token just before it. */
function pushLiteral(out: Token[], s: string, from: number, to: number, offset: number): void {
  if (to <= from) return;
  const last = out[out.length - 1];
  if (last && last.cls === undefined && last.end === from + offset) {
    last.text += s.slice(from, to);
    last.end = to + offset;
  } else {
    out.push({ text: s.slice(from, to), start: from + offset, end: to + offset });
  }
}

function mayHold(cls: VolatileClass, s: string): boolean {
  const hint = cls.hint;
  return hint === undefined || (typeof hint === 'string' ? s.includes(hint) : typeof hint === 'function' ? hint(s) : hint.test(s));
}

function isPinned(cls: VolatileClass, text: string, pins: ReadonlySet<string>): boolean {
  if (pins.size === 0) return false;
  if (pins.has(text)) return true;
  return cls.partsOf ? cls.partsOf(text).some((p) => pins.has(p)) : false;
}

const scanners = new WeakMap<RegExp, RegExp>();

/** A global copy of a class pattern, private to the tokenizer (callers' `lastIndex` is never touched). */
function scannerOf(cls: VolatileClass): RegExp {
  let re = scanners.get(cls.pattern);
  if (!re) {
    const flags = cls.pattern.flags.replace(/[gy]/g, '');
    re = new RegExp(cls.pattern.source, flags + 'g');
    scanners.set(cls.pattern, re);
  }
  return re;
}

/**
 * The next token of a class at or after `from`. Empty matches are skipped, and so are matches
 * that start or end inside a word — lab patterns like `KUBE-SEP-[A-Z2-7]{16}` carry no guards
 * of their own; the built-ins never produce one.
 */
function findNext(cls: VolatileClass, s: string, from: number): Found | null {
  const re = scannerOf(cls);
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
