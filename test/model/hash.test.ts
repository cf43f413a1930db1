import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandBlock } from '../../src/model/block.ts';
import { hashBlock, hashSource } from '../../src/model/hash.ts';

// Records made before keep matching their blocks only if the hash of the same block stays the
// same string: the digest is compared with one computed the long way.
const longWay = (text: string) => createHash('sha256').update(text).digest('hex');

describe('block and source hashes', () => {
  it('are the SHA-256 of the text, in hex', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(hashSource(text)).toBe(`sha256:${longWay(text)}`);
      }),
    );
  });

  it('hash what a block checks, and change when it changes', () => {
    const block = {
      kind: 'command',
      id: 'b1',
      file: 'lab/01.mdx',
      line: 3,
      options: { session: 'host', timeoutMs: 1000, output: 'exact', exit: 0 },
      commands: [{ prompt: '$ ', text: 'echo hi', line: 4, expected: [{ text: 'hi', line: 5 }] }],
    } as unknown as CommandBlock;
    const what = { kind: 'command', options: { ...block.options, id: undefined }, commands: [{ prompt: '$ ', text: 'echo hi', expected: ['hi'] }] };
    expect(hashBlock(block)).toBe(`sha256:${longWay(JSON.stringify(what)).slice(0, 32)}`);
    const drifted = { ...block, commands: [{ ...block.commands[0]!, expected: [{ text: 'ho', line: 5 }] }] } as unknown as CommandBlock;
    expect(hashBlock(drifted)).not.toBe(hashBlock(block));
    expect(hashBlock({ ...block, line: 90 } as CommandBlock)).toBe(hashBlock(block));
  });
});
