import type { DiffLine } from '../model/result.ts';
import { matchOutput } from '../match/compare.ts';
import { Bindings } from '../normalise/bindings.ts';
import { buildContext, CONSTANT_ORIGIN, CONSTANT_VALUES } from '../normalise/context.ts';
import type { NormaliseContext } from '../normalise/tokenize.ts';
import type { CheckData } from './view-model.ts';

/** How one command of a block compared with what the learner pasted. */
export interface CommandCheck {
  command: string;
  /** False when the paste holds no output for this command (several commands, prompts not found). */
  found: boolean;
  ok: boolean;
  /** The runner's line diff (`=`, `~`, `-`, `+`, with notes). */
  diff: DiffLine[];
  reason?: string;
}

/** The outcome of "Check my output". */
export interface CheckOutcome {
  /** Every command found in the paste matched, and at least one was found. */
  ok: boolean;
  commands: CommandCheck[];
  /** Example → the learner's value, bound by the commands that matched. */
  made: Record<string, string>;
  /** Set when nothing could be compared, saying what to paste instead. */
  problem?: string;
}

/** The normaliser's context for a block's lab, built from its check data. */
export function contextOf(data: Pick<CheckData, 'volatile' | 'pin'>): NormaliseContext {
  return buildContext({ volatile: data.volatile, pin: data.pin });
}

/**
 * Splits what a learner pasted into the output of each command. A line that ends with a
 * command's first line (as written, or with the learner's values in it, after any prompt of
 * theirs) starts that command; its continuation lines are skipped. With no command line in the
 * paste, it is taken as the output of the block's only command that prints something.
 * @returns one entry per command: its output lines, or undefined when the paste does not hold it
 */
export function splitPasted(pasted: string, data: CheckData, substitute: (command: string) => string): (string[] | undefined)[] | { problem: string } {
  const lines = pasted.replace(/\r\n?/g, '\n').split('\n');
  const starts: { cmd: number; at: number; skip: number }[] = [];
  let from = 0;
  data.commands.forEach((c, i) => {
    const firstLines = new Set([c.text.split('\n')[0]!.trim(), substitute(c.text).split('\n')[0]!.trim()]);
    for (let k = from; k < lines.length; k++) {
      const line = lines[k]!.trimEnd();
      if ([...firstLines].some((f) => f !== '' && line.endsWith(f) && isPromptBefore(line.slice(0, line.length - f.length)))) {
        starts.push({ cmd: i, at: k, skip: c.text.split('\n').length });
        from = k + 1;
        return;
      }
    }
  });
  const out: (string[] | undefined)[] = data.commands.map(() => undefined);
  if (starts.length === 0) {
    const printing = data.commands.flatMap((c, i) => (c.expected.length > 0 ? [i] : []));
    if (printing.length !== 1) {
      return { problem: 'This block runs several commands: paste the whole terminal session, prompts and commands included, so each output can be told apart.' };
    }
    out[printing[0]!] = lines;
    return out;
  }
  starts.forEach((s, n) => {
    const end = n + 1 < starts.length ? starts[n + 1]!.at : lines.length;
    out[s.cmd] = lines.slice(Math.min(s.at + s.skip, end), end);
  });
  return out;
}

/** What may stand before a command on a pasted line: nothing, or a prompt ending in `$`, `#`, `%` or `>` and a space. */
function isPromptBefore(head: string): boolean {
  return head.trim() === '' || /[$#%>]\s+$/.test(head);
}

/**
 * Compares a pasted output with a block's expected output using the runner's own matcher, with
 * the learner's values bound so far (so a value must agree with what they pasted earlier, as the
 * runner's bindings must agree across a run). Pure: nothing is stored here.
 */
export function checkOutput(data: CheckData, pasted: string, values: Record<string, string>): CheckOutcome {
  const ctx = contextOf(data);
  let bindings = new Bindings(values, 'your earlier output', 'learned');
  // As in a run: pinned values and constant addresses stand only for themselves.
  bindings.pinValues(CONSTANT_VALUES, CONSTANT_ORIGIN);
  bindings.pinValues(data.pin ?? [], 'lab.yaml pin');
  const split = splitPasted(pasted, data, (c) => bindings.substitute(c, ctx));
  if ('problem' in split) return { ok: false, commands: [], made: {}, problem: split.problem };
  if (pasted.trim() === '') return { ok: false, commands: [], made: {}, problem: 'Paste what your terminal printed first.' };
  const made: Record<string, string> = {};
  const commands: CommandCheck[] = data.commands.map((c, i) => {
    const actual = split[i];
    if (actual === undefined) return { command: c.text, found: false, ok: false, diff: [] };
    const r = matchOutput({ expected: c.expected, actual, mode: data.mode, bindings, ctx, source: data.file });
    if (r.ok) {
      Object.assign(made, r.made);
      bindings = r.bindings;
    }
    return { command: c.text, found: true, ok: r.ok, diff: r.diff, ...(r.reason ? { reason: r.reason } : {}) };
  });
  const found = commands.filter((c) => c.found);
  return { ok: found.length > 0 && found.every((c) => c.ok), commands, made };
}
