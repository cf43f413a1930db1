import { blockLocation, type Block } from '../model/block.ts';
import type { Problem } from '../model/location.ts';
import { formatLocation, makeProblem } from './problem.ts';

/**
 * Block ids key records and page anchors, so they must be unique within a lab. Every block that
 * shares an id gets a problem naming the other places, so each can be fixed where it is.
 */
export function checkDuplicateIds(blocks: readonly Block[]): Problem[] {
  const byId = new Map<string, Block[]>();
  for (const b of blocks) byId.set(b.id, [...(byId.get(b.id) ?? []), b]);
  const problems: Problem[] = [];
  for (const [id, same] of byId) {
    if (same.length < 2) continue;
    for (const b of same) {
      const others = same.filter((o) => o !== b).map((o) => formatLocation(blockLocation(o)));
      problems.push(makeProblem('parse', blockLocation(b), `duplicate block id "${id}" (also at ${others.join(', ')})`, 'give each block its own id= (derived ids are <file>-<n>; an explicit id= may clash with one)'));
    }
  }
  return problems;
}
