import { diffArrays } from 'diff/lib/diff/array.js';
import type { DiffConflict, DiffLine } from '../model/result.ts';
import type { BindingPairs, Bindings, BindingInfo } from '../normalise/bindings.ts';
import type { AlignContext } from './align-context.ts';
import { bindCapture, keysOf, type CaptureConflict } from './bind-capture.ts';
import { candidatesOf } from './align.ts';
import { describeCapture, describeConflict, describeMismatch, similarity } from './explain.ts';

/** A diff with the bindings it implies. */
export interface DiffOutcome {
  diff: DiffLine[];
  /** The input bindings plus those the aligned lines made (on failure: the best partial). */
  bindings: Bindings;
  made: Record<string, string>;
  used: Record<string, string>;
}

type Op =
  | { op: 'pair'; i: number; j: number }
  | { op: 'del'; i: number; note?: string; conflict?: DiffConflict }
  | { op: 'add'; j: number }
  | { op: 'elide'; i: number; js: number[] };

/**
 * Myers' diff costs (lines × differing lines) comparisons: beyond this many, the failure diff
 * pairs lines by position instead.
 */
const MAX_DIFF_WORK = 20_000_000;
/** Actual lines compared with a missing expected line to name the closest one. */
const MAX_CLOSEST = 200;

/**
 * The bindings a successful alignment made and relied on: `made` from the search's own
 * bindings, `used` as the search recorded it, or from the aligned lines' tokens.
 */
export function summariseSuccess(ac: AlignContext, input: Bindings, js: readonly number[]): { madePairs: BindingPairs; used: Record<string, string> } {
  const madePairs = ac.bindings.madePairs();
  if (ac.usedLog) return { madePairs, used: ac.usedLog };
  const used: Record<string, string> = {};
  if (input.size > 0) {
    js.forEach((j, i) => {
      if (j < 0) return;
      const m = ac.shape(i, j);
      if (m.ok) for (const cap of m.caps) for (const key of keysOf(cap)) if (input.has(key)) used[key] = input.get(key)!;
    });
  }
  return { madePairs, used };
}

/**
 * The diff of a successful alignment, from the search's own bindings (no replay): `=` lines,
 * `~` lines with a note per volatile token, `~ ...` with how many lines it stood for.
 */
export function diffSuccess(ac: AlignContext, js: readonly number[], ordered: boolean): DiffLine[] {
  const b = ac.bindings;
  const diff: DiffLine[] = [];
  for (const op of alignmentOps(ac, js, ordered)) {
    if (op.op === 'add') continue;
    const l = ac.exp.at(op.i)!;
    if (op.op === 'elide') {
      diff.push(elisionLine(l.text, l.line, op.js.length));
      continue;
    }
    if (op.op !== 'pair') continue;
    const m = ac.shape(op.i, op.j);
    if (!m.ok || m.caps.length === 0) {
      diff.push({ op: '=', text: l.text, line: l.line });
      continue;
    }
    const notes: string[] = [];
    const here = ac.originOf(op.i);
    for (const cap of m.caps) {
      const note = describeCapture(cap, cap.cls.bind ? b.info(cap.example) : undefined, here);
      if (note) notes.push(note);
    }
    diff.push(notes.length > 0 ? { op: '~', text: l.text, line: l.line, notes } : { op: '=', text: l.text, line: l.line });
  }
  return diff;
}

/** Real lines shown next to a missing line, from an elision beside it. */
const NEAREST = 3;

function elisionLine(text: string, line: number, k: number): DiffLine {
  return { op: '~', text, line, notes: [k === 0 ? 'stands for no lines here' : `stands for ${k} line${k === 1 ? '' : 's'}`] };
}

/**
 * The ops of a successful alignment (`js[i]`: actual line of expected line `i`, -1 for `...`);
 * an elision lists the actual lines it stood for.
 */
function alignmentOps(ac: AlignContext, js: readonly number[], ordered: boolean): Op[] {
  const ops: Op[] = [];
  let prev = -1;
  ac.exp.forEach((l, i) => {
    if (!l.elision) {
      ops.push({ op: 'pair', i, j: js[i]! });
      prev = js[i]!;
      return;
    }
    if (!ordered) {
      ops.push({ op: 'elide', i, js: [] });
      return;
    }
    let next = ac.act.length;
    for (let k = i + 1; k < js.length; k++) {
      if (js[k]! >= 0) {
        next = js[k]!;
        break;
      }
    }
    const covered: number[] = [];
    for (let j = prev + 1; j < next; j++) covered.push(j);
    ops.push({ op: 'elide', i, js: covered });
  });
  if (!ordered) {
    const taken = new Set(js);
    const free = ac.act.map((_, j) => j).filter((j) => !taken.has(j));
    for (const op of ops) if (op.op === 'elide') op.js = free;
  }
  return ops;
}

/**
 * The diff of a failed `exact`/`contains` match: the expected and actual lines aligned by a
 * Myers diff whose line equality is "same shape" (a `...` is equal to any line, and then absorbs
 * the unmatched actual lines next to it), with bindings replayed in order so conflicts show up as
 * `-`/`+` pairs with a note. In `contains`, unmatched actual lines are left out; a missing
 * expected line names the closest actual line instead.
 */
export function diffSequentialFailure(ac: AlignContext, input: Bindings, mode: 'exact' | 'contains'): DiffOutcome {
  const items = ac.exp.filter((l) => mode === 'exact' || !l.elision).map((l) => l.index);
  const actIdx = ac.act.map((_, j) => j);
  const changes = diffArrays(items, actIdx, {
    comparator: (i: number, j: number) => ac.exp.elisionAt(i) || ac.shape(i, j, false).ok,
    maxEditLength: Math.max(50, Math.min(2000, Math.floor(MAX_DIFF_WORK / (items.length + actIdx.length + 1)))),
  });
  let ops: Op[] = [];
  if (changes) {
    let o = 0;
    let a = 0;
    for (const c of changes) {
      for (let k = 0; k < c.count; k++) {
        if (c.added) ops.push({ op: 'add', j: a++ });
        else if (c.removed) ops.push(delOrElide(ac, items[o++]!));
        else {
          const i = items[o++]!;
          const j = a++;
          ops.push(ac.exp.elisionAt(i) ? { op: 'elide', i, js: [j] } : { op: 'pair', i, j });
        }
      }
    }
  } else {
    ops = pairByPosition(ac, items);
  }
  if (mode === 'exact') absorbIntoElisions(ops);
  explainHunks(ac, ops, mode);
  if (mode === 'contains') ops = ops.filter((op) => op.op !== 'add');
  return renderOps(ac, input, ops);
}

/**
 * The diff of a failed `unordered` match, in expected order: each expected line takes the first
 * free actual line of its shape whose bindings agree (or, failing that, is shown missing with the
 * conflict or the closest line); free actual lines follow as `+` unless a `...` allows them.
 */
export function diffUnorderedFailure(ac: AlignContext, input: Bindings): DiffOutcome {
  const b = input.fork();
  const used = new Set<number>();
  const ops: Op[] = [];
  const hasElision = ac.exp.hasElision;
  for (const l of ac.exp) {
    if (l.elision) {
      ops.push({ op: 'elide', i: l.index, js: [] });
      continue;
    }
    let chosen = -1;
    let conflict: string | undefined;
    let structured: DiffConflict | undefined;
    for (const j of candidatesOf(ac, l.index)) {
      if (used.has(j)) continue;
      const mark = b.mark();
      const note = bindLine(ac, b, l.index, j);
      b.undo(mark);
      if (note === undefined) {
        chosen = j;
        break;
      }
      if (conflict === undefined) {
        conflict = note;
        structured = lastConflict;
      }
    }
    if (chosen >= 0) {
      used.add(chosen);
      ops.push({ op: 'pair', i: l.index, j: chosen });
    } else {
      ops.push(structured ? { op: 'del', i: l.index, note: conflict, conflict: structured } : { op: 'del', i: l.index, note: conflict });
    }
  }
  const free = ac.act.map((_, j) => j).filter((j) => !used.has(j));
  for (const op of ops) {
    if (op.op === 'del' && op.note === undefined) op.note = closestNote(ac, op.i, free);
    if (op.op === 'elide') op.js = free.slice();
  }
  if (!hasElision) for (const j of free) ops.push({ op: 'add', j });
  return renderOps(ac, input, ops);
}

function delOrElide(ac: AlignContext, i: number): Op {
  return ac.exp.elisionAt(i) ? { op: 'elide', i, js: [] } : { op: 'del', i };
}

/** When the Myers diff gives up (very different outputs): line k against line k. */
function pairByPosition(ac: AlignContext, items: readonly number[]): Op[] {
  const ops: Op[] = [];
  const lines = items.filter((i) => !ac.exp.elisionAt(i));
  const n = Math.max(lines.length, ac.act.length);
  for (let k = 0; k < n; k++) {
    const i = lines[k];
    const j = k < ac.act.length ? k : undefined;
    if (i !== undefined && j !== undefined && ac.shape(i, j).ok) ops.push({ op: 'pair', i, j });
    else {
      if (i !== undefined) ops.push({ op: 'del', i });
      if (j !== undefined) ops.push({ op: 'add', j });
    }
  }
  return ops;
}

/**
 * Moves unmatched actual lines next to a `...` into it. In a run of changes after (before) an
 * elision, the last (first) as many added lines as there are missing expected lines stay, as
 * their counterparts; the rest are what the elision stood for.
 */
function absorbIntoElisions(ops: Op[]): void {
  const absorbed = new Set<Op>();
  for (let e = 0; e < ops.length; e++) {
    const el = ops[e]!;
    if (el.op !== 'elide') continue;
    for (const dir of [1, -1]) {
      const hunk: Op[] = [];
      for (let k = e + dir; k >= 0 && k < ops.length; k += dir) {
        const op = ops[k]!;
        if (op.op === 'pair' || op.op === 'elide') break;
        hunk.push(op);
      }
      const adds = hunk.filter((op): op is Extract<Op, { op: 'add' }> => op.op === 'add' && !absorbed.has(op));
      const dels = hunk.filter((op) => op.op === 'del').length;
      // `hunk` runs away from the elision; the adds farthest from it are kept as counterparts.
      const take = adds.slice(0, Math.max(0, adds.length - dels));
      for (const op of take) {
        absorbed.add(op);
        el.js.push(op.j);
      }
    }
    el.js.sort((x, y) => x - y);
  }
  for (let k = ops.length - 1; k >= 0; k--) if (absorbed.has(ops[k]!)) ops.splice(k, 1);
}

/** Notes on missing lines: how they differ from their counterpart in the same run of changes. */
function explainHunks(ac: AlignContext, ops: Op[], mode: 'exact' | 'contains'): void {
  let start = 0;
  while (start < ops.length) {
    if (ops[start]!.op === 'pair' || ops[start]!.op === 'elide') {
      start++;
      continue;
    }
    let end = start;
    while (end < ops.length && ops[end]!.op !== 'pair' && ops[end]!.op !== 'elide') end++;
    const hunk = ops.slice(start, end);
    const dels = hunk.filter((op): op is Extract<Op, { op: 'del' }> => op.op === 'del');
    const adds = hunk.filter((op): op is Extract<Op, { op: 'add' }> => op.op === 'add').map((op) => op.j);
    // Between `...` lines, the actual lines the elisions took are the candidates to name.
    const elided = [ops[start - 1], ops[end]].flatMap((op) => (op?.op === 'elide' ? op.js : []));
    dels.forEach((d, k) => {
      if (mode === 'exact' && k < adds.length) {
        const m = ac.shape(d.i, adds[k]!);
        if (!m.ok) d.note = describeMismatch(ac.exp.at(d.i)!, ac.act[adds[k]!]!, m);
      } else {
        d.note = closestNote(ac, d.i, adds.length > 0 ? adds : elided);
      }
    });
    start = end;
  }
}

/** Names the actual line most like a missing expected line, and how they differ. */
function closestNote(ac: AlignContext, i: number, js: readonly number[]): string {
  if (js.length === 0) return 'no actual line is left to match it';
  const l = ac.exp.at(i)!;
  let best = js[0]!;
  let bestScore = -1;
  for (const j of js.slice(0, MAX_CLOSEST)) {
    const s = similarity(l.text, ac.act[j]!);
    if (s > bestScore) {
      best = j;
      bestScore = s;
    }
  }
  const m = ac.shape(i, best);
  const how = m.ok ? 'it has the same shape, but its values conflict with the bindings' : describeMismatch(l, ac.act[best]!, m);
  return `closest actual line ${best + 1}: "${ac.act[best]}" — ${how}`;
}

/**
 * Binds a line's captures; returns a conflict note, or undefined when all agree.
 * Leaves partial bindings on conflict: callers undo.
 */
function bindLine(ac: AlignContext, b: Bindings, i: number, j: number, notes?: string[], record?: Recorder): string | undefined {
  lastConflict = undefined;
  const m = ac.shape(i, j);
  if (!m.ok) return describeMismatch(ac.exp.at(i)!, ac.act[j]!, m);
  const made: [string, string][] = [];
  const used: [string, string][] = [];
  const onPair = (ex: string, act: string, isNew: boolean) => (isNew ? made : used).push([ex, act]);
  for (const cap of m.caps) {
    const earlier: BindingInfo | undefined = cap.cls.bind ? b.info(cap.example) : undefined;
    const conflict = bindCapture(b, cap, ac.originOf(i), onPair);
    if (conflict) {
      lastConflict = toDiffConflict(conflict);
      return describeConflict(cap, conflict);
    }
    const note = describeCapture(cap, earlier, ac.originOf(i));
    if (note && notes) notes.push(note);
  }
  record?.(made, used);
  return undefined;
}

type Recorder = (made: [string, string][], used: [string, string][]) => void;

// The conflict behind the last note `bindLine` returned, if it was one (module state: the
// note stays a string for every caller, and the diff lines that show it also carry this).
let lastConflict: DiffConflict | undefined;

function toDiffConflict(c: CaptureConflict): DiffConflict {
  const base = { example: c.example, actual: c.actual, kind: c.kind, how: c.info.how, ...(c.info.origin ? { origin: c.info.origin } : {}) };
  return c.kind === 'actual-taken' ? { ...base, other: c.other } : { ...base, boundTo: c.info.actual };
}

/** Replays bindings along the ops and renders them as diff lines. */
function renderOps(ac: AlignContext, input: Bindings, ops: readonly Op[]): DiffOutcome {
  const b = input.fork();
  const made: Record<string, string> = {};
  const used: Record<string, string> = {};
  const record: Recorder = (m, u) => {
    for (const [ex, act] of m) made[ex] = act;
    for (const [ex, act] of u) if (input.has(ex)) used[ex] = act;
  };
  const diff: DiffLine[] = [];
  for (const [k, op] of ops.entries()) {
    if (op.op === 'add') {
      diff.push({ op: '+', text: ac.act[op.j]! });
      continue;
    }
    const l = ac.exp.at(op.i)!;
    if (op.op === 'elide') {
      const line = elisionLine(l.text, l.line, op.js.length);
      // Next to a missing line, show the real lines the elision took on that side.
      const before = ops[k + 1]?.op === 'del' ? op.js.slice(-NEAREST) : [];
      const after = ops[k - 1]?.op === 'del' ? op.js.slice(0, NEAREST) : [];
      const near = [...new Set([...after, ...before])];
      if (near.length > 0) line.notes!.push(`around the missing line it took: ${near.map((j) => `${j + 1}: "${ac.act[j]}"`).join(', ')}`);
      diff.push(line);
    } else if (op.op === 'del') {
      const line: DiffLine = op.note ? { op: '-', text: l.text, line: l.line, notes: [op.note] } : { op: '-', text: l.text, line: l.line };
      if (op.conflict) line.conflict = op.conflict;
      diff.push(line);
    } else {
      const notes: string[] = [];
      const mark = b.mark();
      const conflict = bindLine(ac, b, op.i, op.j, notes, record);
      if (conflict !== undefined) {
        b.undo(mark);
        const line: DiffLine = { op: '-', text: l.text, line: l.line, notes: [conflict] };
        if (lastConflict) line.conflict = lastConflict;
        diff.push(line, { op: '+', text: ac.act[op.j]! });
      } else if (notes.length > 0) {
        diff.push({ op: '~', text: l.text, line: l.line, notes });
      } else {
        diff.push({ op: '=', text: l.text, line: l.line });
      }
    }
  }
  return { diff, bindings: b, made, used };
}
