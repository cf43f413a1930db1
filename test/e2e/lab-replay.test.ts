/**
 * "Replay" on a lab page, in the browser, from the fixture lab's record: only verified (or flaky)
 * blocks get the button; a replay shows each command as it ran and then its recorded output,
 * never before the recorded duration has passed (at the chosen speed), in order; it needs no
 * network; it pauses and resumes where it was; closing it gives the page's text back.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabRecord } from '../../src/record/types.ts';
import { NEXT_COMMAND_MS, TYPE_MS } from '../../src/replay/player.ts';
import { findSeriousViolations } from './axe.ts';
import type { StaticSite } from './serve.ts';
import { closeBuiltSite, FIXTURE_LAB, FIXTURE_STEP, openBuiltSite, PROJECT_ROOT } from './site.ts';

const record = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/site/project/verification', `${FIXTURE_LAB}.json`), 'utf8')) as LabRecord;
let site: StaticSite;
let browser: Browser;

beforeAll(async () => {
  ({ site, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite({ site, browser }));

type Event = { step: number; event: string; t: number; text: string; outputVisible: boolean | null };

describe('replay on a lab page', () => {
  it('offers Replay only on blocks whose badge is verified or flaky', async () => {
    const page = await browser.newPage();
    for (const route of [FIXTURE_STEP, `labs/${FIXTURE_LAB}/02-services/`]) {
      await page.goto(site.url(route));
      const blocks = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('figure.lb--terminal')].map((f) => ({
          id: f.dataset.blockId!,
          badge: f.querySelector('.lb-badge')!.className,
          replay: f.querySelector('.lb-replay-open') !== null,
          panel: f.querySelector('.lb-replay') !== null,
        })),
      );
      expect(blocks.length).toBeGreaterThan(0);
      for (const b of blocks) {
        expect(b.replay, `${b.id}: ${b.badge}`).toBe(/lb-badge--(verified|flaky)/.test(b.badge));
        expect(b.panel).toBe(b.replay);
      }
      if (route === FIXTURE_STEP) expect(blocks.filter((b) => b.replay).map((b) => b.id)).toEqual(['01-namespaces-1', 'make-veth', '01-namespaces-4']);
      // Drifted, never recorded, skipped and changed-since blocks have nothing to replay.
      else expect(blocks.filter((b) => b.replay).map((b) => b.id)).toEqual(['02-services-1', '02-services-2']);
    }
    await page.close();
  });

  it('plays each recorded command, then its recorded output after its recorded duration, in order, offline', async () => {
    const recorded = record.blocks.find((b) => b.id === 'make-veth')!;
    expect(recorded.status).toBe('pass');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(site.url(FIXTURE_STEP));
    await page.waitForLoadState('networkidle');
    await context.setOffline(true);
    const figure = page.locator('#block-make-veth');
    const pageText = await figure.locator('pre.lb-body:not(.rp-body)').textContent();
    await page.evaluate(() => {
      const log: Event[] = [];
      (window as unknown as { replayLog: Event[] }).replayLog = log;
      for (const type of ['replay:start', 'replay:typed', 'replay:output']) {
        document.addEventListener(type, (e) => {
          const el = e.target as HTMLElement;
          const steps = [...el.closest('.lb-replay')!.querySelectorAll('.rp-step')];
          const out = el.querySelector('.rp-out');
          log.push({ step: steps.indexOf(el), event: type, t: performance.now(), text: el.querySelector('.rp-text')!.textContent!, outputVisible: out ? getComputedStyle(out).visibility === 'visible' : null });
        });
      }
    });
    await figure.locator('.lb-replay-open').click();
    // Eight times faster (the speed applies to the command already playing, too).
    await figure.locator('.lb-replay-speed').selectOption('8');
    expect(await figure.locator('pre.lb-body:not(.rp-body)').isVisible()).toBe(false);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#block-make-veth-replay')!.dataset.state === 'done');

    const events = await page.evaluate(() => (window as unknown as { replayLog: Event[] }).replayLog);
    expect(events.map((e) => `${e.step} ${e.event}`)).toEqual(recorded.commands.flatMap((_, i) => [`${i} replay:start`, `${i} replay:typed`, `${i} replay:output`]));
    for (const [i, command] of recorded.commands.entries()) {
      const [start, typed, output] = [events[3 * i]!, events[3 * i + 1]!, events[3 * i + 2]!];
      expect(typed.text).toBe(command.ran);
      if (typed.outputVisible !== null) expect(typed.outputVisible).toBe(false);
      // Never before the typing and the recorded duration, at the fastest speed used (8×), have passed.
      expect(output.t - start.t).toBeGreaterThanOrEqual((TYPE_MS * command.ran.length + command.durationMs) / 8 - 1);
      expect(output.t - typed.t).toBeGreaterThanOrEqual(command.durationMs / 8 - 1);
    }
    // What the reader saw is the record's transcript, with the record's timings on every command.
    const panel = figure.locator('.lb-replay');
    expect(await panel.locator('.rp-body').textContent()).toBe(recorded.commands.map((c) => `$ ${c.ran}\n${c.output ? `${c.output}\n` : ''}`).join(''));
    expect(await panel.locator('.rp-step').evaluateAll((s) => s.map((e) => Number((e as HTMLElement).dataset.duration)))).toEqual(recorded.commands.map((c) => c.durationMs));
    expect(await panel.locator('.lb-replay__recorded time').getAttribute('datetime')).toBe(recorded.at);
    expect(await panel.locator('.lb-replay__recorded').textContent()).toBe('Replay of the run recorded 12 May 2026 · local · kernel 6.12.0 · bash 5.2.37 · iproute2 6.15.0');

    // Closing gives the page's own text back, unchanged.
    await figure.locator('.lb-replay-open').click();
    expect(await panel.isVisible()).toBe(false);
    expect(await figure.locator('pre.lb-body:not(.rp-body)').textContent()).toBe(pageText);
    await context.close();
  });

  it('pauses where it is, while a command runs or between two, and resumes from there; the speed chosen last is kept', async () => {
    const recorded = record.blocks.find((b) => b.id === 'make-veth')!;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.url(FIXTURE_STEP));
    // In the page, so the pauses come at once: the first while command 0 "runs" (typed, its
    // output not due yet), the second in the wait after its output, before command 1 starts.
    await page.evaluate(() => {
      const log: { step: number; event: string; t: number }[] = [];
      (window as unknown as { replayLog: typeof log }).replayLog = log;
      const panel = document.querySelector<HTMLElement>('#block-make-veth-replay')!;
      const button = panel.querySelector<HTMLButtonElement>('.lb-replay-pause')!;
      const stepOf = (el: Element) => [...panel.querySelectorAll('.rp-step')].indexOf(el);
      for (const type of ['replay:start', 'replay:typed', 'replay:output']) {
        panel.addEventListener(type, (e) => {
          const step = stepOf(e.target as Element);
          log.push({ step, event: type, t: performance.now() });
          if (step === 0 && type !== 'replay:start') button.click();
        });
      }
      document.addEventListener('click', (e) => {
        if (e.target === button) log.push({ step: -1, event: panel.dataset.state!, t: performance.now() });
      });
    });
    const figure = page.locator('#block-make-veth');
    await figure.locator('.lb-replay-open').click();
    await figure.locator('.lb-replay-speed').selectOption('8');
    const panel = figure.locator('.lb-replay');
    const button = panel.locator('.lb-replay-pause');
    const log = () => page.evaluate(() => (window as unknown as { replayLog: { step: number; event: string; t: number }[] }).replayLog);

    // Paused while command 0 runs: long after its output was due, it has not come.
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#block-make-veth-replay')!.dataset.state === 'paused');
    expect(await button.textContent()).toBe('Resume');
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(8 * (recorded.commands[0]!.durationMs / 8));
    expect((await log()).map((e) => `${e.step} ${e.event}`)).toEqual(['0 replay:start', '0 replay:typed', '-1 paused']);
    expect(await panel.locator('.rp-step').first().getAttribute('class')).toContain('is-paused');
    await button.click();
    // Paused again in the wait after command 0's output: command 1 does not start.
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#block-make-veth-replay')!.dataset.state === 'paused' && document.querySelector('#block-make-veth-replay .rp-step.is-playing') === null);
    await page.waitForTimeout(8 * (NEXT_COMMAND_MS / 8));
    expect((await log()).map((e) => `${e.step} ${e.event}`)).toEqual(['0 replay:start', '0 replay:typed', '-1 paused', '-1 playing', '0 replay:output', '-1 paused']);
    await button.click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#block-make-veth-replay')!.dataset.state === 'done');
    expect(await button.isDisabled()).toBe(true);

    const events = await log();
    expect(events.map((e) => `${e.step} ${e.event}`)).toEqual([
      '0 replay:start', '0 replay:typed', '-1 paused', '-1 playing', '0 replay:output', '-1 paused', '-1 playing',
      ...recorded.commands.slice(1).flatMap((_, i) => [`${i + 1} replay:start`, `${i + 1} replay:typed`, `${i + 1} replay:output`]),
    ]);
    const at = (k: number) => events[k]!.t;
    // The clock stood still while paused: command 0's output came its recorded time after it
    // was typed plus the whole pause, and command 1 started the wait after it plus the second pause.
    expect(at(4) - at(1)).toBeGreaterThanOrEqual(recorded.commands[0]!.durationMs / 8 + (at(3) - at(2)) - 1);
    expect(at(7) - at(4)).toBeGreaterThanOrEqual(NEXT_COMMAND_MS / 8 + (at(6) - at(5)) - 1);

    // The speed chosen last is kept for the next replay, on this page or another.
    const next = await context.newPage();
    await next.goto(site.url(FIXTURE_STEP));
    await next.locator('#block-01-namespaces-1 .lb-replay-open').click();
    expect(await next.locator('#block-01-namespaces-1 .lb-replay-speed').inputValue()).toBe('8');
    await context.close();
  });

  it('shows a block’s recorded output, which can differ from the page’s expected text', async () => {
    // The flaky ping block elides lines on the page; the replay shows what its record holds.
    const recorded = record.blocks.find((b) => b.id === '01-namespaces-4')!;
    const page = await browser.newPage();
    await page.goto(site.url(FIXTURE_STEP));
    const figure = page.locator('#block-01-namespaces-4');
    await figure.locator('.lb-replay-open').click();
    await figure.locator('.lb-replay-speed').selectOption('8');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#block-01-namespaces-4-replay')!.dataset.state === 'done');
    expect(await figure.locator('.rp-out').allTextContents()).toEqual(recorded.commands.filter((c) => c.output).map((c) => `${c.output.replace(/\n+$/, '')}\n`));
    const shown = (await figure.locator('.rp-out').allTextContents()).join('');
    const pageText = (await figure.locator('pre.lb-body:not(.rp-body)').textContent())!;
    expect(shown).toContain('icmp_seq=2 ttl=64 time=0.044 ms');
    expect(pageText).not.toContain('icmp_seq=2');
    expect(pageText).toContain('0.049/0.055/0.061/0.006');
    expect(shown).not.toContain('0.049/0.055/0.061/0.006');
    // The note that the page shows only part of the output is about the page's text: it steps
    // aside while the whole recorded output shows, and comes back with the page's text.
    const note = figure.locator('.lb-notes li', { hasText: 'Only part of the output is shown' });
    expect(await note.count()).toBe(1);
    expect(await note.isVisible()).toBe(false);
    expect(await figure.locator('.lb-verdict').isVisible()).toBe(true);
    await figure.locator('.lb-replay-open').click();
    expect(await note.isVisible()).toBe(true);
    await page.close();
  });

  it('is usable from the keyboard and passes axe while open, in both themes', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme: theme });
      await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      const page = await context.newPage();
      await page.goto(site.url(FIXTURE_STEP));
      const open = page.locator('#block-make-veth .lb-replay-open');
      await open.focus();
      await page.keyboard.press('Enter');
      expect(await open.getAttribute('aria-expanded')).toBe('true');
      expect(await open.textContent()).toBe('Close replay');
      expect(await findSeriousViolations(page)).toEqual([]);
      await page.keyboard.press('Enter');
      expect(await open.getAttribute('aria-expanded')).toBe('false');
      expect(await page.locator('#block-make-veth-replay').isVisible()).toBe(false);
      await context.close();
    }
  });
});
