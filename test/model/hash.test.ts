import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandBlock } from '../../src/model/block.ts';
import { computeBlockHash, freezeBlock, hashBlock, hashSource, rememberBlockHash } from '../../src/model/hash.ts';

// Records made before keep matching their blocks only if the hash of the same block stays the
// same string: the digest is compared with one computed the long way.
const longWay = (text: string) => createHash('sha256').update(text).digest('hex');

/** A one-command block that prints `hi`, with `options` added to its own. */
const echoBlock = (options: object = {}) =>
  ({
    kind: 'command',
    id: 'b1',
    file: 'lab/01.mdx',
    line: 3,
    options: { session: 'host', timeoutMs: 1000, output: 'exact', exit: 0, ...options },
    commands: [{ prompt: '$ ', text: 'echo hi', line: 4, expected: [{ text: 'hi', line: 5 }] }],
  }) as unknown as CommandBlock;

describe('block and source hashes', () => {
  it('are the SHA-256 of the text, in hex', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(hashSource(text)).toBe(`sha256:${longWay(text)}`);
      }),
    );
  });

  it('hash what a block checks, and change when it changes', () => {
    const block = echoBlock();
    const what = { kind: 'command', options: { ...block.options, id: undefined }, commands: [{ prompt: '$ ', text: 'echo hi', expected: ['hi'] }] };
    expect(hashBlock(block)).toBe(`sha256:${longWay(JSON.stringify(what)).slice(0, 32)}`);
    const drifted = { ...block, commands: [{ ...block.commands[0]!, expected: [{ text: 'ho', line: 5 }] }] } as unknown as CommandBlock;
    expect(hashBlock(drifted)).not.toBe(hashBlock(block));
    expect(hashBlock({ ...block, line: 90 } as CommandBlock)).toBe(hashBlock(block));
  });

  // A remembered hash is only true while the block is what was hashed: every part the hash
  // covers is frozen, so code that changes a block after reading it fails loudly instead.
  it('freeze a block whose hash is remembered, in every part the hash covers', () => {
    const block = echoBlock({ ready: { kind: 'port', port: 8080 } });
    const hash = computeBlockHash(block);
    rememberBlockHash(block, hash);
    const changes: [string, () => void][] = [
      ['an expected line', () => ((block.commands[0]!.expected[0] as { text: string }).text = 'ho')],
      ['the expected lines', () => block.commands[0]!.expected.push({ text: 'more', line: 6 })],
      ['a command', () => ((block.commands[0] as { text: string }).text = 'echo ho')],
      ['the commands', () => block.commands.pop()],
      ['an option', () => ((block.options as { output: string }).output = 'contains')],
      ['a ready probe', () => (((block.options.ready as { port: number }).port = 9090))],
      ['the block', () => ((block as { options: unknown }).options = {})],
    ];
    for (const [what, change] of changes) expect(change, what).toThrow(TypeError);
    expect(hashBlock(block)).toBe(computeBlockHash(block));
    expect(block.commands[0]!.expected.map((l) => l.text)).toEqual(['hi']);
  });

  it('freeze a file block too', () => {
    const block = freezeBlock({ kind: 'file', id: 'f1', file: 'lab/01.mdx', line: 1, endLine: 3, lang: 'sh', meta: 'file=a.sh', body: 'x', path: 'a.sh', session: 'host', content: 'x' });
    expect(() => ((block as { content: string }).content = 'y')).toThrow(TypeError);
  });
});

