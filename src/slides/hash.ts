import { clampPosition, type DeckShape, type Position } from './position.ts';

/**
 * Deep links: `#/12` is slide 12 (counting from 1, as on screen), `#/12/2` its second step.
 * Anything else (empty, `#intro`, `#/x`) is not a slide link and parses to undefined, so
 * ordinary in-page anchors keep working.
 */
export function parseHash(hash: string, shape: DeckShape): Position | undefined {
  const m = /^#?\/(\d+)(?:\/(\d+))?\/?$/.exec(hash.trim());
  if (!m) return undefined;
  return clampPosition(shape, { slide: Number(m[1]) - 1, step: m[2] === undefined ? 0 : Number(m[2]) });
}

/** The hash of a position; step 0 is left out (`#/3`, `#/3/1`). */
export function formatHash(pos: Position): string {
  return pos.step > 0 ? `#/${pos.slide + 1}/${pos.step}` : `#/${pos.slide + 1}`;
}
