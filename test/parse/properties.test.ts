import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/model/location.ts';
import { extractBlocks, parseLabConfig, parseMetaOptions, parseTranscript } from '../../src/parse/index.ts';

/** Strings built from the pieces each parser cares about, mixed with arbitrary text, to reach its edge cases. */
function textOf(pieces: string[]): fc.Arbitrary<string> {
  return fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 40 }).map((a) => a.join(''));
}

const transcriptText = textOf(['$ ', '/ # ', '\n', '\\', '\\\n', '<<EOF', "<<'EOF'", '<<-EOF', '\tEOF', 'EOF', '<<<', '$((1<<2))', '#', "'", '"', '...', '[[', ']]', ' ', '\r\n', 'cat ']);
const metaText = textOf(['session=', 'opens=', 'skip=', 'output=', 'wait=', 'timeout=', 'exit=', 'background', 'id=', 'file=', '"', "'", '\\"', ' ', '=', '30s', 'any', 'node', 'contains']);
const yamlText = textOf(['title: ', 'target: ', 'kind', 'local', '\n', '  ', '- ', 'sessions:', 'prompt: ', 'volatile:', 'pattern: ', '"(', '[', ']', '{', '}', ':', '&a', '*a', '!!', '---', '#', 'tiemout: ', '"']);
const mdxText = textOf(['```console', '```', '~~~', '\n', '$ ', ' session=', ' file=', ' opens=client', 'x', '<Aside>', '</Aside>', '{', '}', '---\n', 'title: ', '# ', '<<EOF', 'EOF', '[[', 'import x from "y"\n', '> ', '  ', '<', '/>']);

function expectLocated(problems: Problem[], file: string): void {
  for (const p of problems) {
    expect(p.location.file).toBe(file);
    expect(Number.isInteger(p.location.line) && p.location.line >= 1).toBe(true);
    expect(Number.isInteger(p.location.column) && p.location.column >= 1).toBe(true);
    expect(p.message.length).toBeGreaterThan(0);
  }
}

const runs = { numRuns: 400 };

describe('parsers never throw and only return located problems', () => {
  it('parseTranscript', () => {
    fc.assert(
      fc.property(transcriptText, fc.constantFrom(['$ '], ['/ # '], ['root@kind-control-plane:/# ', '$ '], ['']), fc.integer({ min: 1, max: 500 }), (body, prompts, firstLine) => {
        const { commands, problems } = parseTranscript(body, { prompts, firstLine, file: 'p.mdx' });
        expectLocated(problems, 'p.mdx');
        const lastLine = firstLine + body.split(/\r?\n/).length - 1;
        for (const c of commands) {
          expect(c.line).toBeGreaterThanOrEqual(firstLine);
          expect(c.line + c.lineCount - 1).toBeLessThanOrEqual(lastLine);
          for (const l of c.expected) expect(l.line).toBeGreaterThan(c.line + c.lineCount - 1);
        }
      }),
      runs,
    );
  });

  it('parseTranscript: a body of prompted lines without specials is one command per line', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9 .|-]{0,20}$/), { minLength: 1, maxLength: 10 }), (cmds) => {
        const body = cmds.map((c) => `$ ${c}`).join('\n');
        const { commands, problems } = parseTranscript(body, { prompts: ['$ '], firstLine: 1, file: 'p.mdx' });
        expect(problems).toEqual([]);
        expect(commands.map((c) => c.text)).toEqual(cmds.filter((c) => c.trimEnd() !== ''));
      }),
      runs,
    );
  });

  it('parseMetaOptions', () => {
    fc.assert(
      fc.property(metaText, fc.integer({ min: 1, max: 40 }), (meta, column) => {
        const { problems, tokens } = parseMetaOptions(meta, { file: 'm.mdx', line: 3, column });
        expectLocated(problems, 'm.mdx');
        for (const t of tokens) expect(t.column).toBeGreaterThanOrEqual(column);
      }),
      runs,
    );
  });

  it('parseLabConfig', () => {
    fc.assert(
      fc.property(yamlText, (text) => {
        const r = parseLabConfig(text, 'lab.yaml');
        expectLocated(r.problems, 'lab.yaml');
        // Valid exactly when there is no problem.
        expect(r.config === undefined).toBe(r.problems.length > 0);
      }),
      runs,
    );
  });

  it('extractBlocks', () => {
    fc.assert(
      fc.property(mdxText, fc.boolean(), (source, mdx) => {
        const r = extractBlocks(source, { file: 's.mdx', slug: '01-s', sessions: { client: { prompt: '/ # ' } }, mdx });
        expectLocated(r.problems, 's.mdx');
        expect(typeof r.title).toBe('string');
        for (const b of r.blocks) expect(b.endLine).toBeGreaterThanOrEqual(b.line);
      }),
      runs,
    );
  });
});
