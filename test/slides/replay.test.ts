import { describe, expect, it } from 'vitest';
import type { LabRecord } from '../../src/record/types.ts';
import { buildReplay } from '../../src/slides/replay.ts';
import type { TranscriptView } from '../../src/site/view-model.ts';

const view = (kind: TranscriptView['status']['kind'], commands = 2): TranscriptView => ({
  kind: 'command',
  id: 'deck-1',
  anchor: 'block-deck-1',
  session: 'node',
  title: 'Terminal · node',
  commands: Array.from({ length: commands }, (_, i) => ({ prompt: '# ', lines: [[{ text: `cmd ${i}` }]], output: [] })),
  copyText: '',
  notes: [],
  status: { kind, label: kind === 'verified' ? 'Verified' : 'Not yet verified', date: '22 Nov 2026', environment: 'local · ip 6.1.0' },
  source: 'slides/deck.mdx:5',
  scope: 'page:deck',
});

const record = (status: 'pass' | 'fail' = 'pass'): LabRecord =>
  ({
    version: 1,
    blocks: [
      {
        id: 'deck-1',
        status,
        at: '2026-11-22T06:31:03.814Z',
        commands: [
          { command: 'cmd 0', ran: 'cmd 0', exitCode: 0, output: 'first\n', durationMs: 1200.4, timedOut: false, ok: true },
          { command: 'cmd 1', ran: 'cmd 1', exitCode: 0, output: '', durationMs: 7, timedOut: false, ok: true },
        ],
      },
    ],
  }) as unknown as LabRecord;

describe('buildReplay', () => {
  it('takes each command’s output and duration from the record, one step per command', () => {
    const replay = buildReplay(view('verified'), record(), 1);
    expect('reason' in replay).toBe(false);
    if ('reason' in replay) return;
    expect(replay.commands).toEqual([
      { prompt: '# ', command: 'cmd 0', output: 'first', durationMs: 1200 },
      { prompt: '# ', command: 'cmd 1', output: '', durationMs: 7 },
    ]);
    expect(replay.base).toBe(1);
    expect(replay.recorded).toBe('Replay of the run recorded 22 Nov 2026 · local · ip 6.1.0');
    expect(replay.at).toBe('2026-11-22T06:31:03.814Z');
  });

  it('refuses a block that is not verified, has no passing run, or whose commands do not line up', () => {
    expect(buildReplay(view('unverified'), record(), 1)).toMatchObject({ reason: expect.stringMatching(/not verified/) });
    expect(buildReplay(view('drifted'), record(), 1)).toMatchObject({ reason: expect.stringMatching(/not verified/) });
    expect(buildReplay(view('verified'), record('fail'), 1)).toMatchObject({ reason: expect.stringMatching(/no passing run/) });
    expect(buildReplay(view('verified'), undefined, 1)).toMatchObject({ reason: expect.stringMatching(/no passing run/) });
    expect(buildReplay(view('verified', 3), record(), 1)).toMatchObject({ reason: expect.stringMatching(/2 commands, the block shows 3/) });
  });
});
