import { describe, expect, it } from 'vitest';
import type { BlockResult } from '../../src/model/result.ts';
import { renderMarkdownReport } from '../../src/report/markdown.ts';
import type { LabRunResult, RunReport } from '../../src/report/types.ts';
import { summarise } from '../../src/report/summary.ts';

function driftedRun(blocks: number, linesPerDiff: number): LabRunResult {
  const results: BlockResult[] = Array.from({ length: blocks }, (_, i) => ({
    id: `block-${i}`, file: 'lab/01.mdx', line: i + 1, hash: 'h', status: 'fail', attempts: 1, durationMs: 1, bindings: {}, at: '',
    reason: 'output drifted',
    commands: [{ command: 'x', ran: 'x', exitCode: 0, output: '', durationMs: 1, timedOut: false, ok: false, reason: 'output drifted',
      diff: Array.from({ length: linesPerDiff }, (_, j) => ({ op: j % 2 ? ('+' as const) : ('-' as const), text: `expected or actual line ${j} of block ${i} with some width to it` })) }],
  }));
  return { lab: { id: 'lab', config: { title: 'Lab' } } as LabRunResult['lab'], results, environment: { target: 'local', versions: { bash: '5' }, os: 'Linux', node: 'v24' }, startedAt: '', finishedAt: '', interrupted: false, labErrors: [] };
}

describe('the Markdown report stays under 1 MiB', () => {
  it('with 2,000 drifted blocks it shortens itself and says so', () => {
    const run = driftedRun(2000, 10);
    const report: RunReport = { labs: [run], summary: summarise(run.results), interrupted: false };
    const md = renderMarkdownReport(report);
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
    expect(md).toContain('**This report is shortened:**');
    expect(md).toContain('### ❌ `block-0`'); // the first diffs are there
    expect(md).toMatch(/\d+ failing blocks are listed without a diff/);
    expect(md).toContain('2000 failed'); // the summary still counts every block
  });

  it('a small report is not shortened', () => {
    const run = driftedRun(3, 5);
    const md = renderMarkdownReport({ labs: [run], summary: summarise(run.results), interrupted: false });
    expect(md).not.toContain('shortened');
    expect(md.match(/### ❌/g)).toHaveLength(3);
  });

  it('one huge diff is cut, not the report', () => {
    const run = driftedRun(1, 50_000);
    const md = renderMarkdownReport({ labs: [run], summary: summarise(run.results), interrupted: false });
    expect(Buffer.byteLength(md)).toBeLessThan(64 * 1024);
    expect(md).toContain('cut at 48 KiB');
  });
});
