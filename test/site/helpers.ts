/** Builders shared by the site's unit tests: real blocks from the real parser, records around them. */
import type { Block, CommandBlock, FileBlock } from '../../src/model/block.ts';
import type { SessionDef } from '../../src/model/lab.ts';
import type { BlockResult } from '../../src/model/result.ts';
import { extractBlocks } from '../../src/parse/extract-blocks.ts';

/** Parses a Markdown snippet's blocks with the runner's parser. */
export function blocksOf(markdown: string, sessions: Record<string, SessionDef> = {}): Block[] {
  const { blocks, problems } = extractBlocks(markdown, { file: 'content/labs/demo/01-demo.mdx', slug: '01-demo', sessions });
  if (problems.length > 0) throw new Error(`fixture has problems: ${JSON.stringify(problems)}`);
  return blocks;
}

/** The first block of a snippet, which must be a command block. */
export function commandBlock(markdown: string, sessions: Record<string, SessionDef> = {}): CommandBlock {
  const b = blocksOf(markdown, sessions)[0];
  if (b?.kind !== 'command') throw new Error('expected a command block');
  return b;
}

/** The first block of a snippet, which must be a file block. */
export function fileBlock(markdown: string): FileBlock {
  const b = blocksOf(markdown)[0];
  if (b?.kind !== 'file') throw new Error('expected a file block');
  return b;
}

/** A fenced block as Markdown. */
export function fence(lang: string, meta: string, body: string): string {
  return ['```' + lang + (meta ? ` ${meta}` : ''), body, '```', ''].join('\n');
}

/** A record entry for a block. */
export function resultFor(block: Block, hash: string, over: Partial<BlockResult> = {}): BlockResult {
  return { id: block.id, file: block.file, line: block.line, hash, status: 'pass', attempts: 1, durationMs: 10, commands: [], bindings: {}, at: '2026-05-12T03:14:15.000Z', ...over };
}
