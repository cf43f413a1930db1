import type { Block } from './block.ts';

/** SHA-256 in hex. node:crypto is taken at the first hash, not on import: commands that hash nothing (`--help`) start without loading it. */
function sha256(text: string): string {
  return (crypto ??= process.getBuiltinModule('node:crypto')).hash('sha256', text, 'hex');
}
let crypto: typeof import('node:crypto') | undefined;

/** Hashes of blocks read back from the parser's cache of pages (see `rememberBlockHash`). */
const remembered = new WeakMap<Block, string>();

/**
 * Gives `block` the hash a block equal to it had when its page was read before, so that
 * `hashBlock` need not hash it again. Only for a block taken back whole from what reading a page
 * gave. The block is frozen first (see `freezeBlock`): a remembered hash can then never belong to
 * a block that has changed since, which would make a record look current for a block it never
 * checked.
 */
export function rememberBlockHash(block: Block, hash: string): void {
  remembered.set(freezeBlock(block), hash);
}

/**
 * Freezes every part of `block` that its hash covers (the block, its options, commands and
 * expected lines), so that code changing a block after it was read throws instead of leaving a
 * hash behind that no longer describes it. Returns the block.
 */
export function freezeBlock(block: Block): Block {
  if (Object.isFrozen(block)) return block;
  if (block.kind === 'command') {
    const { options } = block;
    if (options.ready) Object.freeze(options.ready);
    Object.freeze(options);
    for (const c of block.commands) {
      for (const l of c.expected) Object.freeze(l);
      Object.freeze(c.expected);
      Object.freeze(c);
    }
    Object.freeze(block.commands);
  }
  return Object.freeze(block);
}

/**
 * Hash of what a block checks: its commands, expected output and options (or a file block's
 * path and content). A record whose hash differs from the block's is stale. Line numbers are
 * left out on purpose, so editing prose above a block does not make its record stale.
 */
export function hashBlock(block: Block): string {
  return remembered.get(block) ?? computeBlockHash(block);
}

/** `hashBlock`, always worked out from the block. */
export function computeBlockHash(block: Block): string {
  const what =
    block.kind === 'command'
      ? {
          kind: block.kind,
          options: { ...block.options, id: undefined },
          commands: block.commands.map((c) => ({ prompt: c.prompt, text: c.text, expected: c.expected.map((l) => l.text) })),
        }
      : { kind: block.kind, path: block.path, session: block.session, content: block.content };
  // One-shot hashing: a run hashes every block it checks, and a Hash object per block costs more than the digest.
  return 'sha256:' + sha256(JSON.stringify(what)).slice(0, 32);
}

/** Hash of a source file's text as parsed: `--update` rewrites a file only while it still has it. */
export function hashSource(text: string): string {
  return 'sha256:' + sha256(text);
}
