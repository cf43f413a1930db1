import junitModule, { type Builder } from 'junit-report-builder';
import type { RunReport } from './types.ts';
import { describeFailure } from './describe.ts';

// The package is CommonJS; under Node's ESM its default export is the builder instance itself.
const junit = junitModule as unknown as Builder;

/** JUnit XML for CI test-report viewers: one suite per step, one case per block. */
export function renderJunitReport(report: RunReport): string {
  const builder = junit.newBuilder().name('labs verify');
  for (const l of report.labs) {
    const byFile = new Map<string, typeof l.results>();
    for (const r of l.results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
    if (l.labErrors.length > 0) {
      const suite = builder.testSuite().name(`${l.lab.id} (lab)`);
      suite.testCase().className(l.lab.id).name('setup and teardown').error(l.labErrors.join('\n'), 'LabError');
    }
    for (const [file, results] of byFile) {
      const suite = builder.testSuite().name(`${l.lab.id}/${file.split('/').pop()}`);
      for (const r of results) {
        const tc = suite
          .testCase()
          .className(`${l.lab.id}.${(file.split('/').pop() ?? file).replace(/\.mdx?$/, '')}`)
          .name(`${r.id} (${r.file}:${r.line})`)
          .file(r.file)
          .time(r.durationMs / 1000);
        const text = describeFailure(r, { color: false });
        if (r.status === 'fail') tc.failure(r.reason ?? 'output drifted', 'Drift').stacktrace(text);
        else if (r.status === 'error') tc.error(r.reason ?? 'error', 'Error', text);
        else if (r.status === 'blocked') tc.skipped().standardOutput(`blocked: ${r.reason ?? ''}`);
        else if (r.status === 'skip') tc.skipped().standardOutput(`skipped: ${r.reason ?? ''}`);
        else if (r.status === 'flaky') tc.property('flaky', `passed after ${r.attempts} attempts`);
      }
    }
  }
  return builder.build();
}
