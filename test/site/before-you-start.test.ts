import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { beforeYouStart, kindNetworkCommands, kindNetworkPrefixes, kindNetworkSteps, READING_MS_PER_BLOCK } from '../../src/site/before-you-start.ts';
import { loadSite, type SiteContent, type SiteLab } from '../../src/site/load-site.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
let site: SiteContent;
const lab = (id: string): SiteLab => site.labs.find((l) => l.id === id)!;

beforeAll(async () => {
  site = await loadSite([REPO]);
});

describe('beforeYouStart', () => {
  it('lists the Debian packages of a local lab’s requires, and root apart', () => {
    const b = beforeYouStart(lab('networking-from-scratch'));
    expect(b.packages?.command).toBe('sudo apt-get install iproute2 iptables busybox-static dnsmasq-base iputils-ping');
    expect(b.notes.join(' ')).toMatch(/^Root:/);
    expect(b.systems.join(' ')).toMatch(/Linux only/);
  });

  it('claims Linux and namespaces only for a local lab whose requires change the network', () => {
    const l = lab('networking-from-scratch');
    const plain = beforeYouStart({ ...l, config: { ...l.config, requires: ['curl'] } });
    expect(plain.systems.join(' ')).not.toMatch(/Linux only|namespaces/);
    expect(plain.notes.join(' ')).not.toMatch(/Root/);
    for (const r of ['root', 'ip', 'iptables', 'nft']) {
      expect(beforeYouStart({ ...l, config: { ...l.config, requires: [r] } }).systems.join(' ')).toMatch(/Linux only/);
    }
  });

  it('names every terminal, the default one as your machine', () => {
    const b = beforeYouStart(lab('networking-from-scratch'));
    expect(b.terminals.map((t) => t.label)).toEqual(['your machine', 'node1', 'node2', 'client', 'laptop']);
  });

  it('takes step times from the recorded durations plus a reading allowance', () => {
    const l = lab('networking-from-scratch');
    const b = beforeYouStart(l);
    const step = l.steps[0]!;
    const blocks = step.blocks.filter((x) => x.kind === 'command');
    const ran = blocks.reduce((a, x) => a + l.record!.blocks.find((r) => r.id === x.id)!.durationMs, 0);
    expect(b.times[0]).toEqual({ step: 1, title: step.title, recordedMs: ran, minutes: Math.max(1, Math.ceil((ran + blocks.length * READING_MS_PER_BLOCK) / 60_000)) });
    expect(b.totalMinutes).toBe(b.times.reduce((a, t) => a + t.minutes!, 0));
  });

  it('gives no time for a lab without a recorded run rather than guessing', () => {
    const l = { ...lab('networking-from-scratch') };
    delete l.record;
    const b = beforeYouStart(l);
    expect(b.times.every((t) => t.minutes === undefined)).toBe(true);
    expect(b.totalMinutes).toBeUndefined();
  });

  it('says which kind steps reach the kind network from the host (not on Docker Desktop)', () => {
    const steps = kindNetworkSteps(lab('k8s-networking-101'));
    expect(steps.map((s) => s.step)).toEqual(expect.arrayContaining([4, 5]));
    expect(steps.find((s) => s.step === 5)!.commands).toContain('curl -s 172.18.255.200/web/');
    expect(kindNetworkSteps(lab('networking-from-scratch'))).toEqual([]);
  });
});

describe('kindNetworkCommands', () => {
  const prefixes = kindNetworkPrefixes({ target: 'kind', bindings: { '172.18.255.200': 'docker network inspect kind …' } });
  it('finds host commands on the kind network, and nothing in other sessions or labs', async () => {
    const { commandBlock, fence } = await import('./helpers.ts');
    expect(kindNetworkCommands(commandBlock(fence('console', '', '$ curl -s 172.18.255.201\nok\n$ curl -s 10.96.0.10')), prefixes)).toEqual(['curl -s 172.18.255.201']);
    expect(kindNetworkCommands(commandBlock(fence('console', 'session=node', '# curl -s 172.18.255.201'), { node: { prompt: '# ' } }), prefixes)).toEqual([]);
    expect(kindNetworkPrefixes({ target: 'local', bindings: { '172.18.0.2': 'x' } }).size).toBe(0);
  });
});
