import type { VolatileClass } from './classes/types.ts';

/** A class the tokenizer tries at candidate offsets (it has `starts`). */
export interface Anchored {
  /** Position in the context's class list (priority: lower wins ties). */
  index: number;
  cls: VolatileClass;
  /** The class pattern, sticky: tried at one offset. */
  sticky: RegExp;
  test: ((line: string, q: number) => boolean) | undefined;
}

/**
 * How the tokenizer scans for a list of classes: classes with `starts` are tried at candidate
 * offsets found in one walk over the line (by their first two characters and the one before,
 * then `starts.test`); the others are searched with their global pattern, one search per class.
 * Each anchored class has a bit in the tables below.
 */
export interface ScanPlan {
  /** A copy of the list this plan was made for (a caller may edit its list later). */
  snapshot: readonly VolatileClass[];
  anchored: Anchored[];
  /** By first and second character (`first * 128 + second`): classes a token can start with. */
  pair: Int32Array;
  /** By first character: the union over second characters (for a non-ASCII second or the end of the line). */
  first: Int32Array;
  /** By the character before: classes that cannot start after it. */
  blockedAfter: Int32Array;
  /** Indices of the classes that are searched. */
  searched: number[];
  /**
   * By class index: the first class of the list with that class's name (itself, unless a lab
   * lists two classes of one name), which is what looking a token's class up by name finds.
   */
  named: VolatileClass[];
}

/** At most this many classes are anchored (one bit each); the rest are searched. */
const MAX_ANCHORED = 31;

const plans = new WeakMap<readonly VolatileClass[], ScanPlan>();

/** The scan plan of a class list, made once per list (and again if the list was changed). */
export function planOf(classes: readonly VolatileClass[]): ScanPlan {
  const cached = plans.get(classes);
  if (cached && sameList(cached.snapshot, classes)) return cached;
  const plan = makePlan(classes);
  plans.set(classes, plan);
  return plan;
}

function sameList(a: readonly VolatileClass[], b: readonly VolatileClass[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

const WORD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';

function makePlan(classes: readonly VolatileClass[]): ScanPlan {
  const anchored: Anchored[] = [];
  const searched: number[] = [];
  const pair = new Int32Array(128 * 128);
  const first = new Int32Array(128);
  const blockedAfter = new Int32Array(128);
  classes.forEach((cls, index) => {
    const starts = cls.starts;
    const ascii = (set: string) => [...set].every((ch) => ch.charCodeAt(0) < 128);
    if (!starts || anchored.length === MAX_ANCHORED || !starts.pairs.every(([a, b]) => ascii(a) && ascii(b)) || !ascii(starts.notAfter ?? '')) {
      searched.push(index);
      return;
    }
    const bit = 1 << anchored.length;
    for (const [a, b] of starts.pairs) {
      for (const x of a) {
        first[x.charCodeAt(0)]! |= bit;
        for (const y of b) pair[x.charCodeAt(0) * 128 + y.charCodeAt(0)]! |= bit;
      }
    }
    for (const ch of (starts.notAfter ?? '') + (starts.afterWord ? '' : WORD)) blockedAfter[ch.charCodeAt(0)]! |= bit;
    anchored.push({ index, cls, sticky: withFlag(cls.pattern, 'y'), test: starts.test });
  });
  const named = classes.map((cls) => classes.find((c) => c.name === cls.name)!);
  return { snapshot: classes.slice(), anchored, pair, first, blockedAfter, searched, named };
}

const flagged = { g: new WeakMap<RegExp, RegExp>(), y: new WeakMap<RegExp, RegExp>() };

/**
 * A copy of a class pattern with flag `g` or `y` (and not the other), private to its user, so
 * callers' `lastIndex` is never touched. One copy per pattern and flag.
 */
export function withFlag(re: RegExp, flag: 'g' | 'y'): RegExp {
  const byRe = flagged[flag];
  let copy = byRe.get(re);
  if (!copy) byRe.set(re, (copy = new RegExp(re.source, re.flags.replace(/[gy]/g, '') + flag)));
  return copy;
}
