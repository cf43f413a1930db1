import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLabLock, type LockHolder } from '../../src/run/lab-lock.ts';
import { isReclaimable } from '../../src/run/reclaim.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labs-lock-unit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('acquireLabLock', () => {
  it('gives the lock once; a second taker is told who holds it; release frees it', () => {
    const first = acquireLabLock('lab', { dir, command: 'labs verify lab' });
    if (!('lock' in first)) throw new Error('expected the lock');
    const second = acquireLabLock('lab', { dir });
    expect(second).toEqual({ busy: expect.objectContaining({ pid: process.pid, command: 'labs verify lab' }) });
    first.lock.note({ tempDir: '/tmp/labs-lab-x', tag: 'lt-abc' });
    expect(JSON.parse(readFileSync(first.lock.path, 'utf8'))).toMatchObject({ tempDirs: ['/tmp/labs-lab-x'], tags: ['lt-abc'] });
    first.lock.release();
    expect(existsSync(first.lock.path)).toBe(false);
    const third = acquireLabLock('lab', { dir });
    expect('lock' in third && third.lock.deadRun).toBe(undefined);
    if ('lock' in third) third.lock.release();
  });

  it('takes over the lock of a dead run and hands back what it left', () => {
    const dead: LockHolder = { labId: 'lab', pid: 2 ** 22 + 17, startTime: '1', host: '', startedAt: '2026-01-01T00:00:00Z', command: 'labs verify lab', tempDirs: ['/tmp/labs-lab-dead'], tags: ['lt-dead'] };
    writeFileSync(join(dir, 'lab.lock'), JSON.stringify(dead));
    const got = acquireLabLock('lab', { dir });
    if (!('lock' in got)) throw new Error('expected the lock');
    expect(got.lock.deadRun).toMatchObject({ pid: dead.pid, tempDirs: ['/tmp/labs-lab-dead'], tags: ['lt-dead'] });
    expect(JSON.parse(readFileSync(got.lock.path, 'utf8')).pid).toBe(process.pid);
    got.lock.release();
  });

  it('treats a reused pid (same pid, other start time) as dead', () => {
    writeFileSync(join(dir, 'lab.lock'), JSON.stringify({ labId: 'lab', pid: process.pid, startTime: 'not-this-one', host: '', startedAt: '', command: '', tempDirs: [], tags: [] }));
    const got = acquireLabLock('lab', { dir });
    expect('lock' in got && got.lock.deadRun?.startTime).toBe('not-this-one');
    if ('lock' in got) got.lock.release();
  });
});

describe('isReclaimable', () => {
  it('removes only the run folders labs makes in the temp folder', () => {
    expect(isReclaimable(join(tmpdir(), 'labs-lab-abc123'))).toBe(true);
    expect(isReclaimable('/home/me')).toBe(false);
    expect(isReclaimable(join(tmpdir(), 'labs-x', '..', '..', 'etc'))).toBe(false);
    expect(isReclaimable(join(tmpdir(), 'other'))).toBe(false);
  });
});

describe('a run that could not clean up after a dead one', () => {
  it('leaves the dead run’s record for the next run', () => {
    const dead: LockHolder = { labId: 'lab', pid: 2 ** 22 + 19, startTime: '1', host: '', startedAt: '', command: '', tempDirs: ['/tmp/labs-lab-dead'], tags: ['lt-dead'] };
    const d = mkdtempSync(join(tmpdir(), 'labs-lock-owed-'));
    try {
      writeFileSync(join(d, 'lab.lock'), JSON.stringify(dead));
      const got = acquireLabLock('lab', { dir: d });
      if (!('lock' in got)) throw new Error('expected the lock');
      got.lock.note({ tempDir: '/tmp/labs-lab-mine' });
      got.lock.releaseOwingCleanup();
      const next = acquireLabLock('lab', { dir: d });
      if (!('lock' in next)) throw new Error('expected the lock');
      expect(next.lock.deadRun).toMatchObject({ pid: dead.pid, tags: ['lt-dead'], tempDirs: ['/tmp/labs-lab-dead', '/tmp/labs-lab-mine'] });
      next.lock.release();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
