import { execa } from 'execa';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { remarkMdxSyntax } from '../../src/parse/mdx-syntax.ts';

// The lab parser reads MDX with remarkMdxSyntax, which loads acorn only when a page holds
// JavaScript. It must read every page exactly as remark-mdx does: the same tree (with the
// estree of every expression, import and attribute) and the same errors at the same places.

const ROOT = join(import.meta.dirname, '../..');

/** The outcome of parsing: the tree as plain data, or the error's message and place. */
function outcome(plugin: typeof remarkMdx | typeof remarkMdxSyntax, text: string): unknown {
  try {
    const tree = unified().use(remarkParse).use(plugin).parse(text);
    return JSON.parse(JSON.stringify(tree, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof RegExp ? String(v) : v)));
  } catch (e) {
    const m = e as { message?: string; line?: number; column?: number; ruleId?: string; source?: string };
    return { error: m.message, line: m.line, column: m.column, ruleId: m.ruleId, source: m.source };
  }
}

function mdxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.mdx'))
    .map((e) => join(e.parentPath, e.name));
}

describe('remarkMdxSyntax', () => {
  it("reads every page of the project as remark-mdx does", () => {
    const pages = ['content', 'slides', 'test/fixtures'].flatMap((d) => mdxFiles(join(ROOT, d)));
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      expect([page, outcome(remarkMdxSyntax, text)]).toEqual([page, outcome(remarkMdx, text)]);
    }
  });

  it('reads JavaScript, JSX and broken MDX as remark-mdx does', () => {
    const cases = [
      "import { Tabs } from './tabs.ts'\nexport const answer = 42\n\n# {answer} and {`text ${1 + 1}`}\n",
      '<Replay id="demo" speed={1.5} {...rest}>\n  text with {/* a comment */} inside\n</Replay>\n',
      'A <abbr title="x">tag</abbr> and <b>bold {value}</b> in a line.\n',
      '```console\n$ echo {not js}\n{not js}\n```\n',
      '{1 +}\n',
      'import x from\n',
      '<Open attr={} />\n',
      '<a>\n',
      'text {\n',
      'export default function Page() { return <div /> }\n',
    ];
    for (const text of cases) expect([text, outcome(remarkMdxSyntax, text)]).toEqual([text, outcome(remarkMdx, text)]);
  });

  it('reads any mix of prose, expressions, JSX, ESM and code as remark-mdx does (property)', () => {
    const piece = fc.constantFrom(
      'plain words',
      '{a + b}',
      '{ {x: 1} }',
      '{',
      '}',
      '<Tag />',
      '<Tag a="1" b={2} />',
      '<Tag {...p}>',
      '</Tag>',
      '<',
      'import a from "b"',
      'export const c = 1',
      '```console\n$ ls {x}\nout\n```',
      '# Heading {h}',
      '- item {i}',
      '    indented {code}',
      '<!-- html comment -->',
      '{/* note */}',
      '`code {x}`',
      '$ echo <x>',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, fc.constantFrom('\n', '\n\n', ' ', '')), { maxLength: 8 }), (parts) => {
        const text = parts.map(([p, sep]) => p + sep).join('');
        expect(outcome(remarkMdxSyntax, text)).toEqual(outcome(remarkMdx, text));
      }),
      { numRuns: 300 },
    );
  });

  it('loads acorn only for a page that holds JavaScript', async () => {
    const probe = (text: string) =>
      execa(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { createRequire } from 'node:module';
           import remarkParse from 'remark-parse';
           import { unified } from 'unified';
           import { remarkMdxSyntax } from ${JSON.stringify(join(ROOT, 'src/parse/mdx-syntax.ts'))};
           unified().use(remarkParse).use(remarkMdxSyntax).parse(${JSON.stringify(text)});
           const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('/node_modules/acorn'));
           console.log(JSON.stringify(loaded.length));`,
        ],
        { cwd: ROOT },
      );
    expect((await probe('# Step\n\n```console\n$ echo hi\nhi\n```\n')).stdout).toBe('0');
    expect(Number((await probe('# Step {1 + 1}\n')).stdout)).toBeGreaterThan(0);
  });
});
