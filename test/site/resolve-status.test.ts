import { describe, expect, it } from 'vitest';
import { hashBlock } from '../../src/model/hash.ts';
import type { RunEnvironment } from '../../src/model/result.ts';
import { classifyBlock, describeEnvironment, formatDate, resolveBlockStatus } from '../../src/site/resolve-status.ts';
import { commandBlock, fence, fileBlock, resultFor } from './helpers.ts';

const env: RunEnvironment = { target: 'kind', versions: { kubernetes: 'v1.35.0', kind: 'v0.31.0' }, os: 'linux', node: 'v24' };
const block = commandBlock(fence('console', '', '$ echo hi\nhi'));
const hash = hashBlock(block);

describe('classifyBlock', () => {
  it('is missing without a record and stale when the hash differs', () => {
    expect(classifyBlock(block, hash, undefined)).toBe('missing');
    expect(classifyBlock(block, hash, resultFor(block, 'sha256:other'))).toBe('stale');
  });

  it('maps current record statuses', () => {
    expect(classifyBlock(block, hash, resultFor(block, hash, { status: 'pass' }))).toBe('verified');
    expect(classifyBlock(block, hash, resultFor(block, hash, { status: 'flaky' }))).toBe('flaky');
    expect(classifyBlock(block, hash, resultFor(block, hash, { status: 'fail' }))).toBe('drifted');
    expect(classifyBlock(block, hash, resultFor(block, hash, { status: 'error' }))).toBe('drifted');
    expect(classifyBlock(block, hash, resultFor(block, hash, { status: 'blocked' }))).toBe('blocked');
  });

  it('calls skip= blocks skipped whatever the record says', () => {
    const skipped = commandBlock(fence('console', 'skip="needs a laptop"', '$ open http://localhost/'));
    expect(classifyBlock(skipped, hashBlock(skipped), undefined)).toBe('skipped');
    expect(classifyBlock(skipped, hashBlock(skipped), resultFor(skipped, 'x', { status: 'fail' }))).toBe('skipped');
  });

  it('classifies file blocks like command blocks', () => {
    const f = fileBlock(fence('yaml', 'file=a.yaml', 'a: 1'));
    expect(classifyBlock(f, hashBlock(f), resultFor(f, hashBlock(f)))).toBe('verified');
    expect(classifyBlock(f, hashBlock(f), undefined)).toBe('missing');
  });
});

describe('resolveBlockStatus', () => {
  it('dates a verified block and says where it ran', () => {
    const s = resolveBlockStatus(block, hash, resultFor(block, hash), env);
    expect(s).toMatchObject({ kind: 'verified', label: 'Verified', date: '12 May 2026', at: '2026-05-12T03:14:15.000Z' });
    expect(s.environment).toBe('kind · kubernetes v1.35.0 · kind v0.31.0');
  });

  it('says a stale block changed since its last check', () => {
    const s = resolveBlockStatus(block, hash, resultFor(block, 'sha256:old'), env);
    expect(s.kind).toBe('unverified');
    expect(s.reason).toContain('changed since it was last checked on 12 May 2026');
    expect(s.date).toBeUndefined();
  });

  it('gives a drifted block the diff of the commands that failed', () => {
    const s = resolveBlockStatus(
      block,
      hash,
      resultFor(block, hash, {
        status: 'fail',
        reason: 'output differs',
        commands: [
          { command: 'echo hi', ran: 'echo hi', exitCode: 0, output: 'ho', durationMs: 1, timedOut: false, ok: false, reason: 'line 1 differs', diff: [{ op: '-', text: 'hi' }, { op: '+', text: 'ho', notes: ['n'] }] },
          { command: 'true', ran: 'true', exitCode: 0, output: '', durationMs: 1, timedOut: false, ok: true },
        ],
      }),
      env,
    );
    expect(s.kind).toBe('drifted');
    expect(s.diff).toEqual([{ command: 'echo hi', reason: 'line 1 differs', lines: [{ op: '-', text: 'hi' }, { op: '+', text: 'ho', notes: ['n'] }] }]);
  });

  it('reports the attempts of a flaky block and the reason of a skipped one', () => {
    expect(resolveBlockStatus(block, hash, resultFor(block, hash, { status: 'flaky', attempts: 4 }), env).reason).toBe('matched only after 4 attempts');
    const skipped = commandBlock(fence('console', 'skip="needs a laptop"', '$ open http://localhost/'));
    expect(resolveBlockStatus(skipped, hashBlock(skipped), undefined, undefined)).toEqual({ kind: 'skipped', label: 'Run this yourself', reason: 'needs a laptop' });
  });

  it('has no date and no environment when there is no record', () => {
    expect(resolveBlockStatus(block, hash, undefined, undefined)).toEqual({ kind: 'unverified', label: 'Not yet verified' });
  });
});

describe('formatting', () => {
  it('formats dates in UTC and leaves bad dates as written', () => {
    expect(formatDate('2026-01-01T00:30:00+02:00')).toBe('31 Dec 2025');
    expect(formatDate('yesterday')).toBe('yesterday');
  });
  it('describes an environment without versions', () => {
    expect(describeEnvironment({ target: 'local', versions: {}, os: 'linux', node: 'v24' })).toBe('local');
    expect(describeEnvironment(undefined)).toBeUndefined();
  });
});
