import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalTarget, type LocalTarget } from '../../src/run/targets/local.ts';
import { createNamespace, deleteNamespace, namespaceExists, specFor } from './helpers.ts';

const T = { timeoutMs: 10_000 };
const canUseNamespaces = process.geteuid?.() === 0;
let dir: string;
let ns: string | undefined;
let target: LocalTarget;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'lt-ns-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  target = createLocalTarget();
  if (canUseNamespaces) ns = createNamespace();
});
afterEach(async () => {
  await target.dispose();
  deleteNamespace(ns);
  if (ns) expect(namespaceExists(ns)).toBe(false);
  ns = undefined;
});

/** Interface names from `ip -o link` (one line per link). */
function linkNames(output: string): string[] {
  return output
    .trim()
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0] ?? '');
}

describe.skipIf(!canUseNamespaces)('sessions inside a network namespace', () => {
  it('a session whose command is `ip netns exec NS bash` sees only lo', async () => {
    const session = await target.openSession(specFor('n1', dir, { command: `ip netns exec ${ns} bash` }));
    const links = await session.run('ip -o link', T);
    expect(links.exitCode).toBe(0);
    expect(linkNames(links.output)).toEqual(['lo']);
    const host = await target.openSession(specFor('host', dir));
    expect(linkNames((await host.run('ip -o link', T)).output).length).toBeGreaterThan(0);
    // State carries over inside the namespace too.
    await session.run('ip link set lo up; cd /tmp', T);
    expect((await session.run('ping -c1 -W2 127.0.0.1 >/dev/null && echo reachable; pwd', T)).output).toBe('reachable\n/tmp\n');
  });

  it('an interactive `ip netns exec NS busybox sh` opened from the host shows only lo', async () => {
    const host = await target.openSession(specFor('host', dir));
    const { session, outcome } = await target.openInteractive(host, `PS1='/ # ' ip netns exec ${ns} busybox sh -i`, specFor('pod-a', dir, { prompt: '/ # ' }), T);
    expect(outcome.closed).toBe(false);
    const addr = await session.run('ip addr', T);
    expect(addr.exitCode).toBe(0);
    expect(addr.output).toMatch(/^1: lo: /);
    expect(addr.output).not.toMatch(/^2: /m);
    expect((await session.run('exit', T)).closed).toBe(true);
  });

  it('an interactive program opened from a namespace session runs in that namespace', async () => {
    const inside = await target.openSession(specFor('n1', dir, { command: `ip netns exec ${ns} bash` }));
    expect((await inside.run('ip link add lt-v0 type veth peer name lt-v1', T)).exitCode).toBe(0);
    const { session } = await target.openInteractive(inside, "PS1='# ' busybox sh -i", specFor('shell', dir, { prompt: '# ' }), T);
    expect(linkNames((await session.run('ip -o link', T)).output).sort()).toEqual(['lo', 'lt-v0', 'lt-v1']);
  });
});
