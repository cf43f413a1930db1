import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { spawn } from 'node:child_process';
import { findTaggedProcesses, SESSION_TAG_VAR } from '../../src/run/process-group.ts';
import type { PipeSession } from '../../src/run/session.ts';
import { checkRequirements, createLocalTarget, findOnPath } from '../../src/run/targets/local.ts';
import { eventually, processesWithArg, specFor, uniqueMarker } from './helpers.ts';

const DAEMONIZE = resolve(import.meta.dirname, '../fixtures/run/daemon/daemonize.sh');
const T = { timeoutMs: 10_000 };
let dir: string;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-target-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('local target', () => {
  it('opens named sessions and tracks them', async () => {
    const target = createLocalTarget();
    onTestFinished(() => target.dispose());
    const a = await target.openSession(specFor('a', dir));
    const b = await target.openSession(specFor('b', dir));
    expect(target.name).toBe('local');
    expect(target.sessions.map((s) => s.name)).toEqual(['a', 'b']);
    await a.close();
    expect(target.sessions.map((s) => s.name)).toEqual(['b']);
    expect(b.alive).toBe(true);
    await target.dispose();
    expect(b.alive).toBe(false);
  });

  it('dispose() leaves no process behind: shells, jobs, backgrounds, pseudo-terminals, daemons', async () => {
    const target = createLocalTarget();
    onTestFinished(() => target.dispose());
    const marker = uniqueMarker();
    const host = await target.openSession(specFor('host', dir));
    const other = await target.openSession(specFor('other', dir));
    await host.run(`sleep ${marker} &`, T);
    await host.run(`${DAEMONIZE} ${marker}`, T);
    await other.startBackground(`sleep ${marker}`);
    const { session: pty } = await target.openInteractive(host, "PS1='/ # ' busybox sh -i", specFor('client', dir, { prompt: '/ # ' }), T);
    await pty.run(`sleep ${marker} &`, T);
    await pty.startBackground(`sleep ${marker}`);
    // Jobs exec `sleep` a moment after they are forked.
    expect(await eventually(() => processesWithArg(marker).length, (n) => n === 5)).toBe(5);
    expect(findTaggedProcesses(target.tag, { prefix: true }).length).toBeGreaterThan(5);

    await target.dispose();
    expect(processesWithArg(marker)).toEqual([]);
    expect(findTaggedProcesses(target.tag, { prefix: true })).toEqual([]);
    expect([host.alive, other.alive, pty.alive]).toEqual([false, false, false]);
    await target.dispose(); // idempotent
  });

  it('a session whose shell left nothing behind closes clean; one that left a daemon does not, and the daemon goes', async () => {
    const target = createLocalTarget();
    onTestFinished(() => target.dispose());
    const marker = uniqueMarker();
    const plain = await target.openSession(specFor('plain', dir));
    await plain.run('echo hi', T);
    await plain.close();
    expect((plain as PipeSession).closedClean).toBe(true);
    const left = await target.openSession(specFor('left', dir));
    await left.run(`${DAEMONIZE} ${marker}`, T);
    expect(await eventually(() => processesWithArg(marker).length, (n) => n === 1)).toBe(1);
    await left.close();
    expect((left as PipeSession).closedClean).toBe(false);
    expect(await eventually(() => processesWithArg(marker), (p) => p.length === 0)).toEqual([]);
  });

  it('dispose() looks for strays again unless every session closed clean', async () => {
    // A process carrying a session's tag that starts after the session closed (here started
    // by the test, standing in for one a dying process forked) is found only by that look.
    const strayOf = (target: ReturnType<typeof createLocalTarget>, marker: string) => {
      const child = spawn('sleep', [marker], { env: { ...process.env, [SESSION_TAG_VAR]: `${target.tag}.1` }, detached: true, stdio: 'ignore' });
      child.unref();
      return child;
    };
    const unclean = createLocalTarget();
    onTestFinished(() => unclean.dispose());
    const marker = uniqueMarker();
    const s = await unclean.openSession(specFor('host', dir));
    await s.run(`${DAEMONIZE} ${uniqueMarker()}`, T);
    await s.close();
    expect((s as PipeSession).closedClean).toBe(false);
    const stray = strayOf(unclean, marker);
    onTestFinished(() => void stray.kill('SIGKILL'));
    expect(await eventually(() => processesWithArg(marker).length, (n) => n === 1)).toBe(1);
    await unclean.dispose();
    expect(await eventually(() => processesWithArg(marker), (p) => p.length === 0)).toEqual([]);

    // With an open session, dispose looks too.
    const open = createLocalTarget();
    onTestFinished(() => open.dispose());
    await open.openSession(specFor('host', dir));
    const other = uniqueMarker();
    const child = strayOf(open, other);
    onTestFinished(() => void child.kill('SIGKILL'));
    expect(await eventually(() => processesWithArg(other).length, (n) => n === 1)).toBe(1);
    await open.dispose();
    expect(await eventually(() => processesWithArg(other), (p) => p.length === 0)).toEqual([]);
  });

  it('refuses to open an interactive program from a session of another target', async () => {
    const one = createLocalTarget();
    const two = createLocalTarget();
    onTestFinished(() => Promise.all([one.dispose(), two.dispose()]).then(() => undefined));
    const foreign = await one.openSession(specFor('host', dir));
    await expect(two.openInteractive(foreign, 'busybox sh', specFor('x', dir, { prompt: '/ # ' }), T)).rejects.toThrow(/not opened by this local target/);
    await one.dispose();
    await two.dispose();
  });
});

describe('checkRequirements', () => {
  it('accepts commands on PATH and root when running as root', () => {
    const wanted = ['bash', 'sh', ...(process.geteuid?.() === 0 ? ['root'] : [])];
    expect(checkRequirements(wanted)).toEqual({ missing: [] });
  });

  it('names each missing command, and makes up no package name for a command it does not know', () => {
    const { missing } = checkRequirements(['no-such-tool-lt', 'bash']);
    expect(missing).toEqual([{ name: 'no-such-tool-lt', hint: expect.stringContaining('apt-file search bin/no-such-tool-lt') }]);
    expect(missing[0]!.hint).not.toContain('apt-get install no-such-tool-lt');
  });

  it('knows the packages of common lab tools', () => {
    const saved = process.env.PATH;
    try {
      // An empty PATH (plus the sbin directories) hides most tools; compare hints, not the machine.
      process.env.PATH = '/nonexistent-lt';
      const hints = Object.fromEntries(
        checkRequirements(['dnsmasq', 'busybox', 'ping', 'curl']).missing.map((m) => [m.name, m.hint]),
      );
      expect(hints.busybox).toContain('busybox-static');
      expect(hints.ping).toContain('iputils-ping');
      expect(hints.curl).toContain('curl');
      if (hints.dnsmasq) expect(hints.dnsmasq).toContain('dnsmasq-base');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('reports root as missing for a non-root user', () => {
    const geteuid = process.geteuid;
    try {
      process.geteuid = () => 1000;
      expect(checkRequirements(['root']).missing).toEqual([{ name: 'root', hint: expect.stringContaining('root') }]);
    } finally {
      process.geteuid = geteuid;
    }
  });

  it('finds executables by name or path', () => {
    expect(findOnPath('bash')).toMatch(/\/bash$/);
    expect(findOnPath('/bin/sh')).toBe('/bin/sh');
    expect(findOnPath('/etc/passwd')).toBeUndefined();
  });
});
