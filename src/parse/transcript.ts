import type { Command, ExpectedLine } from '../model/block.ts';
import type { Problem } from '../model/location.ts';
import { findHeredocs, isHeredocEnd, type HeredocOperator, type ShellScanState } from './heredoc.ts';
import { seeGuide } from './guide.ts';
import { makeProblem } from './problem.ts';

/** Where a transcript body sits and which prompts start its command lines. */
export interface TranscriptOptions {
  /** Prompts of the block's session, e.g. `["$ "]`; the longest that matches wins. */
  prompts: readonly string[];
  /** Source line of the body's first line. */
  firstLine: number;
  /** File as shown to users, for problem locations. */
  file: string;
  /** Source column of the body's first character (a fence indented in a list). @default 1 */
  column?: number;
  /**
   * The session is a REPL, not a shell: a command is its prompt line plus the lines that follow
   * it starting with `continuation` (`... `); no shell continuations or here-documents.
   */
  repl?: boolean;
  continuation?: string;
}

/**
 * Splits a ```console body into commands and their expected output (contract §3).
 *
 * - A line starting with a prompt is a command; a command line ending in `\` continues on the
 *   next line; here-document bodies belong to their command up to their terminator.
 * - Other lines, up to the next command, are the command's expected output, verbatim
 *   (`...` and `[[…]]` are left for normalise); leading and trailing blank lines are dropped.
 * - A line that is only the prompt (a transcript's final `/ #`) ends the output and runs nothing.
 *
 * Never throws; problems are located at the source line.
 */
export function parseTranscript(body: string, opts: TranscriptOptions): { commands: Command[]; problems: Problem[] } {
  const prompts = [...new Set(opts.prompts.filter((p) => p.length > 0))].sort((a, b) => b.length - a.length);
  // A plain split when there is no carriage return: a regular expression split of a large body costs more.
  const lines = body.includes('\r') ? body.split(/\r?\n/) : body.split('\n');
  // Prompts that end the output when a line holds just them (trailing whitespace aside).
  const bare = prompts.map((p) => p.trimEnd()).filter((p) => p !== '');
  const column = opts.column ?? 1;
  const at = (index: number, col = 1) => ({ file: opts.file, line: opts.firstLine + index, column: column + col - 1 });
  const commands: Command[] = [];
  const problems: Problem[] = [];
  let current: { command: Command; output: ExpectedLine[] } | undefined;
  let strayReported = false;

  const finish = () => {
    if (current) {
      current.command.expected = trimBlankEnds(current.output);
      commands.push(current.command);
    }
    current = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBarePrompt(line, bare)) {
      finish();
      strayReported = false;
      continue;
    }
    const prompt = promptStarting(line, prompts);
    if (prompt === undefined) {
      if (current && line.includes('…') && line.trim() === '…') {
        problems.push(makeProblem('parse', at(i, line.indexOf('…') + 1), 'a line holding only "…" is not an elision', `write ... (three full stops) to stand for any number of lines ${seeGuide('blocks')}`));
      }
      if (current) current.output.push({ text: line, line: opts.firstLine + i });
      else if (line.trim() !== '' && !strayReported) {
        strayReported = true;
        const what = commands.length === 0 ? 'output before the first command' : 'output after a bare prompt';
        problems.push(makeProblem('parse', at(i), what, `start the line with the session prompt ${JSON.stringify(prompts[0] ?? '$ ')}`));
      }
      continue;
    }
    finish();
    strayReported = false;
    const read = opts.repl ? readReplCommand(lines, i, prompt, opts.continuation) : readCommand(lines, i, prompt, at, problems);
    current = {
      command: { prompt, text: read.text, line: opts.firstLine + i, lineCount: read.end - i + 1, expected: [] },
      output: [],
    };
    i = read.end;
  }
  finish();
  return { commands, problems };
}

/** Whether `line` is one of the `bare` prompts followed by whitespace only. */
function isBarePrompt(line: string, bare: readonly string[]): boolean {
  // Runs for every line of a block: look at the whole line only when it starts with a prompt.
  for (let k = 0; k < bare.length; k++) if (line.startsWith(bare[k]!) && line.trimEnd() === bare[k]) return true;
  return false;
}

/** The first of `prompts` that `line` starts with. */
function promptStarting(line: string, prompts: readonly string[]): string | undefined {
  for (let k = 0; k < prompts.length; k++) if (line.startsWith(prompts[k]!)) return prompts[k];
  return undefined;
}

/** Reads a command from line `start`: its continuation lines and here-documents. */
function readCommand(
  lines: string[],
  start: number,
  prompt: string,
  at: (index: number, col?: number) => { file: string; line: number; column: number },
  problems: Problem[],
): { text: string; end: number } {
  const state: ShellScanState = { quote: '', arith: 0 };
  const text: string[] = [lines[start]!.slice(prompt.length)];
  const ops: { op: HeredocOperator; index: number; col: number }[] = [];
  const scan = (s: string, index: number, offset: number) => {
    for (const op of findHeredocs(s, state)) ops.push({ op, index, col: offset + op.index + 1 });
  };
  scan(text[0]!, start, prompt.length);
  let i = start;
  while (endsWithContinuation(text[text.length - 1]!)) {
    if (i + 1 >= lines.length) {
      problems.push(makeProblem('parse', at(i, lines[i]!.length), 'the command ends with "\\" but nothing follows', 'remove the trailing backslash or add the next line of the command'));
      break;
    }
    i++;
    text.push(lines[i]!);
    scan(lines[i]!, i, 0);
  }
  for (const { op, index, col } of ops) {
    let j = i + 1;
    while (j < lines.length && !isHeredocEnd(lines[j]!, op)) j++;
    if (j >= lines.length) {
      problems.push(
        makeProblem('parse', at(index, col), `here-document is not terminated: no line "${op.terminator}" follows`, `end the here-document with a line holding just ${op.terminator}${op.stripTabs ? ' (tabs before it are allowed with <<-)' : ''}`),
      );
      for (let k = i + 1; k < lines.length; k++) text.push(lines[k]!);
      return { text: text.join('\n'), end: lines.length - 1 };
    }
    for (let k = i + 1; k <= j; k++) text.push(lines[k]!);
    i = j;
  }
  return { text: text.join('\n'), end: i };
}

/**
 * Reads a REPL command from line `start`: its continuation lines (prompt removed). A line that is
 * just the continuation prompt ends a compound statement: it is typed as an empty line.
 */
function readReplCommand(lines: string[], start: number, prompt: string, continuation: string | undefined): { text: string; end: number } {
  const text = [lines[start]!.slice(prompt.length)];
  let i = start;
  const bare = continuation?.trimEnd();
  while (continuation && i + 1 < lines.length) {
    const next = lines[i + 1]!;
    if (next.startsWith(continuation)) text.push(next.slice(continuation.length));
    else if (bare && next.trimEnd() === bare) text.push('');
    else break;
    i++;
  }
  return { text: text.join('\n'), end: i };
}

/** A line continues when it ends in an odd number of backslashes (`\\` is a literal backslash). */
function endsWithContinuation(line: string): boolean {
  const m = /\\+$/.exec(line);
  return m !== null && m[0].length % 2 === 1;
}

function trimBlankEnds(lines: ExpectedLine[]): ExpectedLine[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a]!.text.trim() === '') a++;
  while (b > a && lines[b - 1]!.text.trim() === '') b--;
  return a === 0 && b === lines.length ? lines : lines.slice(a, b);
}
