import MagicString from 'magic-string';
import { readFile } from 'node:fs/promises';
import type { CommandBlock, Step } from '../model/block.ts';
import { hashSource } from '../model/hash.ts';
import type { CommandResult, DiffLine } from '../model/result.ts';
import { normaliseLine, trimBlankLines } from '../normalise/normalise.ts';
import { buildContext } from '../normalise/context.ts';
import { findClass } from '../normalise/classes.ts';
import { tokenizeLine, type NormaliseContext } from '../normalise/tokenize.ts';
import { extractBlocks } from '../parse/extract-blocks.ts';
import { writeFileAtomic } from '../record/records.ts';
import { refuseNewSecrets } from './secret-guard.ts';
import type { LabRunResult } from '../report/types.ts';

/** What `--update` did to one lab. */
export interface UpdateOutcome {
  /** Step files rewritten. */
  updated: string[];
  /** Commands whose expected output was replaced. */
  commands: number;
  /** Files left alone because they changed after they were read, or would not parse back to what ran. */
  refused: string[];
  /** Commands left alone (`file:line`), each with its reason in `messages`. */
  skipped: string[];
  /** Lines for the console. */
  messages: string[];
}

/** One drifted command's proposed new expected output, offered for review (`--interactive`). */
export interface ReviewHunk {
  /** Step file as shown to users, and the 1-based line of the command. */
  file: string;
  line: number;
  /** The command as the page writes it. */
  command: string;
  /** Expected lines the page has now, as written in the source. */
  before: string[];
  /** Expected lines `--update` would write. */
  after: string[];
  /** Why `lines` could not replace this output (page syntax, does not parse back), or undefined when they can. */
  check(lines: string[]): string | undefined;
}

/** What the reviewer chose for a hunk; `quit` keeps what was accepted so far and asks nothing more. */
export type ReviewDecision = { action: 'accept' } | { action: 'skip' } | { action: 'edit'; lines: string[] } | { action: 'quit' };

/** Options of {@link updateExpected}. */
export interface UpdateOptions {
  /**
   * Asked about every rewrite that passed the safety rules; only accepted (or edited) ones are
   * written, through the same checks. @default every rewrite is accepted
   */
  review?: (hunk: ReviewHunk) => Promise<ReviewDecision>;
}

interface Edit {
  block: CommandBlock;
  index: number;
  result: CommandResult;
  /** The new expected lines (without line endings). */
  lines: string[];
}

/**
 * `--update` (contract §7): replaces the expected output of every command whose output drifted
 * with what it really printed, keeping the page's example values and `[[…]]` markers where they
 * still match, options and everything outside the changed lines byte for byte, and each block's
 * line endings.
 *
 * It refuses rather than guess:
 * - a command whose drift is a disagreement between two example values learned in different
 *   places (which one is right is the author's call: both places are named);
 * - an output line that would read as page syntax (a prompt, a fence, a `...` line);
 * - a file whose bytes are no longer those the run parsed (checked again right before writing);
 * - a rewrite whose page would not parse back to the same blocks with the outputs that ran.
 */
export async function updateExpected(run: LabRunResult, options: UpdateOptions = {}): Promise<UpdateOutcome> {
  const outcome: UpdateOutcome = { updated: [], commands: 0, refused: [], skipped: [], messages: [] };
  let quit = false;
  const ctx: NormaliseContext = buildContext(run.lab.config);
  // actual → example and example → actual, from every binding the run used or made
  const reverse = new Map<string, string>();
  const forward = new Map<string, string>();
  for (const r of run.results) {
    for (const [example, actual] of Object.entries(r.bindings)) {
      reverse.set(actual, example);
      forward.set(example, actual);
    }
  }
  const prompts = new Set([...Object.values(run.lab.config.sessions ?? {}).map((s) => s.prompt), '$ ']);

  const results = new Map(run.results.map((r) => [r.id, r]));
  for (const step of run.lab.steps) {
    const candidates: Omit<Edit, 'lines'>[] = [];
    for (const block of step.blocks) {
      const r = results.get(block.id);
      if (block.kind !== 'command' || r?.status !== 'fail') continue;
      r.commands.forEach((c, index) => {
        if (c.failure === 'output') candidates.push({ block, index, result: c });
      });
    }
    if (candidates.length === 0) continue;
    if (quit) {
      for (const c of candidates) skip(outcome, `${step.file}:${c.block.commands[c.index]!.line}`, 'left alone: the review was ended before it');
      continue;
    }

    const raw = await readFile(step.absPath, 'utf8').catch(() => undefined);
    // The parser reads a page without its byte-order mark; the mark is written back as it was.
    const bom = raw?.startsWith('\uFEFF') ? '\uFEFF' : '';
    const source = raw?.slice(bom.length);
    if (source === undefined || (step.sourceHash !== undefined && hashSource(source) !== step.sourceHash)) {
      refuseFile(outcome, step, 'changed after the run read it; not rewritten (run again, then --update)');
      continue;
    }
    const sourceLines = source.split(/\r?\n/);
    const edits: Edit[] = [];
    for (const c of candidates) {
      const cmd = c.block.commands[c.index]!;
      const where = `${step.file}:${cmd.line}`;
      const dispute = disputeOf(c.result.diff ?? []);
      if (dispute) {
        skip(outcome, where, `left alone: ${dispute} — decide which page is right and edit it by hand`);
        continue;
      }
      const lines = newExpectedLines(c.result, sourceLines, (l) => restoreExamples(l, reverse, ctx), (o, n, refused) => carryExamples(o, n, ctx, forward, refused));
      const hazard = lines.find((l) => readsAsSyntax(l, prompts));
      if (hazard !== undefined) {
        skip(outcome, where, `left alone: the real output has a line that would read as page syntax (${JSON.stringify(hazard)}); edit this block by hand (e.g. filter that line out in the command, or use output=contains)`);
        continue;
      }
      edits.push({ ...c, lines });
    }
    if (options.review) {
      const chosen = await reviewEdits(edits, options.review, { source, sourceLines, step, run, prompts, outcome });
      quit = chosen.quit;
      edits.splice(0, edits.length, ...chosen.accepted);
    }
    if (edits.length === 0) continue;

    const rewritten = applyEdits(source, edits);
    const problem = checkRoundTrip(rewritten, step, run, edits);
    if (problem) {
      refuseFile(outcome, step, `not rewritten: ${problem}`);
      continue;
    }
    // The bytes are checked once more right before the write: an editor may have saved meanwhile.
    const now = await readFile(step.absPath, 'utf8').catch(() => undefined);
    if (now !== raw) {
      refuseFile(outcome, step, 'changed while --update was preparing it; not rewritten (run again, then --update)');
      continue;
    }
    const refusal = refuseNewSecrets(step.file, source, rewritten);
    if (refusal) {
      outcome.refused.push(step.file);
      outcome.messages.push(refusal);
      continue;
    }
    await writeFileAtomic(step.absPath, bom + rewritten);
    outcome.commands += edits.length;
    outcome.updated.push(step.file);
    outcome.messages.push(`update: ${step.file}: ${edits.length} command output${edits.length === 1 ? '' : 's'} rewritten`);
  }
  return outcome;
}

/**
 * Offers each edit to the reviewer, in page order; returns those accepted (an edited one with the
 * reviewer's lines, which passed the same checks as a rewrite) and whether the review was ended.
 */
async function reviewEdits(
  edits: readonly Edit[],
  review: (hunk: ReviewHunk) => Promise<ReviewDecision>,
  at: { source: string; sourceLines: readonly string[]; step: Step; run: LabRunResult; prompts: ReadonlySet<string>; outcome: UpdateOutcome },
): Promise<{ accepted: Edit[]; quit: boolean }> {
  const accepted: Edit[] = [];
  const ordered = [...edits].sort((a, b) => a.block.commands[a.index]!.line - b.block.commands[b.index]!.line);
  for (let k = 0; k < ordered.length; k++) {
    const e = ordered[k]!;
    const cmd = e.block.commands[e.index]!;
    const where = `${at.step.file}:${cmd.line}`;
    const hunk: ReviewHunk = {
      file: at.step.file,
      line: cmd.line,
      command: cmd.text,
      before: cmd.expected.map((l) => at.sourceLines[l.line - 1] ?? l.text),
      after: [...e.lines],
      check: (lines) => {
        // A `...` elision is the reviewer's own choice here, as in an edit by hand; a prompt or a
        // fence would change the page's blocks, which the round trip below refuses as well.
        const hazard = lines.find((l) => l.trim() !== '...' && readsAsSyntax(l, at.prompts));
        if (hazard !== undefined) return `the line ${JSON.stringify(hazard)} would read as page syntax (a command prompt or a fence)`;
        const candidate = { ...e, lines };
        const rewritten = applyEdits(at.source, [candidate]);
        return checkRoundTrip(rewritten, at.step, at.run, [candidate]) ?? refuseNewSecrets(at.step.file, at.source, rewritten)?.replace(/^update: /, '');
      },
    };
    const d = await review(hunk);
    if (d.action === 'quit') {
      for (const rest of ordered.slice(k)) skip(at.outcome, `${at.step.file}:${rest.block.commands[rest.index]!.line}`, 'left alone: the review was ended before it');
      return { accepted, quit: true };
    }
    if (d.action === 'skip') {
      skip(at.outcome, where, 'left alone: skipped in review');
      continue;
    }
    if (d.action === 'edit') {
      // The reviewer checked these already; checked again here so no caller can get round it.
      const problem = hunk.check(d.lines);
      if (problem) {
        skip(at.outcome, where, `left alone: the edited output was refused: ${problem}`);
        continue;
      }
      accepted.push({ ...e, lines: d.lines });
      continue;
    }
    accepted.push(e);
  }
  return { accepted, quit: false };
}

function refuseFile(outcome: UpdateOutcome, step: Step, why: string): void {
  outcome.refused.push(step.file);
  outcome.messages.push(`update: ${step.file} ${why}`);
}

function skip(outcome: UpdateOutcome, where: string, why: string): void {
  outcome.skipped.push(where);
  outcome.messages.push(`update: ${where}: ${why}`);
}

/**
 * A drift that is a disagreement between two learned bindings, described with both places; not
 * for typed, pinned or computed values, where the real value is known to be right.
 */
function disputeOf(diff: readonly DiffLine[]): string | undefined {
  for (const d of diff) {
    const c = d.conflict;
    if (!c || c.how !== 'learned') continue;
    const here = d.line !== undefined ? `line ${d.line}` : 'here';
    const there = c.origin ?? 'an earlier block';
    return c.kind === 'actual-taken'
      ? `${c.example} (${here}) and ${c.other} (${there}) both stand for ${c.actual}`
      : `${c.example} stands for ${c.boundTo} (bound at ${there}) but ${here} shows ${c.actual}`;
  }
  return undefined;
}

/** Whether an output line, written into a block, would be read as something other than output. */
function readsAsSyntax(line: string, prompts: ReadonlySet<string>): boolean {
  if (line.trim() === '...') return true;
  if (/^ {0,3}(?:`{3,}|~{3,})/.test(line)) return true;
  for (const p of prompts) if (line.startsWith(p) || (p.trimEnd() !== '' && line === p.trimEnd())) return true;
  return false;
}

/**
 * The expected output a drifted command should have: lines the match paired with actual lines
 * (equal, through volatile tokens, or elided by `...`) stay exactly as written in the source;
 * expected lines with no partner go; actual lines with no partner come in, with example values
 * put back where the run bound them, and — when they replace an expected line of the same
 * layout — that line's examples and `[[…]]` markers kept where they still match.
 * Without a diff, the actual output as a whole.
 */
function newExpectedLines(
  c: CommandResult,
  sourceLines: readonly string[],
  restore: (line: string) => string,
  carry: (oldLine: string, newLine: string, refused?: string) => string,
): string[] {
  if (!c.diff || c.diff.length === 0) return c.output === '' ? [] : c.output.split('\n').map(restore);
  const out: string[] = [];
  const diff = c.diff;
  for (let k = 0; k < diff.length; ) {
    const d = diff[k]!;
    if (d.op === '=' || d.op === '~') {
      out.push(d.line !== undefined ? (sourceLines[d.line - 1] ?? d.text) : d.text);
      k++;
      continue;
    }
    // A hunk of removed and added lines: pair them in order when there are as many of each.
    let end = k;
    while (end < diff.length && (diff[end]!.op === '-' || diff[end]!.op === '+')) end++;
    const removed = diff.slice(k, end).filter((l) => l.op === '-');
    const added = diff.slice(k, end).filter((l) => l.op === '+');
    added.forEach((a, n) => {
      const old = removed.length === added.length ? removed[n] : undefined;
      const restored = restore(a.text);
      const oldSource = old?.line !== undefined ? sourceLines[old.line - 1] : undefined;
      // An example that conflicted on this line is exactly what must not come back.
      out.push(oldSource !== undefined ? carry(oldSource, restored, old?.conflict?.example) : restored);
    });
    k = end;
  }
  return out;
}

/** Puts example values back where the actual output shows a value bound to one. */
function restoreExamples(line: string, reverse: ReadonlyMap<string, string>, ctx: NormaliseContext): string {
  if (reverse.size === 0) return line;
  let out = '';
  for (const t of tokenizeLine(line, ctx)) out += t.cls ? (reverse.get(t.text) ?? t.text) : t.text;
  return out;
}

/**
 * Keeps, field by field, what the old expected line had where it still matches the new line: a
 * `[[…]]` marker (it matches any value), or an example value of a class whose matcher accepts the
 * new value and that the run did not bind to something else. Lines with different numbers of
 * fields are taken as they are.
 */
function carryExamples(oldLine: string, newLine: string, ctx: NormaliseContext, forward: ReadonlyMap<string, string>, refused?: string): string {
  const oldFields = oldLine.split(/(\s+)/);
  const newFields = newLine.split(/(\s+)/);
  if (oldFields.length !== newFields.length) return newLine;
  for (let k = 0; k < newFields.length; k += 2) {
    const o = oldFields[k]!;
    const n = newFields[k]!;
    if (o === n || o === '') continue;
    if (/^\[\[[^\]\s]+\]\]$/.test(o)) {
      newFields[k] = o;
      continue;
    }
    // A value the run bound to an example (put back by `restore`) stays that example.
    if (forward.has(n)) continue;
    const tokens = tokenizeLine(o, ctx, { expected: true });
    const t = tokens[0];
    if (tokens.length !== 1 || !t?.cls || t.marked) continue;
    if (refused !== undefined && (o === refused || (findClass(ctx.classes, t.cls)?.partsOf?.(o) ?? []).includes(refused))) continue;
    const cls = findClass(ctx.classes, t.cls);
    if (!cls) continue;
    const bound = forward.get(o);
    if (bound !== undefined && bound !== n) continue;
    const re = new RegExp(`^(?:${(cls.matcherFor?.(o) ?? cls.pattern).source})$`);
    if (re.test(n)) newFields[k] = o;
  }
  return newFields.join('');
}

/** The source with each edit's expected lines replaced, in the line endings of its block. */
function applyEdits(source: string, edits: readonly Edit[]): string {
  const s = new MagicString(source);
  const lineStarts = indexLines(source);
  for (const e of edits) {
    const cmd = e.block.commands[e.index]!;
    const eol = lineEndingAt(source, lineStarts, cmd.line);
    const text = e.lines.map((l) => l + eol).join('');
    if (cmd.expected.length > 0) {
      const from = lineStarts[cmd.expected[0]!.line - 1]!;
      const to = lineStarts[cmd.expected.at(-1)!.line]!; // start of the line after the last expected line
      if (text) s.overwrite(from, to, text);
      else s.remove(from, to);
    } else {
      s.appendLeft(lineStarts[cmd.line + cmd.lineCount - 1]!, text);
    }
  }
  return s.toString();
}

/**
 * Parses the rewritten page and checks that it has the same blocks and commands, and that every
 * edited command now expects exactly the lines written (so the page says what ran). Returns a
 * problem, or undefined.
 */
function checkRoundTrip(rewritten: string, step: Step, run: LabRunResult, edits: readonly Edit[]): string | undefined {
  const { blocks } = extractBlocks(rewritten, { file: step.file, slug: step.slug, sessions: run.lab.config.sessions ?? {} });
  const before = step.blocks.map(shapeOf);
  const after = blocks.map(shapeOf);
  if (JSON.stringify(before) !== JSON.stringify(after)) return 'the rewritten page would not parse to the same blocks and commands';
  for (const e of edits) {
    const b = blocks.find((x) => x.id === e.block.id);
    const cmd = b?.kind === 'command' ? b.commands[e.index] : undefined;
    const got = (cmd?.expected ?? []).map((l) => normaliseLine(l.text));
    const want = e.lines.map(normaliseLine);
    if (JSON.stringify(trimBlankLines(got)) !== JSON.stringify(trimBlankLines(want))) return `the output of ${step.file}:${e.block.commands[e.index]!.line} would not read back as written`;
  }
  return undefined;
}

function shapeOf(b: Step['blocks'][number]): unknown {
  return b.kind === 'command' ? { id: b.id, commands: b.commands.map((c) => c.text), options: { ...b.options } } : { id: b.id, path: b.path, content: b.content };
}

/** The line ending of source line `line` (1-based): the block's own, whatever the rest of the file uses. */
function lineEndingAt(source: string, lineStarts: readonly number[], line: number): string {
  const next = lineStarts[line];
  if (next === undefined || next === 0) return '\n';
  return source[next - 2] === '\r' ? '\r\n' : '\n';
}

/** Offsets of the start of every line, plus one past the end. */
function indexLines(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
  if (starts.at(-1) !== source.length) starts.push(source.length);
  return starts;
}
