import { describe, expect, it } from 'vitest';
import { appendNight, buildStrips, parseHistory, summariseNight, type NightStatus, type NightSummary } from '../../src/history/history.ts';

const night = (i: number, blocks: Record<string, NightStatus>): NightSummary => ({ date: `2026-11-${String(i).padStart(2, '0')}`, run: `https://run/${i}`, blocks });

describe('the drift history', () => {
  it('summarises a night from the JSON reports: a failed block drifted, blocked and skipped did not run, anything unknown is an error', () => {
    const n = summariseNight(
      [
        { blocks: [{ lab: 'a', id: 'b1', status: 'pass' }, { lab: 'a', id: 'b2', status: 'fail' }, { lab: 'a', id: 'b3', status: 'blocked' }] },
        { blocks: [{ lab: 'z', id: 'b1', status: 'flaky' }, { lab: 'z', id: 'b2', status: 'error' }, { lab: 'z', id: 'b3', status: 'skip' }, { lab: 'z', id: 'b4', status: 'weird' }] },
        {},
      ],
      '2026-12-05',
      'https://run/7',
    );
    expect(n).toEqual({ date: '2026-12-05', run: 'https://run/7', blocks: { 'a/b1': 'pass', 'a/b2': 'drift', 'a/b3': 'skip', 'z/b1': 'flaky', 'z/b2': 'error', 'z/b3': 'skip', 'z/b4': 'error' } });
  });

  it('keeps the last 30 nights, and a rerun of the same run replaces its line', () => {
    let text = '';
    for (let i = 1; i <= 35; i++) text = appendNight(text, night(i, { 'a/b': 'pass' }));
    const { nights, problems } = parseHistory(text);
    expect(problems).toEqual([]);
    expect(nights.map((n) => n.run)).toEqual(Array.from({ length: 30 }, (_, i) => `https://run/${i + 6}`));
    const again = parseHistory(appendNight(text, night(35, { 'a/b': 'drift' }))).nights;
    expect(again).toHaveLength(30);
    expect(again.at(-1)!.blocks['a/b']).toBe('drift');
    expect(again.filter((n) => n.run === 'https://run/35')).toHaveLength(1);
  });

  it('never loses a line it cannot read, and says which line it is', () => {
    const text = appendNight('{"date":"x"}\nnot json\n', night(1, { 'a/b': 'pass' }));
    expect(text).toContain('not json');
    expect(parseHistory(text).problems).toEqual(['line 1: not a night summary (needs date, run and blocks)', 'line 2: not JSON']);
    expect(parseHistory(text).nights).toHaveLength(1);
  });

  it('draws per-block strips, oldest first, with none for nights a block was not run, and the lab strip as the worst block', () => {
    const [lab] = buildStrips([night(1, { 'a/x': 'pass', 'a/y': 'pass' }), night(2, { 'a/x': 'flaky', 'a/y': 'drift' }), night(3, { 'a/x': 'pass' }), night(4, { 'a/x': 'skip', 'a/y': 'error' })]);
    expect(lab!.lab).toBe('a');
    expect(lab!.blocks.map((b) => [b.id, b.cells])).toEqual([
      ['x', ['pass', 'flaky', 'pass', 'skip']],
      ['y', ['pass', 'drift', 'none', 'error']],
    ]);
    expect(lab!.cells).toEqual(['pass', 'drift', 'pass', 'error']);
  });

  it('flags a block whose flaky rate reaches the threshold over enough runs, and no other', () => {
    const h = Array.from({ length: 10 }, (_, i) => night(i + 1, { 'a/often': i % 3 === 0 ? 'flaky' : 'pass', 'a/once': i === 4 ? 'flaky' : 'pass', 'a/new': 'none' as never }));
    for (const n of h.slice(0, 8)) delete n.blocks['a/new'];
    h[8]!.blocks['a/new'] = 'flaky';
    h[9]!.blocks['a/new'] = 'pass';
    const blocks = Object.fromEntries(buildStrips(h)[0]!.blocks.map((b) => [b.id, b]));
    expect(blocks.often).toMatchObject({ runs: 10, flakyRate: 0.4, flagged: true });
    expect(blocks.once).toMatchObject({ runs: 10, flakyRate: 0.1, flagged: false });
    expect(blocks.new).toMatchObject({ runs: 2, flakyRate: 0.5, flagged: false }); // too few runs to tell
    expect(buildStrips(h, { threshold: 0.05 })[0]!.blocks.find((b) => b.id === 'once')!.flagged).toBe(true);
    expect(buildStrips(h, { minRuns: 2 })[0]!.blocks.find((b) => b.id === 'new')!.flagged).toBe(true);
  });

  it('shows only the most recent nights it is asked for', () => {
    const h = Array.from({ length: 40 }, (_, i) => night(i, { 'a/x': i < 10 ? 'drift' : 'pass' }));
    expect(buildStrips(h)[0]!.cells).toEqual(Array(30).fill('pass'));
    expect(buildStrips(h, { nights: 31 })[0]!.cells[0]).toBe('drift');
  });
});

describe('reading the history for the site', () => {
  it('merges the roots oldest first and names each unreadable line by file and line', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readHistory } = await import('../../src/history/read-history.ts');
    const a = mkdtempSync(join(tmpdir(), 'history-a-'));
    const b = mkdtempSync(join(tmpdir(), 'history-b-'));
    try {
      mkdirSync(join(a, 'verification'));
      mkdirSync(join(b, 'verification'));
      writeFileSync(join(a, 'verification/history.jsonl'), `${JSON.stringify(night(3, {}))}\n`);
      writeFileSync(join(b, 'verification/history.jsonl'), `${JSON.stringify(night(1, {}))}\n{oops\n`);
      const h = readHistory([a, b, join(a, 'missing')]);
      expect(h.nights.map((n) => n.date)).toEqual(['2026-11-01', '2026-11-03']);
      expect(h.problems).toEqual([`${join(b, 'verification/history.jsonl')}: line 2: not JSON`]);
    } finally {
      rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
  });
});
