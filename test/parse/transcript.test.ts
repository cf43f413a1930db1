import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/parse/transcript.ts';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/parse/transcript');

interface Expected {
  prompts: string[];
  firstLine: number;
  commands: { text: string; line: number; lineCount: number; expected: [number, string][] }[];
  problems: { line: number; column: number; message: string; hint?: string }[];
}

/** A fixture body as a code node's value: the file's final newline is not part of it. */
function readBody(dir: string): string {
  return readFileSync(path.join(FIXTURES, dir, 'input.txt'), 'utf8').replace(/\n$/, '');
}

describe('parseTranscript fixtures', () => {
  for (const dir of readdirSync(FIXTURES).sort()) {
    it(dir, () => {
      const want = JSON.parse(readFileSync(path.join(FIXTURES, dir, 'expected.json'), 'utf8')) as Expected;
      const got = parseTranscript(readBody(dir), { prompts: want.prompts, firstLine: want.firstLine, file: 'step.mdx' });
      expect(got.commands.map((c) => ({ text: c.text, line: c.line, lineCount: c.lineCount, expected: c.expected.map((l) => [l.line, l.text]) }))).toEqual(want.commands);
      expect(got.commands.every((c) => want.prompts.includes(c.prompt))).toBe(true);
      expect(got.problems.map((p) => ({ line: p.location.line, column: p.location.column, message: p.message, ...(want.problems.some((w) => w.hint) ? { hint: p.hint } : {}) }))).toEqual(
        want.problems,
      );
      for (const p of got.problems) {
        expect(p.location.file).toBe('step.mdx');
        expect(p.hint).toBeTruthy();
      }
    });
  }
});

describe('parseTranscript', () => {
  const opts = { prompts: ['$ '], firstLine: 1, file: 'f.mdx' };

  it('prefers the longest prompt when several match', () => {
    const body = '# not a command\n## ls\nfile';
    const { commands } = parseTranscript(body, { ...opts, prompts: ['# ', '## '] });
    expect(commands.map((c) => [c.prompt, c.text])).toEqual([
      ['# ', 'not a command'],
      ['## ', 'ls'],
    ]);
  });

  it('a bare prompt line ends the output and runs nothing', () => {
    const { commands, problems } = parseTranscript('/ # wget -qO - website\n<html><body><h1>It works!</h1></body></html>\n/ #', { ...opts, prompts: ['/ # '] });
    expect(problems).toEqual([]);
    expect(commands).toHaveLength(1);
    expect(commands[0]!.expected.map((l) => l.text)).toEqual(['<html><body><h1>It works!</h1></body></html>']);
  });

  it('reports output after a bare prompt once', () => {
    const { problems } = parseTranscript('$ ls\n$\nstray\nstray too', opts);
    expect(problems.map((p) => [p.location.line, p.message])).toEqual([[3, 'output after a bare prompt']]);
  });

  it('handles CRLF bodies', () => {
    const { commands } = parseTranscript('$ echo hi\r\nhi\r\n', opts);
    expect(commands[0]!.text).toBe('echo hi');
    expect(commands[0]!.expected.map((l) => l.text)).toEqual(['hi']);
  });

  it('offsets columns by the body column (fences indented in lists)', () => {
    const { problems } = parseTranscript('$ cat <<EOF\nx', { ...opts, column: 3 });
    expect(problems[0]!.location.column).toBe(3 + 2 + 4);
  });

  it('reports an empty body as no commands and no problems (the block reports it)', () => {
    expect(parseTranscript('', opts)).toEqual({ commands: [], problems: [] });
  });
});
