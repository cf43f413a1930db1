import { capDiff, capText, DIFF_CAP, DIFF_LINE_CAP, STORE_CAP } from '../model/cap-output.ts';
import type { BlockResult, CommandResult, DiffLine } from '../model/result.ts';
import type { LabRunResult } from '../report/types.ts';
import { REDACTED, Redactor } from './redact.ts';

/**
 * Learns the secrets of one block result: whatever a rule finds in its texts, then every bound
 * value that is, holds or is part of one (a token a lab bound to an example value is a secret
 * wherever it shows up later, also where no rule would know it).
 */
export function learnResult(redactor: Redactor, r: BlockResult): void {
  // Every text of the result that may hold a secret, in plain loops: this runs for every block,
  // twice, and a generator costs an object per text. A command that ran as typed is read once.
  if (r.reason) redactor.learnFrom(r.reason);
  for (let i = 0; i < r.commands.length; i++) {
    const c = r.commands[i]!;
    redactor.learnFrom(c.command);
    if (c.ran !== c.command) redactor.learnFrom(c.ran);
    redactor.learnFrom(c.output);
    if (c.reason) redactor.learnFrom(c.reason);
    if (c.diff) {
      for (const d of c.diff) {
        redactor.learnFrom(d.text);
        if (d.notes) for (const n of d.notes) redactor.learnFrom(n);
      }
    }
  }
  for (const example in r.bindings) {
    const actual = r.bindings[example]!;
    if (redactor.isSecret(actual) || redactor.isSecret(example)) redactor.learn(actual);
  }
}

/** A copy of `r` with every secret replaced: commands, outputs, diffs and their notes, reasons, bindings. */
export function redactResult(redactor: Redactor, r: BlockResult): BlockResult {
  return redactCopy(redactor, r, false);
}

/**
 * The one stage a run goes through before it leaves the process (records, reports, console):
 * secrets redacted, outputs and diffs capped to a size fit for a record. Learns from the whole
 * run first, so a secret seen late is also hidden where it appeared early.
 */
export function redactRun(run: LabRunResult, redactor: Redactor = new Redactor()): LabRunResult {
  for (const r of run.results) learnResult(redactor, r);
  for (const e of run.labErrors) redactor.learnFrom(e);
  return {
    ...run,
    results: run.results.map((r) => redactCapResult(redactor, r)),
    labErrors: run.labErrors.map((e) => redactor.redact(e)),
  };
}

/**
 * `capResult(redactResult(redactor, r))` in one copy instead of two: each text is redacted, then
 * capped as `capResult` would.
 */
export function redactCapResult(redactor: Redactor, r: BlockResult): BlockResult {
  return redactCopy(redactor, r, true);
}

/**
 * The copy behind `redactResult` and `redactCapResult`. A command that ran as typed is redacted
 * once for both fields; capped, only the diff lines `capDiff` keeps are redacted (its marker
 * line depends on the count alone).
 */
function redactCopy(redactor: Redactor, r: BlockResult, cap: boolean): BlockResult {
  const x = (s: string) => redactor.redact(s);
  const xc = cap ? (s: string) => capText(x(s), STORE_CAP) : x;
  const line = (d: DiffLine): DiffLine => ({ ...d, text: cap ? capText(x(d.text), DIFF_LINE_CAP) : x(d.text), ...(d.notes ? { notes: d.notes.map(x) } : {}) });
  return {
    ...r,
    ...(r.reason !== undefined ? { reason: xc(r.reason) } : {}),
    commands: r.commands.map((c): CommandResult => {
      const command = xc(c.command);
      return {
        ...c,
        command,
        ran: c.ran === c.command ? command : xc(c.ran),
        output: xc(c.output),
        ...(c.reason !== undefined ? { reason: x(c.reason) } : {}),
        ...(c.diff ? { diff: cap ? capDiff(c.diff).map((d, i) => (i >= DIFF_CAP ? d : line(d))) : c.diff.map(line) } : {}),
      };
    }),
    bindings: redactBindings(redactor, r.bindings),
  };
}

/** A result's bindings with secrets replaced: a value that is or holds a secret goes whole. */
function redactBindings(redactor: Redactor, bindings: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in bindings) {
    const v = bindings[k]!;
    out[redactor.redact(k)] = redactor.isSecret(v) ? REDACTED : redactor.redact(v);
  }
  return out;
}
