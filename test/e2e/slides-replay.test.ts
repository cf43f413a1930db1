/**
 * Demo replay in the browser: the deck's verified namespace block plays from its record — each
 * → types one command, and its output appears only after the command's recorded duration
 * (divided by the replay speed the presenter set), in order; going back shows the transcript at once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabRecord } from '../../src/record/types.ts';
import { TYPE_MS } from '../../src/replay/player.ts';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, openBuiltSite, PROJECT_ROOT } from './site.ts';

const DECK = 'k8s-networking-101';
let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

describe('demo replay', () => {
  it('plays each command, then its recorded output after its recorded duration, step by step', async () => {
    const record = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'verification', `slides-${DECK}.json`), 'utf8')) as LabRecord;
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const audience = await context.newPage();
    await audience.goto(site.url(`slides/${DECK}/#/1`));
    await audience.waitForSelector('[data-ready]', { state: 'attached' });
    const blockId = await audience.evaluate(() => document.querySelector<HTMLElement>('.deck-stage [data-replay]')!.dataset.blockId!);
    const recorded = record.blocks.find((b) => b.id === blockId)!;
    expect(recorded.status).toBe('pass');
    const slide = await audience.evaluate(() => Number(document.querySelector('.deck-stage [data-replay]')!.closest<HTMLElement>('.slide')!.dataset.slide));

    // The presenter speeds replays up fourfold; the audience window plays them.
    const presenter = await context.newPage();
    await presenter.goto(site.url(`slides/${DECK}/presenter/`));
    await presenter.waitForSelector('[data-ready]', { state: 'attached' });
    await presenter.keyboard.press(']');
    await presenter.keyboard.press(']');
    expect(await presenter.locator('[data-speed]').textContent()).toBe('Replay 4×');
    await presenter.keyboard.type(String(slide));
    await presenter.keyboard.press('Enter');
    await audience.waitForFunction((s) => document.querySelector<HTMLElement>('.deck-stage .slide.is-current')?.dataset.slide === String(s), slide);

    await audience.evaluate(() => {
      const log: { step: number; event: string; t: number; text: string; outputVisible: boolean | null }[] = [];
      (window as unknown as { replayLog: typeof log }).replayLog = log;
      for (const type of ['replay:start', 'replay:typed', 'replay:output']) {
        document.addEventListener(type, (e) => {
          const el = e.target as HTMLElement;
          const out = el.querySelector('.rp-out');
          log.push({ step: Number(el.dataset.step), event: type, t: performance.now(), text: el.querySelector('.rp-text')!.textContent!, outputVisible: out ? getComputedStyle(out).visibility === 'visible' : null });
        });
      }
    });
    const log = () => audience.evaluate(() => (window as unknown as { replayLog: { step: number; event: string; t: number; text: string; outputVisible: boolean | null }[] }).replayLog);
    for (let i = 1; i <= recorded.commands.length; i++) {
      await audience.keyboard.press('ArrowRight');
      await audience.waitForFunction((n) => (window as unknown as { replayLog: { event: string }[] }).replayLog.filter((e) => e.event === 'replay:output').length === n, i);
    }
    const events = await log();
    expect(events.map((e) => `${e.step} ${e.event}`)).toEqual(recorded.commands.flatMap((_, i) => [`${i + 1} replay:start`, `${i + 1} replay:typed`, `${i + 1} replay:output`]));
    for (const [i, command] of recorded.commands.entries()) {
      const [start, typed, output] = [events[3 * i]!, events[3 * i + 1]!, events[3 * i + 2]!];
      // Typed in full before it "runs"; its output hidden while it runs, shown only once the typing
      // and the recorded duration (both at 4×) have passed since the step began.
      expect(typed.text).toBe(command.command);
      if (typed.outputVisible !== null) expect(typed.outputVisible).toBe(false);
      if (output.outputVisible !== null) expect(output.outputVisible).toBe(true);
      const typing = (TYPE_MS * command.command.length) / 4;
      expect(output.t - start.t).toBeGreaterThanOrEqual(typing + command.durationMs / 4 - 1);
    }
    // What the room saw, in order, is the record's transcript.
    const shown = await audience.evaluate(() => document.querySelector('.deck-stage .slide.is-current .rp-body')!.textContent);
    const expected = recorded.commands.map((c) => `root@node:~# ${c.command}\n${c.output ? `${c.output}\n` : ''}`).join('');
    expect(shown).toBe(expected);
    const durations = await audience.evaluate(() => [...document.querySelectorAll<HTMLElement>('.deck-stage .slide.is-current .rp-step')].map((s) => Number(s.dataset.duration)));
    expect(durations).toEqual(recorded.commands.map((c) => Math.round(c.durationMs)));
    expect(await audience.locator('.deck-stage .slide.is-current .rp-recorded').textContent()).toMatch(/^Replay of the run recorded \d+ \w+ \d{4} · local/);

    // Back one step and forward by a jump: no animation, the transcript at that position at once.
    await audience.keyboard.press('ArrowLeft');
    const playing = await audience.evaluate(() => document.querySelectorAll('.rp-step.is-playing').length);
    expect(playing).toBe(0);
    await context.close();
  });
});
