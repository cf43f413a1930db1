/**
 * The networking-from-scratch lab, run for real on this machine (root, network namespaces):
 * it passes, a drifted copy fails with a readable diff, and neither run leaves anything behind.
 */
import { execa } from 'execa';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const LAB = join(ROOT, 'content/labs/networking-from-scratch');
const isRoot = process.getuid?.() === 0;

/** What the lab could leave behind on the host: namespaces, links, rules, processes, files. */
async function snapshotHost() {
  const sh = async (cmd: string) => (await execa('sh', ['-c', cmd], { reject: false })).stdout;
  const processes = (await sh('ps -eo args=')).split('\n').filter((l) => /dnsmasq|httpd|kfs-/.test(l) && !/ps -eo/.test(l));
  return {
    netns: await sh('ip netns list'),
    links: await sh("ip -o link show | sed 's/^[0-9]*: //'"),
    nat: await sh("iptables-save -t nat | grep -v '^#'"),
    filter: await sh("iptables-save -t filter | grep -v '^#'"),
    processes,
    files: ['/etc/netns', '/tmp/kfs-lab', '/tmp/kfs-lab.run'].filter((p) => existsSync(p)),
  };
}

function labs(args: string[], cwd = ROOT) {
  return execa(process.execPath, [join(ROOT, 'bin/labs.js'), ...args], { cwd, reject: false, all: true, env: { NO_COLOR: '1' } });
}

describe.runIf(isRoot)('networking-from-scratch on this machine', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labs-nfs-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes every block and leaves no namespace, link, rule, process or file behind', async () => {
    const before = await snapshotHost();
    const r = await labs(['verify', LAB, '--no-record', '--report', `json=${join(dir, 'report.json')}`]);
    // On a failure, the message is what the run said about every block that did not pass.
    const notPassed = r.all
      .split('\n')
      .filter((l) => !/^\s*✓ /.test(l))
      .slice(-120)
      .join('\n');
    expect(r.all).toMatch(/passed/);
    expect(r.exitCode, `labs verify exited ${r.exitCode}; what it printed, passing blocks left out:\n${notPassed}`).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ failed: 0, errors: 0, blocked: 0 });
    expect(report.summary.passed + report.summary.flaky).toBeGreaterThan(100);
    expect(await snapshotHost()).toEqual(before);
  });

  it('a drifted copy of a step exits 1 with a diff naming the file and line, and cleans up', async () => {
    const copy = join(dir, 'networking-from-scratch');
    await cp(LAB, copy, { recursive: true });
    const step = join(copy, '01-a-pod-is-a-namespace.mdx');
    const source = await readFile(step, 'utf8');
    const command = 'root@host:~# ip netns exec kfs-pod busybox wget -qO- http://127.0.0.1:8080/\nhello from inside kfs-pod\n';
    const at = source.indexOf(command);
    expect(at).toBeGreaterThan(0);
    await writeFile(step, source.slice(0, at) + command.replace('hello from inside', 'greetings from inside') + source.slice(at + command.length));
    const line = source.slice(0, at).split('\n').length + 1; // the expected-output line
    const before = await snapshotHost();
    const r = await labs(['verify', step, '--no-record'], dir);
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain(`01-a-pod-is-a-namespace.mdx:${line}`);
    expect(r.all).toMatch(/^\s*- .*greetings from inside kfs-pod/m);
    expect(r.all).toMatch(/^\s*\+ .*hello from inside kfs-pod/m);
    expect(await snapshotHost()).toEqual(before);
    expect((await readdir(copy)).sort()).toEqual((await readdir(LAB)).sort());
  });
});

it.skipIf(isRoot)('networking-from-scratch needs root: labs verify refuses with exit 2 and says so', async () => {
  const r = await labs(['verify', LAB, '--no-record']);
  expect(r.exitCode).toBe(2);
  expect(r.all).toMatch(/requires root/);
});
