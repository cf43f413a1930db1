import type { Block } from './block.ts';

/** SHA-256 in hex. node:crypto is taken at the first hash, not on import: commands that hash nothing (`--help`) start without loading it. */
function sha256(text: string): string {
  return process.getBuiltinModule('node:crypto').hash('sha256', text, 'hex');
}

/**
 * Hash of what a block checks: its commands, expected output and options (or a file block's
 * path and content). A record whose hash differs from the block's is stale. Line numbers are
 * left out on purpose, so editing prose above a block does not make its record stale.
 */
export function hashBlock(block: Block): string {
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
