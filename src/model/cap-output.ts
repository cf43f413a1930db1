import type { BlockResult, DiffLine } from './result.ts';

/**
 * How much of one command's output the runner keeps and compares (head and tail halves): a page
 * may show a long listing, and a runaway command still costs memory in proportion to this, not
 * to what it printed. @default 16 MiB
 */
export const MATCH_CAP = 16 * 1024 * 1024;
/** How much of one command's output a record or report keeps. @default 64 KiB */
export const STORE_CAP = 64 * 1024;
/** How many diff lines of one command a record or report keeps. */
export const DIFF_CAP = 400;
/** How much of one diff line's text a record or report keeps. */
export const DIFF_LINE_CAP = 4096;

/** `1536` → `1.5 KiB`, `10485760` → `10 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${Number((n / 1024 / 1024).toFixed(1))} MiB`;
}

/** The marker line {@link capText} puts where it cut; its numbers are exact so a second cut can add to them. */
const MARKER = /\n\[… ([\d,]+) bytes \(([\d,]+) lines\) of output left out; the first and last [^\]\n]* are kept …\]\n/;

/**
 * `text` cut to about `limit` characters: the first and last halves, at line breaks, with one
 * marker line between them that says how much was left out. Unchanged when it fits. Cutting a
 * text that was cut before keeps one marker, which counts everything left out.
 * @example capText(hugeLog, 65536) // "first lines…\n[… 9,854,112 bytes (499,000 lines) of output left out; the first and last 32 KiB are kept …]\n…last lines"
 */
export function capText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const half = Math.floor(limit / 2);
  let head = text.lastIndexOf('\n', half);
  if (head <= 0) head = half;
  let tail = text.indexOf('\n', text.length - half);
  if (tail < 0 || tail < head) tail = text.length - half;
  else tail += 1;
  // What the marker line (with the line breaks around it) replaces, counted in the original
  // text: a marker from an earlier cut inside it stands for what that cut left out.
  const cut = text.slice(head, tail);
  let newlines = 0;
  for (let i = cut.indexOf('\n'); i >= 0; i = cut.indexOf('\n', i + 1)) newlines++;
  let bytes = Buffer.byteLength(cut);
  let lines = Math.max(0, newlines - 1);
  const earlier = MARKER.exec(cut);
  if (earlier) {
    bytes += Number(earlier[1]!.replaceAll(',', '')) - Buffer.byteLength(earlier[0]);
    lines = newlines - 2 + Number(earlier[2]!.replaceAll(',', ''));
  }
  return `${text.slice(0, head)}\n${cutMarker(bytes, lines, half)}\n${text.slice(tail)}`;
}

/** The line that stands where output was left out (the format `capText` recognises when it cuts again). */
export function cutMarker(bytes: number, lines: number, half: number): string {
  return `[… ${bytes.toLocaleString('en')} bytes (${lines.toLocaleString('en')} lines) of output left out; the first and last ${formatBytes(half)} are kept …]`;
}

/**
 * Keeps the first and last halves of a stream of text, with the exact size of what lies between:
 * `text()` is what `capText(all, limit)` would give for the whole stream, so memory is bounded by
 * `limit` however much is written.
 */
export class CappedText {
  readonly #limit: number;
  readonly #half: number;
  readonly #head: string[] = [];
  #headLength = 0;
  #tail: string[] = [];
  #tailLength = 0;
  #droppedBytes = 0;
  #droppedNewlines = 0;
  /** The first character after the head, where `capText` also looks for a line break. */
  #afterHead: string | undefined;

  constructor(limit: number) {
    this.#limit = limit;
    this.#half = Math.floor(limit / 2);
  }

  push(text: string): void {
    if (this.#headLength < this.#half) {
      const take = text.slice(0, this.#half - this.#headLength);
      this.#head.push(take);
      this.#headLength += take.length;
      text = text.slice(take.length);
    }
    if (text === '') return;
    this.#afterHead ??= text[0];
    this.#tail.push(text);
    this.#tailLength += text.length;
    // Whole chunks the tail no longer needs are counted and let go, once a cut is certain.
    while (this.#tail.length > 1 && this.#headLength + this.#tailLength > this.#limit && this.#tailLength - this.#tail[0]!.length >= this.#half) {
      const gone = this.#tail.shift()!;
      this.#tailLength -= gone.length;
      this.#count(gone);
    }
  }

  text(): string {
    const head = this.#head.join('');
    let tail = this.#tail.join('');
    if (this.#droppedBytes === 0 && head.length + tail.length <= this.#limit) return head + tail;
    // As in `capText`: the head ends before its last line break, the tail starts after its first.
    const over = tail.length - this.#half;
    let bytes = this.#droppedBytes;
    let newlines = this.#droppedNewlines;
    const measure = (s: string) => {
      bytes += Buffer.byteLength(s);
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) newlines++;
    };
    if (over > 0) {
      measure(tail.slice(0, over));
      tail = tail.slice(over);
    }
    let h = this.#afterHead === '\n' ? head.length : head.lastIndexOf('\n');
    if (h <= 0) h = head.length;
    let t = tail.indexOf('\n');
    t = t < 0 ? 0 : t + 1;
    measure(head.slice(h));
    measure(tail.slice(0, t));
    return `${head.slice(0, h)}\n${cutMarker(bytes, Math.max(0, newlines - 1), this.#half)}\n${tail.slice(t)}`;
  }

  #count(s: string): void {
    this.#droppedBytes += Buffer.byteLength(s);
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) this.#droppedNewlines++;
  }
}

/** A diff cut to its first `limit` lines, plus a line saying how many more there were. */
export function capDiff(diff: DiffLine[], limit = DIFF_CAP): DiffLine[] {
  if (diff.length <= limit) return diff;
  return [...diff.slice(0, limit), { op: '=', text: `[… ${(diff.length - limit).toLocaleString('en')} more diff lines left out]` }];
}

/** A copy of a block result whose outputs, diffs and reasons fit in a record or a report. */
export function capResult(r: BlockResult): BlockResult {
  return {
    ...r,
    ...(r.reason !== undefined ? { reason: capText(r.reason, STORE_CAP) } : {}),
    commands: r.commands.map((c) => ({
      ...c,
      command: capText(c.command, STORE_CAP),
      ran: capText(c.ran, STORE_CAP),
      output: capText(c.output, STORE_CAP),
      ...(c.diff ? { diff: capDiff(c.diff).map((d) => ({ ...d, text: capText(d.text, DIFF_LINE_CAP) })) } : {}),
    })),
  };
}
