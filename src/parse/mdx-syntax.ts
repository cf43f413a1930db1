import type { Parser } from 'acorn';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { mdxExpression } from 'micromark-extension-mdx-expression';
import { mdxJsx } from 'micromark-extension-mdx-jsx';
import { mdxMd } from 'micromark-extension-mdx-md';
import { mdxjsEsm } from 'micromark-extension-mdxjs-esm';
import { combineExtensions } from 'micromark-util-combine-extensions';
import { createRequire } from 'node:module';
import type { Processor } from 'unified';

/**
 * remark-mdx's parsing half with acorn taken at its first use. MDX reads JavaScript (a `{…}`
 * expression, an import or export line, a JSX attribute's value) with acorn, and remark-mdx
 * loads it, with the tables it builds as it loads, for every page, when most pages hold no
 * JavaScript at all. These are remark-mdx's own extensions, in its order and with its settings
 * (micromark-extension-mdxjs's `mdxjs` and mdast-util-mdx's `mdxFromMarkdown`), so a page parses
 * to the same tree; the only difference is when acorn is loaded. Writing MDX back out is not
 * needed here and not set up.
 */
export function remarkMdxSyntax(this: Processor): void {
  const data = this.data();
  const settings = mdxjsSettings();
  (data.micromarkExtensions ??= []).push(combineExtensions([mdxjsEsm(settings), mdxExpression(settings), mdxJsx(settings), mdxMd()]));
  (data.fromMarkdownExtensions ??= []).push(mdxFromMarkdown());
}

/** acorn extended with JSX, as micromark-extension-mdxjs makes it; loaded by the first call. */
let parser: typeof Parser | undefined;
function acorn(): typeof Parser {
  if (!parser) {
    const require = createRequire(import.meta.url);
    const { Parser: base } = require('acorn') as typeof import('acorn');
    const jsx = require('acorn-jsx') as typeof import('acorn-jsx');
    parser = base.extend(jsx());
  }
  return parser;
}

/** What micromark-extension-mdxjs gives the extensions, with a stand-in for acorn that loads it when first asked to parse. */
function mdxjsSettings() {
  return {
    acorn: {
      parse: (...args: Parameters<typeof Parser.parse>) => acorn().parse(...args),
      parseExpressionAt: (...args: Parameters<typeof Parser.parseExpressionAt>) => acorn().parseExpressionAt(...args),
    },
    acornOptions: { ecmaVersion: 2024, sourceType: 'module' },
    addResult: true,
  } satisfies Parameters<typeof mdxjsEsm>[0];
}
