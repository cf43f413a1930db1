import { describe, expect, it } from 'vitest';
import type { BlockResult, CommandResult } from '../../src/model/result.ts';
import { describeRecording, replayFromRecord, type ReplayBlock } from '../../src/replay/from-record.ts';

const command = (over: Partial<CommandResult>): CommandResult => ({ command: 'cmd', ran: 'cmd', exitCode: 0, output: '', durationMs: 0, timedOut: false, ok: true, ...over });

const result = (over: Partial<BlockResult> = {}): BlockResult => ({
  id: 'b1',
  file: 'content/labs/x/01-a.mdx',
  line: 3,
  hash: 'sha256:1',
  status: 'pass',
  attempts: 1,
  durationMs: 2000,
  commands: [
    command({ command: 'curl 10.96.0.10', ran: 'curl 10.96.14.7', output: 'hello from 10.96.14.7\n\n', durationMs: 1234.6 }),
    command({ command: 'echo done', ran: 'echo done', output: 'done', durationMs: 3 }),
  ],
  bindings: { '10.96.0.10': '10.96.14.7' },
  at: '2026-05-12T03:14:15.000Z',
  ...over,
});

const block = (over: Partial<ReplayBlock> = {}): ReplayBlock => ({ id: 'b1', status: 'verified', label: 'Verified', prompts: ['$ ', '$ '], ...over });

describe('replayFromRecord', () => {
  it('takes every command, output and duration from the record, the prompts from the page', () => {
    expect(replayFromRecord(block(), result())).toEqual({
      at: '2026-05-12T03:14:15.000Z',
      commands: [
        // The command as it ran, so it agrees with the output the run printed.
        { prompt: '$ ', command: 'curl 10.96.14.7', output: 'hello from 10.96.14.7', durationMs: 1235 },
        { prompt: '$ ', command: 'echo done', output: 'done', durationMs: 3 },
      ],
    });
  });

  it('replays a flaky block (its badge says flaky) as well as a verified one', () => {
    expect(replayFromRecord(block({ status: 'flaky' }), result({ status: 'flaky', attempts: 3 }))).toHaveProperty('commands');
  });

  it('refuses a block whose badge is not verified or flaky, whatever its record says', () => {
    for (const status of ['drifted', 'unverified', 'skipped']) {
      expect(replayFromRecord(block({ status, label: status }), result())).toEqual({ reason: `block b1 is "${status}", not verified: only a verified run is replayed` });
    }
  });

  it('refuses a missing, failed, skipped or other block’s result', () => {
    expect(replayFromRecord(block(), undefined)).toMatchObject({ reason: expect.stringMatching(/no passing run/) });
    for (const status of ['fail', 'error', 'skip', 'blocked'] as const) {
      expect(replayFromRecord(block(), result({ status }))).toMatchObject({ reason: expect.stringMatching(/no passing run/) });
    }
    expect(replayFromRecord(block(), result({ id: 'other' }))).toMatchObject({ reason: expect.stringMatching(/no passing run/) });
  });

  it('refuses a record whose commands do not line up with the block’s, or that holds none', () => {
    expect(replayFromRecord(block({ prompts: ['$ ', '$ ', '$ '] }), result())).toEqual({ reason: 'block b1: the record has 2 commands, the block shows 3' });
    expect(replayFromRecord(block({ prompts: [] }), result({ commands: [] }))).toMatchObject({ reason: expect.stringMatching(/0 commands/) });
  });

  it('never plays a negative or missing duration as a wait', () => {
    const run = replayFromRecord(block(), result({ commands: [command({ durationMs: -5 }), command({ durationMs: Number.NaN })] }));
    expect('commands' in run && run.commands.map((c) => c.durationMs)).toEqual([0, 0]);
  });
});

describe('describeRecording', () => {
  it('says when and where the run was recorded', () => {
    expect(describeRecording('12 May 2026', 'local · kernel 6.12.0')).toBe('Replay of the run recorded 12 May 2026 · local · kernel 6.12.0');
    expect(describeRecording('12 May 2026', undefined)).toBe('Replay of the run recorded 12 May 2026');
  });
});
