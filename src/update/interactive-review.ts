import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { diffArrays } from 'diff';
import pc from 'picocolors';
import type { ReviewDecision, ReviewHunk } from './rewrite-expected.ts';

/** Where the review reads answers and writes diffs and questions. */
export interface ReviewIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Colour the diff (a terminal that did not ask for plain output). */
  color: boolean;
  /** Applied to every page and output line shown, so a secret a command printed is not shown (the console is redacted everywhere). @default as is */
  redact?: (text: string) => string;
  /** Aborting (Ctrl-C) ends the review as quit does. */
  signal?: AbortSignal;
  /** Editor command for `edit` (run through the shell with the file's path appended). @default $VISUAL, $EDITOR, then vi */
  editor?: string;
}

const HELP = `  a  accept: write this output into the page
  s  skip: leave the page as it is here
  e  edit: open the new output in your editor, then write what you saved
  q  quit: keep the choices made so far, leave the rest as they are
  ?  this help`;

/**
 * `labs verify --update --interactive`: shows each drifted output as a diff of what the page
 * says against what would be written, and asks accept, skip, edit or quit, like `cram -i`.
 * The answers are read line by line; the end of input counts as quit.
 */
export function createInteractiveReview(io: ReviewIO): { review: (hunk: ReviewHunk) => Promise<ReviewDecision>; close: () => void } {
  const c = pc.createColors(io.color);
  const say = (s: string) => void io.output.write(s + '\n');
  // Redacted line by line, before colouring, so a secret's pattern cannot take an escape code along.
  const r = (lines: readonly string[]) => (io.redact ? lines.map(io.redact) : [...lines]);
  let reader: LineReader | undefined;
  const ask = (question: string) => {
    io.output.write(question);
    reader ??= new LineReader(io.input, io.signal);
    return reader.next();
  };
  let quit = false;
  const review = async (hunk: ReviewHunk): Promise<ReviewDecision> => {
    // After quit, nothing more is asked, in this lab or the next.
    if (quit) return { action: 'quit' };
    const d = await ask1(hunk);
    if (d.action === 'quit') quit = true;
    return d;
  };
  const ask1 = async (hunk: ReviewHunk): Promise<ReviewDecision> => {
    say('');
    say(c.bold(`${hunk.file}:${hunk.line}`) + c.dim('  $ ') + r([hunk.command.split('\n')[0]!])[0] + (hunk.command.includes('\n') ? c.dim(' …') : ''));
    say(renderHunkDiff(r(hunk.before), r(hunk.after), c));
    for (;;) {
      const answer = await ask(c.cyan('Accept this change? [a]ccept, [s]kip, [e]dit, [q]uit, [?] help: '));
      if (answer === undefined) {
        say(c.yellow(`${io.signal?.aborted ? 'interrupted' : 'end of input'}: stopping the review (the choices made so far are kept)`));
        return { action: 'quit' };
      }
      const key = answer.trim().toLowerCase();
      if (key === 'a' || key === 'accept' || key === 'y') return { action: 'accept' };
      if (key === 's' || key === 'skip' || key === 'n') return { action: 'skip' };
      if (key === 'q' || key === 'quit') return { action: 'quit' };
      if (key === 'e' || key === 'edit') {
        reader?.pause();
        const edited = editLines(hunk.after, io.editor || process.env.VISUAL || process.env.EDITOR || 'vi');
        if ('error' in edited) {
          say(c.red(edited.error));
          continue;
        }
        const problem = hunk.check(edited.lines);
        if (problem) {
          say(c.red(`not taken: ${r([problem])[0]}; edit again or choose another answer`));
          continue;
        }
        say(renderHunkDiff(r(hunk.before), r(edited.lines), c));
        return { action: 'edit', lines: edited.lines };
      }
      say(HELP);
    }
  };
  return { review, close: () => reader?.close() };
}

/** Unchanged lines shown around a change; longer unchanged runs are folded. */
const CONTEXT = 3;

/**
 * A line diff of the page's expected output against the new one: `-` what goes, `+` what comes,
 * two spaces for what stays (a run of more than twice {@link CONTEXT} unchanged lines is folded
 * into a count).
 */
export function renderHunkDiff(before: readonly string[], after: readonly string[], c: ReturnType<typeof pc.createColors> = pc.createColors(false)): string {
  const out: string[] = [];
  const parts = diffArrays([...before], [...after]);
  parts.forEach((part, k) => {
    if (part.removed) for (const line of part.value) out.push(c.red(`- ${line}`));
    else if (part.added) for (const line of part.value) out.push(c.green(`+ ${line}`));
    else {
      const lines = part.value;
      const head = k === 0 ? 0 : CONTEXT;
      const tail = k === parts.length - 1 ? 0 : CONTEXT;
      if (lines.length <= head + tail + 1) {
        for (const line of lines) out.push(c.dim(`  ${line}`));
        return;
      }
      for (const line of lines.slice(0, head)) out.push(c.dim(`  ${line}`));
      out.push(c.dim(`  … ${lines.length - head - tail} unchanged line${lines.length - head - tail === 1 ? '' : 's'}`));
      for (const line of lines.slice(lines.length - tail)) out.push(c.dim(`  ${line}`));
    }
  });
  if (out.length === 0) out.push(c.dim('  (no output either way)'));
  return out.join('\n');
}

/** Reads answers line by line from one reader for the whole review, so lines typed ahead are kept. */
class LineReader {
  private readonly lines: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private ended = false;
  private readonly rl;

  constructor(input: NodeJS.ReadableStream, signal?: AbortSignal) {
    this.rl = createInterface({ input, terminal: false });
    signal?.addEventListener('abort', () => this.close(), { once: true });
    this.rl.on('line', (l) => {
      if (this.waiting) this.settle(l);
      else this.lines.push(l);
    });
    this.rl.on('close', () => {
      this.ended = true;
      this.settle(undefined);
    });
    this.rl.pause();
  }

  /** The next line, or undefined once the input ended. */
  next(): Promise<string | undefined> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift());
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.rl.resume();
    });
  }

  /** Stops reading (while an editor owns the terminal, and at the end). */
  pause(): void {
    if (!this.ended) this.rl.pause();
  }

  close(): void {
    if (!this.ended) this.rl.close();
  }

  private settle(line: string | undefined): void {
    const w = this.waiting;
    this.waiting = undefined;
    this.pause();
    w?.(line);
  }
}

/** Opens `lines` in the editor; returns what was saved, without the final line break. */
function editLines(lines: readonly string[], editor: string): { lines: string[] } | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'labs-review-'));
  const file = join(dir, 'expected-output.txt');
  try {
    writeFileSync(file, lines.length > 0 ? lines.join('\n') + '\n' : '');
    const r = spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' });
    if (r.error || r.status !== 0) return { error: `the editor (${editor}) ${r.error ? `could not start: ${r.error.message}` : `exited ${r.status ?? r.signal}`}; nothing taken from it — set EDITOR to an editor that works, or choose another answer` };
    const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    return { lines: body === '' ? [] : body.split('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
