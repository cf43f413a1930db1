/** A place in a source file. Lines and columns are 1-based. */
export interface Location {
  /** Path as given to the user (relative to the current directory when possible). */
  file: string;
  line: number;
  column: number;
}

/** The stage of the pipeline a problem was found in. */
export type Stage = 'config' | 'parse' | 'normalise' | 'match' | 'run' | 'record' | 'update' | 'cli';

/**
 * A problem a user can fix: where it is, what is wrong, and what to do.
 * Static stages collect these instead of throwing, so `labs check` lists all of them at once.
 */
export interface Problem {
  stage: Stage;
  location: Location;
  message: string;
  /** What to do about it, e.g. `did you mean "timeout"?` */
  hint?: string;
}

/** Formats a problem as `file:line:column message — hint`. */
export function formatProblem(p: Problem): string {
  const where = `${p.location.file}:${p.location.line}:${p.location.column}`;
  return p.hint ? `${where} ${p.message} — ${p.hint}` : `${where} ${p.message}`;
}

/** The one error class of the pipeline: always located, always with a hint when one exists. */
export class LabError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[] | Problem, options?: { cause?: unknown }) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'), options);
    this.name = 'LabError';
    this.problems = list;
  }
}

/** Suggests the closest candidate for a misspelt word (Damerau-free Levenshtein, distance ≤ 2). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
