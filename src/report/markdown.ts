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

/** A Markdown report fit for a CI job summary or an issue body: what drifted, where, and the diff. */
export function renderMarkdownReport(report: RunReport): string {
  const out: string[] = [];
  const verdict = report.interrupted ? 'interrupted' : hasDrift(report.summary) ? 'drift detected' : 'all blocks verified';
  out.push(`## Lab verification: ${verdict}`, '', formatSummary(report.summary), '');
  out.push('| lab | target | passed | failed | errors | flaky | skipped | blocked |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const l of report.labs) {
    const c = (s: BlockResult['status']) => l.results.filter((r) => r.status === s).length;
    out.push(`| ${l.lab.config.title} (\`${l.lab.id}\`) | ${l.environment.target} | ${c('pass')} | ${c('fail')} | ${c('error')} | ${c('flaky')} | ${c('skip')} | ${c('blocked')} |`);
  }
  for (const l of report.labs) {
    for (const e of l.labErrors) out.push('', `**${l.lab.id}:** ${escapeMd(e)}`);
    const bad = l.results.filter((r) => r.status === 'fail' || r.status === 'error');
    for (const r of bad) {
      out.push('', `### ${ICON[r.status]} \`${r.id}\` — ${r.file}:${r.line}`, '');
      out.push('```diff', (describeFailure(r, { color: false }) ?? '').replaceAll('```', '`\u200b``'), '```');
    }
    const flaky = l.results.filter((r) => r.status === 'flaky');
    if (flaky.length > 0) {
      out.push('', '<details><summary>Flaky blocks (passed after retries)</summary>', '');
      for (const r of flaky) out.push(`- \`${r.id}\` — ${r.file}:${r.line}, ${r.attempts} attempts`);
      out.push('', '</details>');
    }
    const skipped = l.results.filter((r) => r.status === 'skip');
    if (skipped.length > 0) {
      out.push('', '<details><summary>Skipped blocks</summary>', '');
      for (const r of skipped) out.push(`- \`${r.id}\` — ${r.file}:${r.line}: ${escapeMd(r.reason ?? '')}`);
      out.push('', '</details>');
    }
  }
  const envs = report.labs.map((l) => `${l.lab.id}: ${Object.entries(l.environment.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (envs.length) out.push('', '<sub>' + envs.map(escapeMd).join('<br>') + '</sub>');
  return out.join('\n') + '\n';
}

function escapeMd(s: string): string {
  return s.replace(/[|<>]/g, (c) => ({ '|': '\\|', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}
