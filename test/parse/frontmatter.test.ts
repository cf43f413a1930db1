import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitFrontmatter } from '../../src/parse/frontmatter.ts';

/**
 * The frontmatter split as it was written first: the whole source split into lines, the closing
 * line found among them, the content joined again. The split in src/ reads only the lines it
 * needs; it must give the same content, YAML text and problems on every source.
 */
function splitByLines(source: string): { content: string; yaml?: string } {
  const lines = source.split('\n');
  if (lines[0]?.replace(/\r$/, '').trimEnd() !== '---') return { content: source };
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l.replace(/\r$/, '')));
  if (close < 0) return { content: source };
  const yamlText = lines.slice(1, close).join('\n');
  return { content: lines.map((l, i) => (i <= close ? '' : l)).join('\n'), yaml: '\n' + yamlText };
}

// Sources built line by line, most of them opening with a fence, so closing lines are found at
// every distance from the top (and sometimes not at all).
const lineText = fc.oneof(fc.constantFrom('---', '--- ', '---\t', '...', '.. ', '- --', '---x', 'title: T', 'a: [1', 'x: 1', '# H', '```', '', '\r', ' '), fc.string({ maxLength: 4 }));
const source = fc
  .tuple(fc.constantFrom('---', '--- ', '---\r', ' ---', '# T', ''), fc.array(lineText, { maxLength: 14 }), fc.constantFrom('\n', '\r\n'))
  .map(([first, rest, eol]) => [first, ...rest].join(eol));

describe('splitFrontmatter', () => {
  it('gives what splitting every line gives', () => {
    fc.assert(
      fc.property(source, (src) => {
        const got = splitFrontmatter(src, 'p.mdx');
        const want = splitByLines(src);
        expect(got.content).toBe(want.content);
        expect(got.yaml).toBe(want.yaml);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps line numbers and reads the YAML between the fences', () => {
    const got = splitFrontmatter('---\r\ntitle: Hi\nn: 2\n...  \n# Body\n\nText\n', 'p.mdx');
    expect(got.data).toEqual({ title: 'Hi', n: 2 });
    expect(got.content).toBe('\n\n\n\n# Body\n\nText\n');
    expect(got.content.split('\n')[4]).toBe('# Body');
    expect(got.yaml).toBe('\ntitle: Hi\nn: 2');
  });

  it('a closing fence on the last line, an empty frontmatter, none at all, an unclosed one', () => {
    expect(splitFrontmatter('---\na: 1\n---', 'p.mdx').content).toBe('\n\n');
    expect(splitFrontmatter('---\n---\nx', 'p.mdx')).toMatchObject({ content: '\n\nx', yaml: '\n' });
    expect(splitFrontmatter('# T\n---\n', 'p.mdx')).toEqual({ content: '# T\n---\n', problems: [] });
    expect(splitFrontmatter('---\na: 1\n', 'p.mdx')).toEqual({ content: '---\na: 1\n', problems: [] });
  });

  it('still reports broken YAML at its line in the file', () => {
    const got = splitFrontmatter('---\ntitle: ok\nbad: [1\n---\n', 'p.mdx');
    expect(got.problems.length).toBeGreaterThan(0);
    expect(got.problems[0]!.location.line).toBeGreaterThanOrEqual(3);
  });
});
