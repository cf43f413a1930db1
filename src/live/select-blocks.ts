import { basename } from 'node:path';
import type { Block } from '../model/block.ts';
import type { Lab } from '../model/lab.ts';
import { didYouMean } from '../model/location.ts';

/** A block named on the command line: its id, or `file:line` (any line of the block, fences included). */
export type BlockRef = { id: string } | { file: string; absPath: string; line: number };

/** Turns `02-services-3` or `path/02-services.mdx:48` into a ref (`absPath` resolved by `resolvePath`). */
export function parseBlockRef(text: string, resolvePath: (p: string) => string): BlockRef {
  const m = /^(.+\.mdx?):(\d+)$/.exec(text);
  if (m) return { file: m[1]!, absPath: resolvePath(m[1]!), line: Number(m[2]) };
  return { id: text };
}

/** Every block of a lab, in run order. */
export function allBlocks(lab: Lab): Block[] {
  return lab.steps.flatMap((s) => s.blocks);
}

/** The block a ref names, or why there is none (with the ids or lines that come close). */
export function findBlock(lab: Lab, ref: BlockRef): { block: Block } | { message: string; hint: string } {
  const blocks = allBlocks(lab);
  if ('id' in ref) {
    const hit = blocks.find((b) => b.id === ref.id);
    if (hit) return { block: hit };
    return { message: `no block with id "${ref.id}" in ${lab.id}`, hint: closeIds(ref.id, blocks.map((b) => b.id)) };
  }
  const step = lab.steps.find((s) => s.absPath === ref.absPath) ?? lab.steps.find((s) => basename(s.absPath) === basename(ref.absPath));
  if (!step) return { message: `${ref.file} is not a step of ${lab.id}`, hint: `its steps are ${lab.steps.map((s) => s.file).join(', ')}` };
  const hit = step.blocks.find((b) => ref.line >= b.line && ref.line <= b.endLine);
  if (hit) return { block: hit };
  const starts = step.blocks.map((b) => b.line);
  return {
    message: `${step.file}:${ref.line} is not inside a block`,
    hint: starts.length > 0 ? `its blocks start at lines ${starts.join(', ')}; give a line of one of them, or its id` : 'this step has no blocks',
  };
}

/** The ids closest to `id` (did-you-mean first), for an error message. */
export function closeIds(id: string, ids: readonly string[]): string {
  const best = didYouMean(id, ids);
  const prefix = id.replace(/-\d+$/, '');
  const near = ids.filter((i) => i !== best && (i.startsWith(prefix) || prefix.startsWith(i.replace(/-\d+$/, '')))).slice(0, 6);
  const list = [...(best ? [best] : []), ...near];
  if (best) return `did you mean "${best}"?${near.length > 0 ? ` (also: ${near.join(', ')})` : ''} \`labs list\` shows every id`;
  return list.length > 0 ? `close ids: ${list.join(', ')}; \`labs list\` shows every id` : '`labs list` shows every block id with its line';
}

/** The blocks from `from` to `to` (inclusive, run order); `to` before `from` is an error. */
export function blockRange(lab: Lab, from: Block, to: Block): Block[] | { message: string; hint: string } {
  const blocks = allBlocks(lab);
  const a = blocks.indexOf(from);
  const b = blocks.indexOf(to);
  if (b < a) return { message: `--to ${to.id} (${to.file}:${to.line}) comes before ${from.id} (${from.file}:${from.line})`, hint: 'give the earlier block first' };
  return blocks.slice(a, b + 1);
}

/**
 * The lab cut down to `blocks`: only their steps, each with only those blocks, in run order
 * (for runs against live state, where earlier blocks already ran).
 */
export function labOfBlocks(lab: Lab, blocks: readonly Block[], config: Partial<Lab['config']> = {}): Lab {
  const ids = new Set(blocks.map((b) => b.id));
  const steps = lab.steps.map((s) => ({ ...s, blocks: s.blocks.filter((b) => ids.has(b.id)) })).filter((s) => s.blocks.length > 0);
  return { ...lab, config: { ...lab.config, ...config }, steps };
}

/**
 * The lab cut after `last` (the rest of its step and later steps dropped), for a run from
 * scratch: the steps before `last`'s step are replayed, its own step runs up to `last`.
 */
export function labUpTo(lab: Lab, last: Block): Lab {
  const i = lab.steps.findIndex((s) => s.blocks.includes(last));
  const steps = lab.steps.slice(0, i + 1).map((s, k) => (k === i ? { ...s, blocks: s.blocks.slice(0, s.blocks.indexOf(last) + 1) } : s));
  return { ...lab, steps };
}
