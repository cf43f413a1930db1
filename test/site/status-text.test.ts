import { describe, expect, it } from 'vitest';
import { describeCounts, overallKind, statusSentence, verdictOf } from '../../src/site/status-text.ts';

const counts = { total: 6, verified: 3, flaky: 1, drifted: 1, unverified: 1, skipped: 1 };

describe('statusSentence and verdictOf', () => {
  it('says when and where a block was verified', () => {
    expect(statusSentence({ kind: 'verified', label: 'Verified', date: '12 May 2026', environment: 'kind · kubernetes v1.35.0' })).toBe(
      'Verified on 12 May 2026 (kind · kubernetes v1.35.0): a run printed this output.',
    );
  });
  it('gives the reason of drift, skips and stale blocks', () => {
    expect(statusSentence({ kind: 'drifted', label: 'Drifted', date: '1 Jan 2026', reason: 'exit status 2' })).toBe('Drifted on 1 Jan 2026: the last run printed something else (exit status 2).');
    expect(statusSentence({ kind: 'skipped', label: 'Run this yourself', reason: 'needs a laptop' })).toBe('Run this yourself: our checker does not type this one (needs a laptop).');
    expect(verdictOf({ kind: 'unverified', label: 'Not yet verified', reason: 'changed since it was last checked on 1 Jan 2026' })).toBe('Not yet verified: changed since it was last checked on 1 Jan 2026.');
  });
  it('does not repeat the badge of a block that was never recorded', () => {
    expect(verdictOf({ kind: 'unverified', label: 'Not yet verified' })).toBeUndefined();
  });
});

describe('describeCounts and overallKind', () => {
  it('lists non-zero counts', () => {
    expect(describeCounts(counts)).toBe('3 verified · 1 flaky · 1 drifted · 1 not yet verified · 1 not run');
    expect(describeCounts({ ...counts, total: 0 })).toBe('no checked blocks');
  });
  it('lets drift win, then unverified, then flaky', () => {
    expect(overallKind(counts)).toBe('drifted');
    expect(overallKind({ ...counts, drifted: 0 })).toBe('unverified');
    expect(overallKind({ ...counts, drifted: 0, unverified: 0 })).toBe('flaky');
    expect(overallKind({ ...counts, drifted: 0, unverified: 0, flaky: 0 })).toBe('verified');
    expect(overallKind({ total: 1, verified: 0, flaky: 0, drifted: 0, unverified: 0 })).toBe('skipped');
  });
});
