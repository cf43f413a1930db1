import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTaggedProcesses, isProcessAlive } from '../../src/run/process-group.ts';
import { labs, liveProject, readJson } from './helpers.ts';

interface State {
  pid: number;
  socket: string;
  workDir: string;
}

const stateOf = (locks: string) => readJson<State>(join(locks, 'live-lab.live', 'state.json'));
const lockOf = (locks: string) => readJson<{ pid: number; tags: string[]; live?: string }>(join(locks, 'live-lab.lock'));

describe('labs verify --keep, labs run, labs stop', () => {
  it('keeps the sessions up, runs single blocks in them, and stop leaves nothing behind', async () => {
    const p = await liveProject();
    const kept = await labs(p, ['verify', '--keep', 'live-lab']);
    expect(kept.exitCode, kept.all).toBe(0);
    expect(kept.all).toContain('4 passed');
    expect(kept.all).toContain('kept: the sessions of live-lab stay up');

    const state = stateOf(p.locks);
    const lock = lockOf(p.locks);
    expect(lock.pid).toBe(state.pid);
    expect(lock.live).toBe(join(p.locks, 'live-lab.live'));
    expect(isProcessAlive(state.pid)).toBe(true);
    expect(existsSync(state.socket)).toBe(true);
    expect(existsSync(state.workDir)).toBe(true);
    // The background job of step 2 is still running, in the daemon's tagged processes.
    expect(findTaggedProcesses(lock.tags[0]!, { prefix: true }).some((pr) => pr.comm === 'sleep')).toBe(true);
    const record = readFileSync(join(p.dir, 'verification/live-lab.json'), 'utf8');

    // use-var only passes with COUNTER still set in the kept host shell.
    const one = await labs(p, ['run', 'use-var']);
    expect(one.exitCode, one.all).toBe(0);
    expect(one.all).toContain('in the live state of live-lab');
    expect(one.all).toMatch(/✓ use-var .*01-state\.mdx:12/);
    expect(one.all).toContain('1 passed');

    // An edit that no longer matches drifts, with the same diff verify prints.
    const step = join(p.lab, '01-state.mdx');
    writeFileSync(step, readFileSync(step, 'utf8').replace('counter is 42', 'counter is 43'));
    const drift = await labs(p, ['run', 'live-lab/01-state.mdx:14']);
    expect(drift.exitCode, drift.all).toBe(1);
    expect(drift.all).toMatch(/✗ use-var/);
    expect(drift.all).toContain('counter is 43');
    expect(drift.all).toContain('counter is 42');
    // labs run never writes the record.
    expect(readFileSync(join(p.dir, 'verification/live-lab.json'), 'utf8')).toBe(record);

    // A full verify cannot run over live state; it says how to end it.
    const busy = await labs(p, ['verify', 'live-lab']);
    expect(busy.exitCode).toBe(2);
    expect(busy.all).toContain('has live state kept by `labs verify --keep`');
    expect(busy.all).toContain('labs stop live-lab');

    const stop = await labs(p, ['stop', 'live-lab']);
    expect(stop.exitCode, stop.all).toBe(0);
    expect(stop.all).toContain('stopped the live state of live-lab');
    expect(isProcessAlive(state.pid)).toBe(false);
    expect(existsSync(state.socket)).toBe(false);
    expect(existsSync(join(p.locks, 'live-lab.live'))).toBe(false);
    expect(existsSync(join(p.locks, 'live-lab.lock'))).toBe(false);
    expect(existsSync(state.workDir)).toBe(false);
    expect(findTaggedProcesses(lock.tags[0]!, { prefix: true })).toEqual([]);
    expect(existsSync(join(p.markers, 'teardown-ran'))).toBe(true);
    expect(existsSync(join(p.markers, 'state'))).toBe(false);

    // Idempotent.
    const again = await labs(p, ['stop', 'live-lab']);
    expect(again.exitCode).toBe(0);
    expect(again.all).toContain('no live state for live-lab: nothing to stop');
  });

  it('a daemon that died is cleaned up by the next run: teardown, processes, state folder', async () => {
    const p = await liveProject();
    expect((await labs(p, ['verify', '--keep', 'live-lab'])).exitCode).toBe(0);
    const state = stateOf(p.locks);
    const lock = lockOf(p.locks);
    process.kill(state.pid, 'SIGKILL');
    for (let i = 0; i < 100 && isProcessAlive(state.pid); i++) await new Promise((r) => setTimeout(r, 20));

    const full = await labs(p, ['verify', 'live-lab']);
    expect(full.exitCode, full.all).toBe(0);
    expect(full.all).toContain('died without cleaning up');
    expect(existsSync(join(p.locks, 'live-lab.live'))).toBe(false);
    expect(existsSync(state.workDir)).toBe(false);
    expect(findTaggedProcesses(lock.tags[0]!, { prefix: true })).toEqual([]);
  });

  it('without live state, runs the block from scratch after the blocks before it, records nothing, cleans up', async () => {
    const p = await liveProject();
    const r = await labs(p, ['run', 'use-var']);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toContain('no live state for live-lab: running use-var');
    expect(r.all).toContain('running the 1 block of this step before use-var first, not shown');
    expect(r.all).toContain('1 passed');
    expect(r.all).not.toContain('set-var');
    expect(existsSync(join(p.dir, 'verification'))).toBe(false);
    expect(existsSync(join(p.locks, 'live-lab.lock'))).toBe(false);
    expect(existsSync(join(p.markers, 'teardown-ran'))).toBe(true);
    expect(existsSync(join(p.markers, 'state'))).toBe(false);
  });

  it('names an unknown block, the ids close to it and a line outside any block', async () => {
    const p = await liveProject();
    const unknown = await labs(p, ['run', 'use-vra']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.all).toContain('no block with id "use-vra"');
    expect(unknown.all).toContain('did you mean "use-var"?');
    const line = await labs(p, ['run', 'live-lab/01-state.mdx:3']);
    expect(line.exitCode).toBe(2);
    expect(line.all).toContain('01-state.mdx:3 is not inside a block');
    expect(line.all).toContain('its blocks start at lines 7, 12');
    const backwards = await labs(p, ['run', '--from', 'use-var', '--to', 'set-var']);
    expect(backwards.exitCode).toBe(2);
    expect(backwards.all).toContain('comes before');
  });
});

describe('interrupting labs verify --keep', () => {
  it('Ctrl-C stops the run and the daemon cleans up everything it made (exit 130)', async () => {
    const { labsBackground } = await import('./helpers.ts');
    const p = await liveProject('slow-lab');
    const child = labsBackground(p, ['verify', '--keep', 'slow-lab']);
    let text = '';
    child.all!.on('data', (d: Buffer) => (text += d.toString()));
    for (let i = 0; i < 600 && !text.includes('✓ quick'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(text).toContain('✓ quick');
    const { pid } = readJson<State>(join(p.locks, 'slow-lab.live', 'state.json'));
    child.kill('SIGINT');
    const done = await child;
    expect(done.exitCode, done.all).toBe(130);
    for (let i = 0; i < 100 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(join(p.locks, 'slow-lab.live'))).toBe(false);
    expect(existsSync(join(p.locks, 'slow-lab.lock'))).toBe(false);
    expect(existsSync(join(p.markers, 'teardown-ran'))).toBe(true);
  });
});

describe('labs stop while a block runs in live state', () => {
  it('stops the running block instead of waiting for it, then cleans up', async () => {
    const { labsBackground } = await import('./helpers.ts');
    const { rmSync, writeFileSync: touch } = await import('node:fs');
    const p = await liveProject('slow-lab');
    touch(join(p.markers, 'quick'), '');
    expect((await labs(p, ['verify', '--keep', 'slow-lab'])).exitCode).toBe(0);
    const { pid } = readJson<State>(join(p.locks, 'slow-lab.live', 'state.json'));
    rmSync(join(p.markers, 'quick'));
    const run = labsBackground(p, ['run', 'long']);
    let text = '';
    run.all!.on('data', (d: Buffer) => (text += d.toString()));
    for (let i = 0; i < 600 && !text.includes('in the live state'); i++) await new Promise((r) => setTimeout(r, 50));
    const stop = await labs(p, ['stop', 'slow-lab']);
    expect(stop.exitCode, stop.all).toBe(0);
    expect(stop.all).toContain('stopped the live state of slow-lab');
    const ran = await run;
    expect(ran.all).toContain('interrupted');
    expect(ran.all).not.toContain('1 passed');
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(join(p.locks, 'slow-lab.live'))).toBe(false);
  });
});
