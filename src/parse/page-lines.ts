/**
 * The lines of a page, as `text.split('\n')` gives them, read one at a time from the text: a page
 * with a block of a million lines needs only a few of them as strings (its fences), and splitting
 * it whole made a string per line.
 */
export class PageLines {
  readonly text: string;
  /** Number of lines (one more than the number of `\n`). */
  readonly length: number;
  /** Where each line starts in `text`; `starts[length]` is one past the end of the last line plus one. */
  readonly starts: Int32Array;

  constructor(text: string) {
    this.text = text;
    let n = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    const starts = new Int32Array(n + 1);
    let k = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
    starts[n] = text.length + 1;
    this.length = n;
    this.starts = starts;
  }

  /** Line `k` (0-based), undefined outside the page. */
  at(k: number): string | undefined {
    if (k < 0 || k >= this.length || !Number.isInteger(k)) return undefined;
    return this.text.slice(this.starts[k]!, this.starts[k + 1]! - 1);
  }

  /** Lines `from` up to `to` (exclusive), as strings. */
  slice(from: number, to: number): string[] {
    const out: string[] = [];
    for (let k = Math.max(0, from); k < Math.min(to, this.length); k++) out.push(this.at(k)!);
    return out;
  }

  /** Offset where line `k` starts. */
  start(k: number): number {
    return this.starts[k]!;
  }

  /** Offset where line `k` ends (its `\n`, or the end of the text). */
  end(k: number): number {
    return this.starts[k + 1]! - 1;
  }
}
