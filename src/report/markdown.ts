import type { BlockResult } from '../model/result.ts';
import type { RunReport } from './types.ts';
import { describeFailure } from './describe.ts';
import { formatSummary, hasDrift } from './summary.ts';

const ICON: Record<BlockResult['status'], string> = {
  pass: '✅',
  flaky: '🟡',
  fail: '❌',
  error: '💥',
  skip: '⏭️',
  blocked: '⛔',
};

/** GitHub refuses a job summary over 1 MiB; the report stays well under it whatever happens. */
export const MARKDOWN_BUDGET = 1024 * 1024 - 64 * 1024;
/** Most one block's diff may take of the report. */
const BLOCK_BUDGET = 48 * 1024;

/** Options of {@link renderMarkdownReport}. */
export interface MarkdownReportOptions {
  /** Size limit in bytes. @default MARKDOWN_BUDGET */
  budget?: number;
}

/**
 * A Markdown report fit for a CI job summary or an issue body: what drifted, where, and the diff.
 * It never grows past the budget: once the diffs would, the remaining failing blocks are listed
 * by name only (or counted), and the reader is sent to the JSON and JUnit reports.
 */
export function renderMarkdownReport(report: RunReport, opts: MarkdownReportOptions = {}): string {
  // 4 KiB stay free for the note that says what was left out.
  const budget = (opts.budget ?? MARKDOWN_BUDGET) - 4096;
  const out: string[] = [];
  let size = 0;
  let withoutDiff = 0;
  let leftOut = 0;
  const bytes = (lines: string[]) => lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  /** Adds lines if they fit in the budget; false (and nothing added) otherwise. */
  const add = (...lines: string[]): boolean => {
    const n = bytes(lines);
    if (size + n > budget) return false;
    out.push(...lines);
    size += n;
    return true;
  };
  const verdict = report.interrupted ? 'interrupted' : hasDrift(report.summary) ? 'drift detected' : 'all blocks verified';
  add(`## Lab verification: ${verdict}`, '', formatSummary(report.summary), '');
  add('| lab | target | passed | failed | errors | flaky | skipped | blocked |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const l of report.labs) {
    const c = (s: BlockResult['status']) => l.results.filter((r) => r.status === s).length;
    if (!add(`| ${l.lab.config.title} (\`${l.lab.id}\`) | ${l.environment.target} | ${c('pass')} | ${c('fail')} | ${c('error')} | ${c('flaky')} | ${c('skip')} | ${c('blocked')} |`)) leftOut++;
  }
  const noteAt = out.length;
  for (const l of report.labs) {
    for (const e of l.labErrors) if (!add('', `**${l.lab.id}:** ${escapeMd(cut(e, BLOCK_BUDGET))}`)) leftOut++;
    for (const r of l.results.filter((x) => x.status === 'fail' || x.status === 'error')) {
      const where = `${ICON[r.status]} \`${r.id}\` — ${r.file}:${r.line}`;
      const diff = cut(describeFailure(r, { color: false }) ?? '', BLOCK_BUDGET).replaceAll('```', '`\u200b``');
      if (add('', `### ${where}`, '', '```diff', diff, '```')) continue;
      if (add('', `- ${where} (diff left out)`)) withoutDiff++;
      else leftOut++;
    }
    const flaky = l.results.filter((r) => r.status === 'flaky');
    if (flaky.length > 0 && add('', '<details><summary>Flaky blocks (passed after retries)</summary>', '')) {
      for (const r of flaky) if (!add(`- \`${r.id}\` — ${r.file}:${r.line}, ${r.attempts} attempts`)) leftOut++;
      out.push('', '</details>');
    }
    const skipped = l.results.filter((r) => r.status === 'skip');
    if (skipped.length > 0 && add('', '<details><summary>Skipped blocks</summary>', '')) {
      for (const r of skipped) if (!add(`- \`${r.id}\` — ${r.file}:${r.line}: ${escapeMd(cut(r.reason ?? '', 512))}`)) leftOut++;
      out.push('', '</details>');
    }
  }
  const envs = report.labs.map((l) => `${l.lab.id}: ${Object.entries(l.environment.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (envs.length) add('', '<sub>' + envs.map(escapeMd).join('<br>') + '</sub>');
  if (withoutDiff > 0 || leftOut > 0) {
    const parts = [withoutDiff > 0 ? `${withoutDiff} failing block${withoutDiff === 1 ? ' is' : 's are'} listed without a diff` : '', leftOut > 0 ? `${leftOut} entr${leftOut === 1 ? 'y is' : 'ies are'} left out` : ''].filter(Boolean);
    out.splice(noteAt, 0, '', `> **This report is shortened:** ${parts.join(' and ')} to keep it under the 1 MiB limit of a job summary. The JSON and JUnit reports of this run have every block and diff.`);
  }
  return out.join('\n') + '\n';
}

/** `text` cut to `limit` bytes or so, saying so. */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n[… cut at ${Math.round(limit / 1024)} KiB; the JSON report has all of it]`;
}

function escapeMd(s: string): string {
  return s.replace(/[|<>]/g, (c) => ({ '|': '\\|', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}
