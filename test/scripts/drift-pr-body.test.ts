import { describe, expect, it } from 'vitest';
import { BODY_LIMIT, changedFiles, nightState, renderPrBody, type ShardArtifacts } from '../../scripts/drift-pr-body.ts';

const patch = (file: string) => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@\n-old\n+new\n`;
const report = (failed: number, errors = 0, blocks: number = failed) => ({
  summary: { failed, errors },
  labs: [{ id: 'alpha', environment: { versions: { kind: 'v0.33.0', kubernetes: 'v1.37.0' } } }],
  blocks: Array.from({ length: blocks }, (_, i) => ({ lab: 'alpha', id: `b${i}`, file: `content/labs/alpha/0${i % 9}.mdx`, line: i + 1, status: 'fail', reason: 'output drifted' })),
});

describe('the drift update pull request', () => {
  it('proposes an update when any shard left a non-empty patch', () => {
    expect(nightState([{ name: 'drift-pinned-1', report: report(1), patch: patch('content/a.mdx') }], 2)).toBe('update');
  });

  it('is clean only when every shard reported no failed and no errored block', () => {
    const ok: ShardArtifacts = { name: 'drift-pinned-1', report: report(0), patch: '' };
    expect(nightState([ok, { ...ok, name: 'drift-pinned-2' }], 2)).toBe('clean');
    expect(nightState([ok], 2)).toBe('unknown'); // a shard left nothing behind
    expect(nightState([ok, { name: 'drift-pinned-2', patch: '' }], 2)).toBe('unknown'); // no report
    expect(nightState([ok, { name: 'drift-pinned-2', report: report(0, 1), patch: '' }], 2)).toBe('unknown');
    expect(nightState([ok, { name: 'drift-pinned-2', report: report(2), patch: '' }], 2)).toBe('unknown');
    expect(nightState([ok, { name: 'drift-pinned-2', report: {}, patch: '' }], 2)).toBe('unknown');
    expect(nightState([], 0)).toBe('clean');
  });

  it('lists each changed page once', () => {
    expect(changedFiles(patch('content/b.mdx') + patch('content/a.mdx') + patch('content/a.mdx'))).toEqual(['content/a.mdx', 'content/b.mdx']);
  });

  it('holds the pages, blocks, versions, reminder and reports', () => {
    const body = renderPrBody([{ name: 'drift-pinned-1', report: report(1), markdown: '# the report', patch: patch('content/labs/alpha/00.mdx') }], 'https://run/1', '2026-12-05');
    expect(body).toContain('The nightly drift run of 2026-12-05 (https://run/1)');
    expect(body).toContain('- `content/labs/alpha/00.mdx`');
    expect(body).toContain('- `content/labs/alpha/00.mdx:1` (alpha, block `b0`): drifted: output drifted');
    expect(body).toContain('| alpha | kind v0.33.0, kubernetes v1.37.0 |');
    expect(body).toContain('Read the prose around each changed output');
    expect(body).toContain('# the report');
  });

  it('redacts secrets a report printed, as records do', () => {
    const body = renderPrBody([{ name: 'drift-pinned-1', report: report(0), markdown: 'token: s3cr3tvalue\nAuthorization: Bearer abcdefghijklmnop', patch: '' }], 'https://run/1', '2026-12-05');
    expect(body).not.toContain('s3cr3tvalue');
    expect(body).not.toContain('abcdefghijklmnop');
    expect(body).toContain('token: [REDACTED]');
  });

  it('stays under the limit: the report gives way to a link to the run, then the lists are cut, saying how much', () => {
    const huge = 'x'.repeat(BODY_LIMIT);
    const big = renderPrBody([{ name: 'drift-pinned-1', report: report(3), markdown: huge, patch: patch('content/a.mdx') }], 'https://run/1', '2026-12-05');
    expect(big.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(big).not.toContain('xxxx');
    expect(big).toContain("read it in the run's summary: https://run/1");
    expect(big).toContain('(alpha, block `b2`)');
    const many = renderPrBody([{ name: 'drift-pinned-1', report: report(5000), markdown: '', patch: patch('content/a.mdx') }], 'https://run/1', '2026-12-05');
    expect(many.length).toBeLessThanOrEqual(BODY_LIMIT);
    const more = /- … and (\d+) more \(see the run: https:\/\/run\/1\)/.exec(many);
    expect(more).not.toBeNull();
    expect(many.match(/\(alpha, block `b\d+`\)/g)!.length + Number(more![1])).toBe(5000);
    expect(BODY_LIMIT).toBeLessThan(65_536);
  });
});
