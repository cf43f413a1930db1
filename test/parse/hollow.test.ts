import { describe, expect, it } from 'vitest';
import { extractBlocks, hollowBlocksOfLastParse } from '../../src/parse/extract-blocks.ts';

// A long transcript is parsed with its body blanked out and put back from the source: the result
// must be exactly what a full parse gives, also where the shortcut does not apply.
const sessions = { host: { prompt: '$ ' } };
const extract = (source: string, hollowLines: number) => extractBlocks(source, { file: 'p.mdx', slug: 'p', sessions, hollowLines });

function body(n: number, indent = ''): string {
  return Array.from({ length: n }, (_, k) => `${indent}line ${k} \`tick\` <b>{x}</b> # not a heading`).join('\n');
}

// name → [page, blocks the shortcut applies to]
const pages: Record<string, [string, number]> = {
  'a long block among short ones': [`# T\n\n\`\`\`console\n$ echo a\na\n\`\`\`\n\n\`\`\`console id=big\n$ seq 50\n${body(50)}\n\`\`\`\n\nText.\n\n~~~console\n$ echo b\nb\n~~~\n`, 1],
  'an indented fence': [`# T\n\n  \`\`\`console\n  $ seq 50\n${body(50, '  ')}\n  \`\`\`\n`, 1],
  'a fence in a list (the shortcut does not apply)': [`# T\n\n- item\n\n  \`\`\`console\n  $ seq 50\n${body(50, '  ')}\n  \`\`\`\n`, 0],
  'a tilde fence with a longer closing fence': [`~~~~console\n$ seq 50\n${body(50)}\n~~~~~\n`, 1],
  'windows line endings': [`# T\r\n\r\n\`\`\`console\r\n$ seq 50\r\n${body(50).replaceAll('\n', '\r\n')}\r\n\`\`\`\r\n`, 1],
  'a broken MDX tag after a long block (its problem keeps its source line)': [`# T\n\n\`\`\`console\n$ seq 50\n${body(50)}\n\`\`\`\n\nText <b>{oops\n\n\`\`\`console\n$ echo z\nz\n\`\`\`\n`, 1],
  'an unclosed fence': [`# T\n\n\`\`\`console\n$ seq 50\n${body(50)}\n`, 0],
};

describe('parsing long fenced blocks hollow', () => {
  for (const [name, page] of Object.entries(pages)) {
    it(`gives what a full parse gives: ${name}`, () => {
      const full = extract(page[0], Infinity);
      const hollow = extract(page[0], 10);
      expect(hollowBlocksOfLastParse()).toBe(page[1]);
      expect(hollow).toEqual(full);
      expect(full.blocks.length).toBeGreaterThan(0);
      if (name.startsWith('a broken MDX')) expect(full.problems[0]?.location.line).toBe(57);
    });
  }
});
