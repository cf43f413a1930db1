import type { BlockResult, BlockStatus, RunSummary } from '../model/result.ts';

const KEY: Record<BlockStatus, keyof RunSummary> = {
  pass: 'passed',
  fail: 'failed',
  flaky: 'flaky',
  skip: 'skipped',
  error: 'errors',
  blocked: 'blocked',
};

/** Counts results by status. */
export function summarise(results: Iterable<BlockResult>): RunSummary {
  const s: RunSummary = { passed: 0, failed: 0, flaky: 0, skipped: 0, errors: 0, blocked: 0 };
  for (const r of results) s[KEY[r.status]]++;
  return s;
}

/** Adds summaries. */
export function addSummaries(a: RunSummary, b: RunSummary): RunSummary {
  return {
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    flaky: a.flaky + b.flaky,
    skipped: a.skipped + b.skipped,
    errors: a.errors + b.errors,
    blocked: a.blocked + b.blocked,
  };
}

/** Whether a run counts as drift (contract §7: any fail or error). */
export function hasDrift(s: RunSummary): boolean {
  return s.failed > 0 || s.errors > 0 || s.blocked > 0;
}

/** One-line human summary, e.g. `12 passed, 1 flaky, 2 skipped`. Zero counts are left out. */
export function formatSummary(s: RunSummary): string {
  const parts: string[] = [];
  const push = (n: number, word: string) => {
    if (n > 0) parts.push(`${n} ${word}`);
  };
  push(s.passed, 'passed');
  push(s.failed, 'failed');
  push(s.errors, s.errors === 1 ? 'error' : 'errors');
  push(s.flaky, 'flaky');
  push(s.skipped, 'skipped');
  push(s.blocked, 'blocked');
  return parts.length ? parts.join(', ') : 'no blocks';
}
