import type { AlignContext } from './align-context.ts';
import { canonicalLine } from './compile-line.ts';
import { hashInt } from './align-context.ts';

/** Result of an alignment search: for each expected line, the actual line it matched (-1 for `...`). */
export type AlignResult = { ok: true; js: number[] } | { ok: false; gaveUp: boolean };

/**
 * A run of expected lines that must match consecutive actual lines: `length` lines from
 * expected line `first` (a run between elisions is contiguous; a range, not a list, since an
 * output of a million lines is one segment).
 */
interface Segment {
  first: number;
  length: number;
  /** Must start at actual line 0 (exact mode, no leading `...`). */
  anchorStart: boolean;
  /** Must end at the last actual line (exact mode, no trailing `...`). */
  anchorEnd: boolean;
}

interface SeqFrame {
  s: number;
  from: number;
  next: number;
  last: number;
  mark: number;
  fpA: number;
  fpB: number;
  /** A binding conflict happened somewhere below: the failure depends on the bindings. */
  conflict: boolean;
  chosen: number;
}

/**
 * Aligns expected lines with actual lines in order (`exact`: every actual line is accounted for,
 * `...` stands for zero or more; `contains`: other lines may come between). The expected lines
 * are cut into segments at `...` (in `contains`, every line is a segment); a depth-first search
 * places one segment after another at the earliest position that matches, binding as it goes,
 * and backtracks to the next position when a later segment cannot be placed — so an alignment
 * consistent with the bindings made so far is found whenever one exists (contract §5 rule 5).
 *
 * Failures are memoised: a segment that could not be placed from position `from` cannot be placed
 * from any later position either; without binding conflicts below it that holds for every
 * bindings state, otherwise for the same bindings (same fingerprint). A step budget bounds
 * the rest. Iterative, so thousands of segments do not grow the call stack.
 */
export function alignSequential(ac: AlignContext, mode: 'exact' | 'contains'): AlignResult {
  const exp = ac.exp;
  const n = ac.act.length;
  const segs = segmentsOf(ac, mode);
  const hasElision = exp.hasElision;
  if (segs.length === 0) return mode === 'contains' || hasElision || n === 0 ? { ok: true, js: new Array<number>(exp.length).fill(-1) } : { ok: false, gaveUp: false };

  const S = segs.length;
  const minRest = new Array<number>(S + 1).fill(0);
  for (let s = S - 1; s >= 0; s--) minRest[s] = minRest[s + 1]! + segs[s]!.length;
  const failPure = new Array<number>(S + 1).fill(Infinity);
  const failFp = new Map<string, number>();
  const b = ac.bindings;

  const frameAt = (s: number, from: number): SeqFrame | undefined => {
    const seg = segs[s]!;
    const len = seg.length;
    let lo = from;
    let hi = n - minRest[s]!;
    if (seg.anchorStart) hi = Math.min(hi, from);
    if (seg.anchorEnd) lo = Math.max(lo, n - len);
    if (seg.anchorStart && seg.anchorEnd && !(from === 0 && n === len)) hi = -1;
    return { s, from, next: lo, last: hi, mark: b.mark(), fpA: ac.fpA, fpB: ac.fpB, conflict: false, chosen: -1 };
  };

  // One anchored segment: a single possible alignment, so no cache and no replay are needed.
  const single = S === 1 && segs[0]!.anchorStart && segs[0]!.anchorEnd;
  ac.caching = !single;
  ac.fingerprinting = !single;
  ac.usedLog = single ? {} : undefined;
  const stack: SeqFrame[] = [frameAt(0, 0)!];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (ac.exhausted) return { ok: false, gaveUp: true };
    b.undo(f.mark);
    ac.fpA = f.fpA;
    ac.fpB = f.fpB;
    const seg = segs[f.s]!;
    const p = nextStart(ac, seg, f);
    if (p < 0) {
      stack.pop();
      if (f.conflict) {
        const key = `${f.s}:${f.fpA}:${f.fpB}`;
        failFp.set(key, Math.min(failFp.get(key) ?? Infinity, f.from));
        const parent = stack[stack.length - 1];
        if (parent) parent.conflict = true;
      } else {
        failPure[f.s] = Math.min(failPure[f.s]!, f.from);
      }
      continue;
    }
    f.chosen = p;
    if (!placeSegment(ac, seg, p)) {
      if (ac.lastConflict) f.conflict = true;
      continue;
    }
    const s = f.s + 1;
    const from = p + seg.length;
    if (s === S) {
      const js = new Array<number>(exp.length).fill(-1);
      for (const fr of stack) {
        const seg = segs[fr.s]!;
        for (let k = 0; k < seg.length; k++) js[seg.first + k] = fr.chosen + k;
      }
      return { ok: true, js };
    }
    if (from >= failPure[s]!) continue;
    const known = failFp.get(`${s}:${ac.fpA}:${ac.fpB}`);
    if (known !== undefined && from >= known) {
      f.conflict = true;
      continue;
    }
    stack.push(frameAt(s, from)!);
  }
  return { ok: false, gaveUp: false };
}

function segmentsOf(ac: AlignContext, mode: 'exact' | 'contains'): Segment[] {
  const exp = ac.exp;
  if (mode === 'contains') return exp.filter((l) => !l.elision).map((l) => ({ first: l.index, length: 1, anchorStart: false, anchorEnd: false }));
  const segs: Segment[] = [];
  let first = 0;
  for (let i = 0; i <= exp.length; i++) {
    if (i < exp.length && !exp.elisionAt(i)) continue;
    if (i > first) segs.push({ first, length: i - first, anchorStart: false, anchorEnd: false });
    first = i + 1;
  }
  if (segs.length > 0) {
    if (!exp.elisionAt(0)) segs[0]!.anchorStart = true;
    if (!exp.elisionAt(exp.length - 1)) segs[segs.length - 1]!.anchorEnd = true;
  }
  return segs;
}

/** The next start position whose first line has the segment's shape, or -1. */
function nextStart(ac: AlignContext, seg: Segment, f: SeqFrame): number {
  const first = seg.first;
  while (f.next <= f.last) {
    const p = f.next++;
    if (ac.shape(first, p).ok) return p;
    if (ac.exhausted) return -1;
  }
  return -1;
}

/** Matches and binds a segment's lines at `p`; false on the first mismatch or conflict. */
function placeSegment(ac: AlignContext, seg: Segment, p: number): boolean {
  ac.lastConflict = undefined;
  for (let k = 0; k < seg.length; k++) {
    if (!ac.bindLine(seg.first + k, p + k)) return false;
  }
  return true;
}

interface SetFrame {
  d: number;
  k: number;
  mark: number;
  fpA: number;
  fpB: number;
  usedA: number;
  usedB: number;
  conflict: boolean;
  chosen: number;
}

/**
 * Aligns expected lines with actual lines in any order (`unordered`): every expected line takes
 * a different actual line of its shape whose bindings agree; without a `...` line, every actual
 * line must be taken. Lines with the fewest candidates are placed first; failures are memoised by
 * the set of actual lines taken (and, when bindings were involved, the bindings fingerprint).
 */
export function alignUnordered(ac: AlignContext): AlignResult {
  const exp = ac.exp;
  const n = ac.act.length;
  const items = exp.filter((l) => !l.elision).map((l) => l.index);
  const hasElision = items.length < exp.length;
  if (!hasElision && items.length !== n) return { ok: false, gaveUp: false };
  const cands = items.map((i) => candidatesOf(ac, i));
  if (cands.some((c) => c.length === 0)) return { ok: false, gaveUp: ac.exhausted };
  const order = items.map((_, k) => k).sort((x, y) => cands[x]!.length - cands[y]!.length);
  const used = new Uint8Array(n);
  const b = ac.bindings;
  const failed = new Set<string>();
  let usedA = 0;
  let usedB = 0;
  ac.caching = true;
  ac.fingerprinting = true;
  const stack: SetFrame[] = [{ d: 0, k: 0, mark: b.mark(), fpA: ac.fpA, fpB: ac.fpB, usedA, usedB, conflict: false, chosen: -1 }];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (ac.exhausted) return { ok: false, gaveUp: true };
    if (f.chosen >= 0) {
      used[f.chosen] = 0;
      f.chosen = -1;
    }
    b.undo(f.mark);
    ac.fpA = f.fpA;
    ac.fpB = f.fpB;
    usedA = f.usedA;
    usedB = f.usedB;
    if (f.d === items.length) {
      const js = new Array<number>(exp.length).fill(-1);
      for (const fr of stack.slice(0, -1)) js[items[order[fr.d]!]!] = fr.chosen;
      // Frames below the top still hold their choices.
      return { ok: true, js };
    }
    const list = cands[order[f.d]!]!;
    let placed = false;
    while (f.k < list.length) {
      const j = list[f.k++]!;
      if (used[j]) continue;
      ac.lastConflict = undefined;
      if (!ac.bindLine(items[order[f.d]!]!, j)) {
        if (ac.lastConflict) f.conflict = true;
        b.undo(f.mark);
        ac.fpA = f.fpA;
        ac.fpB = f.fpB;
        continue;
      }
      const uA = usedA ^ hashInt(j, 0x2545f491);
      const uB = usedB ^ hashInt(j, 0x9e3779b9);
      if (failed.has(`${f.d + 1}:${uA}:${uB}`) || failed.has(`${f.d + 1}:${uA}:${uB}:${ac.fpA}:${ac.fpB}`)) {
        if (failed.has(`${f.d + 1}:${uA}:${uB}:${ac.fpA}:${ac.fpB}`)) f.conflict = true;
        b.undo(f.mark);
        ac.fpA = f.fpA;
        ac.fpB = f.fpB;
        continue;
      }
      used[j] = 1;
      f.chosen = j;
      stack.push({ d: f.d + 1, k: 0, mark: b.mark(), fpA: ac.fpA, fpB: ac.fpB, usedA: uA, usedB: uB, conflict: false, chosen: -1 });
      placed = true;
      break;
    }
    if (placed) continue;
    stack.pop();
    failed.add(f.conflict ? `${f.d}:${f.usedA}:${f.usedB}:${f.fpA}:${f.fpB}` : `${f.d}:${f.usedA}:${f.usedB}`);
    const parent = stack[stack.length - 1];
    if (parent && f.conflict) parent.conflict = true;
  }
  return { ok: false, gaveUp: false };
}

/** Actual lines with the shape of expected line `i`; lines without volatile parts are looked up by canonical text. */
export function candidatesOf(ac: AlignContext, i: number): number[] {
  const canon = ac.exp.canonAt(i);
  if (canon !== undefined) return byCanon(ac).get(canon) ?? [];
  const out: number[] = [];
  for (let j = 0; j < ac.act.length; j++) if (ac.shape(i, j).ok) out.push(j);
  return out;
}

const canonIndex = new WeakMap<AlignContext, Map<string, number[]>>();

function byCanon(ac: AlignContext): Map<string, number[]> {
  let m = canonIndex.get(ac);
  if (!m) {
    m = new Map();
    ac.act.forEach((a, j) => {
      const c = canonicalLine(a);
      const list = m!.get(c);
      if (list) list.push(j);
      else m!.set(c, [j]);
    });
    canonIndex.set(ac, m);
  }
  return m;
}
