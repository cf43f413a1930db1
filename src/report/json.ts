import type { RunReport } from './types.ts';
import { describeFailure } from './describe.ts';

/** The JSON report (contract §6): a summary and one entry per block. */
export function renderJsonReport(report: RunReport): string {
  return (
    JSON.stringify(
      {
        summary: report.summary,
        interrupted: report.interrupted,
        labs: report.labs.map((l) => ({
          id: l.lab.id,
          title: l.lab.config.title,
          startedAt: l.startedAt,
          finishedAt: l.finishedAt,
          environment: l.environment,
          errors: l.labErrors,
        })),
        blocks: report.labs.flatMap((l) =>
          l.results.map((r) => ({
            lab: l.lab.id,
            id: r.id,
            file: r.file,
            line: r.line,
            status: r.status,
            attempts: r.attempts,
            durationMs: r.durationMs,
            reason: r.reason ?? null,
            diff: describeFailure(r, { color: false }) ?? null,
            bindings: r.bindings,
          })),
        ),
      },
      null,
      2,
    ) + '\n'
  );
}
