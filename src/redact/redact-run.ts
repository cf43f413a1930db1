import { capDiff, capText, DIFF_CAP, STORE_CAP } from '../model/cap-output.ts';
import type { BlockResult, CommandResult } from '../model/result.ts';
import type { LabRunResult } from '../report/types.ts';
import { REDACTED, Redactor } from './redact.ts';

/**
 * Learns the secrets of one block result: whatever a rule finds in its texts, then every bound
 * value that is, holds or is part of one (a token a lab bound to an example value is a secret
 * wherever it shows up later, also where no rule would know it).
 */
export function learnResult(redactor: Redactor, r: BlockResult): void {
  for (const text of textsOf(r)) redactor.learnFrom(text);
  for (const [example, actual] of Object.entries(r.bindings)) {
    if (redactor.isSecret(actual) || redactor.isSecret(example)) redactor.learn(actual);
  }
}

/** A copy of `r` with every secret replaced: commands, outputs, diffs and their notes, reasons, bindings. */
export function redactResult(redactor: Redactor, r: BlockResult): BlockResult {
  const x = (s: string) => redactor.redact(s);
  return {
    ...r,
    ...(r.reason !== undefined ? { reason: x(r.reason) } : {}),
    commands: r.commands.map((c) => redactCommand(x, c)),
    bindings: Object.fromEntries(Object.entries(r.bindings).map(([k, v]) => [x(k), redactor.isSecret(v) ? REDACTED : x(v)])),
  };
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
 * capped as `capResult` would. A command that ran as typed is redacted once for both fields.
 */
export function redactCapResult(redactor: Redactor, r: BlockResult): BlockResult {
  const x = (s: string) => redactor.redact(s);
  const xc = (s: string) => capText(redactor.redact(s), STORE_CAP);
  return {
    ...r,
    ...(r.reason !== undefined ? { reason: xc(r.reason) } : {}),
    commands: r.commands.map((c) => {
      const command = xc(c.command);
      return {
        ...c,
        command,
        ran: c.ran === c.command ? command : xc(c.ran),
        output: xc(c.output),
        ...(c.reason !== undefined ? { reason: x(c.reason) } : {}),
        ...(c.diff
          ? {
              // Only the lines capDiff keeps are redacted; its marker line depends on the count alone.
              diff: capDiff(c.diff).map((d, i) =>
                i >= DIFF_CAP ? d : { ...d, text: capText(x(d.text), 4096), ...(d.notes ? { notes: d.notes.map(x) } : {}) },
              ),
            }
          : {}),
      };
    }),
    bindings: Object.fromEntries(Object.entries(r.bindings).map(([k, v]) => [x(k), redactor.isSecret(v) ? REDACTED : x(v)])),
  };
}

function redactCommand(x: (s: string) => string, c: CommandResult): CommandResult {
  return {
    ...c,
    command: x(c.command),
    ran: x(c.ran),
    output: x(c.output),
    ...(c.reason !== undefined ? { reason: x(c.reason) } : {}),
    ...(c.diff ? { diff: c.diff.map((d) => ({ ...d, text: x(d.text), ...(d.notes ? { notes: d.notes.map(x) } : {}) })) } : {}),
  };
}

function* textsOf(r: BlockResult): Iterable<string> {
  if (r.reason) yield r.reason;
  for (const c of r.commands) {
    yield c.command;
    yield c.ran;
    yield c.output;
    if (c.reason) yield c.reason;
    for (const d of c.diff ?? []) {
      yield d.text;
      yield* d.notes ?? [];
    }
  }
}
