// The tokenizer as first written: every class searched forward with its global pattern, the
// earliest (then longest, then first-listed) token taken. Kept as the reference the fast
// tokenizer is compared with (tokenize-equivalence.test.ts); not used by the project.
import { MARKED_CLASS, type VolatileClass } from '../../src/normalise/classes.ts';
import type { NormaliseContext, Token, TokenizeOptions } from '../../src/normalise/tokenize.ts';

export function tokenizeLineReference(line: string, ctx: NormaliseContext, opts?: TokenizeOptions): Token[] {
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
    const pinned = pinnedLength(cls, text, ctx.pins);
    if (pinned > 0) {
      pushLiteral(out, s, pos, bs + pinned, offset);
      pos = bs + pinned;
      continue;
    }
    pushLiteral(out, s, pos, bs, offset);
    out.push({ text, start: bs + offset, end: be + offset, cls: cls.name });
    pos = be;
  }
  pushLiteral(out, s, pos, s.length, offset);
}

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

// A pinned token is literal; a pinned leading part is literal and the scan goes on after it.
function pinnedLength(cls: VolatileClass, text: string, pins: ReadonlySet<string>): number {
  if (pins.has(text)) return text.length;
  const part = (cls.partsOf?.(text) ?? []).find((p) => pins.has(p));
  if (part === undefined) return 0;
  return part !== '' && text.startsWith(part) ? part.length : text.length;
}

const scanners = new WeakMap<RegExp, RegExp>();

function scannerOf(cls: VolatileClass): RegExp {
  let re = scanners.get(cls.pattern);
  if (!re) {
    const flags = cls.pattern.flags.replace(/[gy]/g, '');
    re = new RegExp(cls.pattern.source, flags + 'g');
    scanners.set(cls.pattern, re);
  }
  return re;
}

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

function splitsWord(s: string, i: number): boolean {
  return i > 0 && i < s.length && isWordChar(s.charCodeAt(i - 1)) && isWordChar(s.charCodeAt(i));
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
