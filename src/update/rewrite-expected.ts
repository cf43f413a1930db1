import MagicString from 'magic-string';
import { readFile, stat } from 'node:fs/promises';
import type { CommandBlock } from '../model/block.ts';
import { buildClasses } from '../normalise/classes.ts';
import { tokenizeLine, type NormaliseContext } from '../normalise/tokenize.ts';
import { writeFileAtomic } from '../record/records.ts';
import { refuseNewSecrets } from './secret-guard.ts';
import type { LabRunResult } from '../report/types.ts';
import type { CommandResult } from '../model/result.ts';

/** What `--update` did to one lab. */
export interface UpdateOutcome {
  /** Step files rewritten. */
  updated: string[];
  /** Commands whose expected output was replaced. */
  commands: number;
  /** Files left alone because they changed while the run was going on. */
  refused: string[];
  /** Lines for the console. */
  messages: string[];
}

/**
 * `--update` (contract §7): replaces the expected output of every command whose output drifted
 * with what it really printed. Actual values already bound to an example value are written back
 * as that example value, so the page keeps its examples; options and everything outside the
 * changed lines stay byte for byte. Each file is written atomically, and not at all if it was
 * modified after the run began.
 */
export async function updateExpected(run: LabRunResult): Promise<UpdateOutcome> {
  const outcome: UpdateOutcome = { updated: [], commands: 0, refused: [], messages: [] };
  const ctx: NormaliseContext = { classes: buildClasses(run.lab.config.volatile), pins: new Set(run.lab.config.pin ?? []) };
  // actual → example, from every binding the run used or made
  const reverse = new Map<string, string>();
  for (const r of run.results) for (const [example, actual] of Object.entries(r.bindings)) reverse.set(actual, example);

  const results = new Map(run.results.map((r) => [r.id, r]));
  for (const step of run.lab.steps) {
    const edits: { block: CommandBlock; index: number; result: CommandResult }[] = [];
    for (const block of step.blocks) {
      const r = results.get(block.id);
      if (block.kind !== 'command' || r?.status !== 'fail') continue;
      r.commands.forEach((c, index) => {
        if (c.failure === 'output') edits.push({ block, index, result: c });
      });
    }
    if (edits.length === 0) continue;

    const info = await stat(step.absPath);
    if (info.mtimeMs > Date.parse(run.startedAt)) {
      outcome.refused.push(step.file);
      outcome.messages.push(`update: ${step.file} changed while the run was going on; not rewritten (run again, then --update)`);
      continue;
    }
    const source = await readFile(step.absPath, 'utf8');
    const s = new MagicString(source);
    const lineStarts = indexLines(source);
    const eol = source.includes('\r\n') ? '\r\n' : '\n';
    const sourceLines = source.split(/\r?\n/);
    for (const e of edits) {
      const cmd = e.block.commands[e.index]!;
      const lines = newExpectedLines(e.result, sourceLines, (l) => restoreExamples(l, reverse, ctx));
      const text = lines.map((l) => l + eol).join('');
      if (cmd.expected.length > 0) {
        const from = lineStarts[cmd.expected[0]!.line - 1]!;
        const to = lineStarts[cmd.expected.at(-1)!.line]!; // start of the line after the last expected line
        if (text) s.overwrite(from, to, text);
        else s.remove(from, to);
      } else {
        s.appendLeft(lineStarts[cmd.line + cmd.lineCount - 1]!, text);
      }
      outcome.commands++;
    }
    const refusal = refuseNewSecrets(step.file, source, s.toString());
    if (refusal) { outcome.refused.push(step.file); outcome.messages.push(refusal); continue; }
    await writeFileAtomic(step.absPath, s.toString());
    outcome.updated.push(step.file);
    outcome.messages.push(`update: ${step.file}: ${edits.length} command output${edits.length === 1 ? '' : 's'} rewritten`);
  }
  return outcome;
}

/**
 * The expected output a drifted command should have: lines the match paired with actual lines
 * (equal, through volatile tokens, or elided by `...`) stay exactly as written in the source;
 * expected lines with no partner go; actual lines with no partner come in, with example values
 * put back where the run bound them. Without a diff, the actual output as a whole.
 */
function newExpectedLines(c: CommandResult, sourceLines: readonly string[], restore: (line: string) => string): string[] {
  if (!c.diff || c.diff.length === 0) return c.output === '' ? [] : c.output.split('\n').map(restore);
  const out: string[] = [];
  for (const d of c.diff) {
    if (d.op === '-') continue;
    if (d.op === '+') out.push(restore(d.text));
    else out.push(d.line !== undefined ? (sourceLines[d.line - 1] ?? d.text) : d.text);
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

/** Offsets of the start of every line, plus one past the end. */
function indexLines(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
  if (starts.at(-1) !== source.length) starts.push(source.length);
  return starts;
}
