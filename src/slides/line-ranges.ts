/**
 * Step-wise line highlighting in slide code, in Slidev's notation: a fence meta of
 * `{1|3-4|all}` highlights line 1 when the code appears, lines 3 and 4 at the next step, then
 * everything. `{2,5-6}` is a single, static highlight. Lines count from 1.
 */

/** One highlight: the set of lines lit, or every line. */
export type LineRange = ReadonlySet<number> | 'all';

/** A parsed meta string: the highlight steps (empty when none) and what else the meta held. */
export interface ParsedLineSteps {
  ranges: LineRange[];
  /** The meta without the `{…}` part, e.g. `title="web.yaml"`. */
  rest: string;
  /** Set when the `{…}` part is malformed: what is wrong, for a located problem. */
  error?: string;
}

/** Parses the `{…}` part of a fence meta string. */
export function parseLineSteps(meta: string | null | undefined): ParsedLineSteps {
  const text = meta ?? '';
  const m = /\{([^}]*)\}/.exec(text);
  if (!m) return { ranges: [], rest: text.trim() };
  const rest = (text.slice(0, m.index) + text.slice(m.index + m[0].length)).trim();
  const ranges: LineRange[] = [];
  for (const part of m[1]!.split('|')) {
    const p = part.trim();
    if (p === 'all' || p === '*') {
      ranges.push('all');
      continue;
    }
    const lines = new Set<number>();
    for (const piece of p.split(',')) {
      const r = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(piece);
      if (!r) return { ranges: [], rest, error: `"${p}" is not a line range — write lines as 3, 3-5 or all, separated by | for steps (e.g. {1|3-5|all})` };
      const from = Number(r[1]);
      const to = r[2] === undefined ? from : Number(r[2]);
      if (from < 1 || to < from) return { ranges: [], rest, error: `"${piece.trim()}" is not a line range — lines count from 1 and a range goes up (3-5)` };
      for (let i = from; i <= to; i++) lines.add(i);
    }
    ranges.push(lines);
  }
  return { ranges, rest };
}

/** For each line (index 0 = line 1), the indexes of the ranges that light it. */
export function litRangesPerLine(ranges: readonly LineRange[], lineCount: number): number[][] {
  return Array.from({ length: lineCount }, (_, i) => ranges.flatMap((r, k) => (r === 'all' || r.has(i + 1) ? [k] : [])));
}

/**
 * Which range is active at slide step `step`, for code whose first range shows from step `base`:
 * range 0 before and at base, then one more per step, the last one staying.
 */
export function activeRange(step: number, base: number, count: number): number {
  if (count <= 0) return -1;
  return Math.min(Math.max(0, step - base), count - 1);
}
