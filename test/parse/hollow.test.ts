import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  // A page with an MDX problem is parsed whole, so its problems are the full parse's.
  'a broken MDX tag after a long block (its problem keeps its source line)': [`# T\n\n\`\`\`console\n$ seq 50\n${body(50)}\n\`\`\`\n\nText <b>{oops\n\n\`\`\`console\n$ echo z\nz\n\`\`\`\n`, 0],
  // MDX closes a fence with an indented closing fence, Markdown does not: the page goes the long way.
  'a closing fence indented four spaces': [`# T\n\n\`\`\`console\n$ seq 50\n${body(20)}\n    \`\`\`\n# After\n${body(20)}\n\`\`\`\n`, 0],
  'a lone carriage return in a body': [`# T\n\n\`\`\`console\n$ seq 50\n${body(20)}\r\`\`\`\n${body(20)}\n\`\`\`\n`, 0],
  'an unclosed expression before a fence': [`# T\n\n{\n\`\`\`console\n$ echo }\n${body(20)}\n\`\`\`\n`, 0],
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

// Every page is parsed with the shortcut for every fence, and whole: blocks (commands, expected
// lines, options, ids, lines), title and problems must be the same.
describe('parsing every fence hollow gives what a full parse gives', () => {
  const root = join(import.meta.dirname, '../..');
  const pagesIn = (dir: string) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.mdx?$/.test(f))
      .map((f) => join(dir, f));
  const real = [...pagesIn('content'), ...pagesIn('slides'), ...pagesIn('test/fixtures')];
  const allSessions = { host: { prompt: '$ ' }, node: { prompt: 'root@kind-control-plane:/# ' }, client: { prompt: '/ # ' } };
  const both = (source: string, file: string) => {
    const opts = { file, slug: 'p', sessions: allSessions };
    const full = extractBlocks(source, { ...opts, hollowLines: Infinity });
    const hollow = extractBlocks(source, { ...opts, hollowLines: 0 });
    return { full, hollow, used: hollowBlocksOfLastParse() };
  };

  it('on the project’s own pages', () => {
    expect(real.length).toBeGreaterThan(20);
    let used = 0;
    for (const file of real) {
      const r = both(readFileSync(join(root, file), 'utf8'), file);
      expect(r.hollow, file).toEqual(r.full);
      if (r.used > 0) used++;
    }
    // The shortcut is really taken on most of them (else this compares the full parse with itself).
    expect(used).toBeGreaterThan(real.length / 2);
  });

  // Pages of well-formed fences and stray lines: fence lines of every kind (indented, with tabs,
  // in containers, not closing), bodies that look like fences, MDX that spans lines, CR and NUL.
  const opener = fc.oneof({ weight: 3, arbitrary: fc.constant('```console') }, fc.constantFrom('```console', '```console', '```', '~~~console', '````console', '  ```console', '   ```', '    ```console', '\t```console', '```console session=node', '```yaml file=a.yaml', '``` `x`', '```console id=x output=contains', '- ```console', '> ```console', '```console skip="a &amp; b"', '~~~console\\_x id=y', '```  console   session=node  '));
  const closer = fc.oneof({ weight: 6, arbitrary: fc.constant('```') }, fc.constantFrom('~~~', '````', '    ```', '\t```', '  ```  ', '```\r', ' ```', '~~~~~', '> ```'));
  const bodyLine = fc.constantFrom('$ echo hi', 'hi', '$ cat <<EOF', 'EOF', '...', 'x: 1', '  indented', '\tTab', 'a {b} <c>', '', '/ # ls', '$ ls \\', '  -l', '```', '    ```', '~~~', '# not a heading', '{', '</Tabs>');
  const stray = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('', '', '# Title', '## Sub', 'Text with `code` and <b>x</b>.', '- item', '1. step', '   continued', '> quote', 'import x from "y"', 'export const a = 1', '[a]: /u "t', 'Title\n===', '---', '<Aside type="tip">x</Aside>', '{1 + 1}') },
    { weight: 1, arbitrary: fc.constantFrom('{', '}', '<Foo a="', '"/>', '\r', 'a\0b', '<Tabs>', '</Tabs>', '<!-- c -->') },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
  const fence = fc.tuple(opener, fc.array(bodyLine, { maxLength: 5 }), closer).map(([o, b, c]) => [o, ...b, c].join('\n'));
  const wrapped = fc.tuple(fc.constantFrom(['<Tabs>', '</Tabs>'], ['<Aside type="tip">', '</Aside>'], ['- item', ''], ['1. step', '']), fence).map(([[a, z], f]) => [a, '', f, '', z].join('\n'));
  const pageArb = fc
    .tuple(fc.array(fc.oneof({ weight: 3, arbitrary: fence }, { weight: 1, arbitrary: wrapped }, { weight: 2, arbitrary: stray }), { maxLength: 12 }), fc.boolean())
    .map(([parts, crlf]) => parts.join('\n').replaceAll('\n', crlf ? '\r\n' : '\n'));

  it('on long generated pages (many groups of blocks)', () => {
    const longPage = fc
      .array(fc.oneof({ weight: 6, arbitrary: fence }, { weight: 1, arbitrary: wrapped }, { weight: 2, arbitrary: stray }), { minLength: 40, maxLength: 120 })
      .map((parts) => parts.join('\n'));
    fc.assert(
      fc.property(longPage, (page) => {
        const r = both(page, 'p.mdx');
        expect(r.hollow).toEqual(r.full);
      }),
      { numRuns: 40 },
    );
    const bench = Array.from({ length: 300 }, (_, k) => `\`\`\`console\n$ echo line ${k}\nline ${k}\n\`\`\`\n`).join('\n');
    const r = both(`# Bench\n\n${bench}`, 'p.mdx');
    expect(r.used).toBe(300);
    expect(r.hollow).toEqual(r.full);
    expect(r.full.blocks.map((b) => b.line)).toEqual(Array.from({ length: 300 }, (_, k) => 3 + 5 * k));
  });

  for (const file of ['p.mdx', 'p.md']) {
    it(`on generated pages (${file})`, () => {
      let used = 0;
      let runs = 0;
      fc.assert(
        fc.property(pageArb, (page) => {
          runs++;
          const r = both(page, file);
          expect(r.hollow).toEqual(r.full);
          if (r.used > 0) used++;
        }),
        { numRuns: 800 },
      );
      expect(used).toBeGreaterThan(runs / 5);
    });
  }
});
