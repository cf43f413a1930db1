/**
 * Where a talk is: a slide (0-based index) and a step on it (0 = nothing revealed yet,
 * `steps[slide]` = everything revealed). One step model serves fragments and code-line
 * highlights alike, so the deep link, the presenter's "next step" preview and export agree.
 */

/** A position in a deck. `slide` is 0-based here; URLs and screens count from 1. */
export interface Position {
  slide: number;
  step: number;
}

/** What navigation needs to know about a deck: the number of steps of each slide. */
export interface DeckShape {
  /** `steps[i]` is how many steps slide i has (0 when it reveals everything at once). */
  readonly steps: readonly number[];
}

/** Clamps a position into the deck (never throws; an empty deck clamps to 0/0). */
export function clampPosition(shape: DeckShape, pos: Position): Position {
  const last = Math.max(0, shape.steps.length - 1);
  const slide = Math.min(Math.max(0, Math.trunc(pos.slide) || 0), last);
  const max = shape.steps[slide] ?? 0;
  return { slide, step: Math.min(Math.max(0, Math.trunc(pos.step) || 0), max) };
}

/** The next step, or the next slide's start after the last step; stays put at the very end. */
export function nextPosition(shape: DeckShape, pos: Position): Position {
  const p = clampPosition(shape, pos);
  if (p.step < (shape.steps[p.slide] ?? 0)) return { slide: p.slide, step: p.step + 1 };
  if (p.slide < shape.steps.length - 1) return { slide: p.slide + 1, step: 0 };
  return p;
}

/** The previous step; before a slide's first step, the previous slide fully revealed (as it was last seen). */
export function previousPosition(shape: DeckShape, pos: Position): Position {
  const p = clampPosition(shape, pos);
  if (p.step > 0) return { slide: p.slide, step: p.step - 1 };
  if (p.slide > 0) return { slide: p.slide - 1, step: shape.steps[p.slide - 1] ?? 0 };
  return p;
}

/** Start of the next slide, skipping any steps left on this one. */
export function nextSlidePosition(shape: DeckShape, pos: Position): Position {
  const p = clampPosition(shape, pos);
  return p.slide < shape.steps.length - 1 ? { slide: p.slide + 1, step: 0 } : p;
}

/** Start of the previous slide (or of this one, on the first). */
export function previousSlidePosition(shape: DeckShape, pos: Position): Position {
  const p = clampPosition(shape, pos);
  return { slide: Math.max(0, p.slide - 1), step: 0 };
}

/** The very end: the last slide with all its steps. */
export function lastPosition(shape: DeckShape): Position {
  const slide = Math.max(0, shape.steps.length - 1);
  return { slide, step: shape.steps[slide] ?? 0 };
}

/** Whether two positions are the same place. */
export function samePosition(a: Position, b: Position): boolean {
  return a.slide === b.slide && a.step === b.step;
}

/** How far through the talk a position is, 0 at the first slide to 1 at the last step, counting every step. */
export function progressOf(shape: DeckShape, pos: Position): number {
  const p = clampPosition(shape, pos);
  let done = 0;
  let total = 0;
  shape.steps.forEach((n, i) => {
    total += n + 1;
    if (i < p.slide) done += n + 1;
  });
  done += p.step;
  return total <= 1 ? 1 : done / (total - 1);
}
