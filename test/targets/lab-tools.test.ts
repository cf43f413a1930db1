import { describe, expect, it } from 'vitest';
import { main, planLegs, renderPlan, shardList } from '../../scripts/lab-tools.ts';
import { planLabTools, toolsNeededBy, type ToolManifest } from '../../src/run/tools.ts';
import type { Lab } from '../../src/model/lab.ts';
import { ROOT } from './helpers.ts';

const sum = 'a'.repeat(64);
const manifest: ToolManifest = {
  platform: 'linux-amd64',
  tools: {
    kind: { version: 'v0.33.0', binary: 'kind', url: 'https://x/{version}/kind', sha256: sum },
    kubectl: { version: 'v1.37.1', binary: 'kubectl', url: 'https://x/{version}/kubectl', sha256: sum },
    linkerd: { version: 'edge-26.9.3', binary: 'linkerd', url: 'https://x/{version}/linkerd', checksumRelease: 'linkerd/linkerd2' },
  },
};
const lab = (id: string, target: 'kind' | 'local', tools?: Record<string, string>) => ({ id, dir: `/p/content/labs/${id}`, config: { title: id, target, tools } }) as unknown as Lab;

describe('the tools the labs need', () => {
  it('are kind and kubectl for every kind lab, plus what lab.yaml pins, docker aside', () => {
    expect(toolsNeededBy(lab('a', 'kind'))).toEqual(['kind', 'kubectl']);
    expect(toolsNeededBy(lab('a', 'kind', { helm: 'v4.3.0', docker: '29' }))).toEqual(['helm', 'kind', 'kubectl']);
    expect(toolsNeededBy(lab('a', 'local'))).toEqual([]);
  });

  it('hold back, with a reason per tool, a lab whose tool has no sum, is missing from tools.json, or is pinned differently', () => {
    const plan = planLabTools(
      [lab('zeta', 'kind', { kind: 'v0.33.0' }), lab('mesh', 'kind', { linkerd: 'edge-26.9.3', helm: 'v4.3.0' }), lab('old', 'kind', { kubectl: 'v1.36.0' })],
      manifest,
    );
    expect(plan.tools).toEqual(['helm', 'kind', 'kubectl', 'linkerd']);
    expect(plan.runnable.map((l) => l.id)).toEqual(['zeta']);
    expect(plan.held).toEqual([
      { id: 'mesh', dir: '/p/content/labs/mesh', reasons: ['helm is not in tools.json', 'linkerd edge-26.9.3 has no pinned sha256 in tools.json'] },
      { id: 'old', dir: '/p/content/labs/old', reasons: ['lab.yaml pins kubectl v1.36.0, but tools.json has v1.37.1'] },
    ]);
    const md = renderPlan(plan, shardList(plan.runnable.length, 2), '/p');
    expect(md).toContain('Verified tonight: zeta (1 shard).');
    expect(md).toContain('Tools that cannot be installed: helm is not in tools.json; linkerd edge-26.9.3 has no pinned sha256 in tools.json; lab.yaml pins kubectl v1.36.0, but tools.json has v1.37.1.');
    expect(md).toContain('- mesh (content/labs/mesh): helm is not in tools.json; linkerd edge-26.9.3 has no pinned sha256 in tools.json');
    expect(md).toContain('To pin the missing sums, run the `tools` workflow');
  });

  it('are dealt over at most as many shards as there are runnable labs', () => {
    expect(shardList(0, 2)).toEqual([]);
    expect(shardList(1, 2)).toEqual([1]);
    expect(shardList(5, 2)).toEqual([1, 2]);
  });

  it('for this project: the kind lab pins five tools and waits for the cilium-cli and linkerd sums', async () => {
    const out: string[] = [];
    expect(await main([], { cwd: ROOT, out: (s) => out.push(s), err: () => {} })).toBe(0);
    expect(out).toEqual(['cilium-cli helm kind kubectl linkerd']);
    const plan: string[] = [];
    expect(await main(['--plan', '--shards', '2'], { cwd: ROOT, out: (s) => plan.push(s), err: () => {} })).toBe(0);
    expect(plan.join('\n')).toContain('- k8s-networking-101 (content/labs/k8s-networking-101): cilium-cli v0.19.7 has no pinned sha256 in tools.json; linkerd edge-26.9.3 has no pinned sha256 in tools.json');
  });

  it('plan the verify jobs: pinned and newest over every runnable lab, then one leg per ready Kubernetes release over the labs that list it', () => {
    const runnable = [{ id: 'a', dir: '/p/content/labs/a' }, { id: 'b', dir: '/p/content/labs/b' }, { id: 'c', dir: '/p/content/labs/c' }];
    const img = (v: string) => `kindest/node:v${v}.1@sha256:${'c'.repeat(64)}`;
    const matrix = [
      { lab: 'a', entries: [{ kubernetes: '1.35', image: img('1.35'), record: 'a@1.35' }, { kubernetes: '1.36', image: img('1.36'), record: 'a@1.36' }] },
      { lab: 'b', entries: [{ kubernetes: '1.36', image: img('1.36'), record: 'b@1.36' }, { kubernetes: '1.34', record: 'b@1.34', held: 'no node image' }] },
      // Held back for its tools: its ready entry adds no leg.
      { lab: 'held', entries: [{ kubernetes: '1.33', image: img('1.33'), record: 'held@1.33' }] },
    ];
    const legs = planLegs(runnable, matrix, 2, '/p');
    expect(legs.map((l) => `${l.leg}/${l.shard} of ${l.shards} [${l.tools} ${l.k8s || '-'}]: ${l.labs}`)).toEqual([
      'pinned/1 of 2 [pinned -]: content/labs/a content/labs/b content/labs/c',
      'pinned/2 of 2 [pinned -]: content/labs/a content/labs/b content/labs/c',
      'newest/1 of 2 [newest -]: content/labs/a content/labs/b content/labs/c',
      'newest/2 of 2 [newest -]: content/labs/a content/labs/b content/labs/c',
      'k8s-1.36/1 of 2 [pinned 1.36]: content/labs/a content/labs/b',
      'k8s-1.36/2 of 2 [pinned 1.36]: content/labs/a content/labs/b',
      'k8s-1.35/1 of 1 [pinned 1.35]: content/labs/a',
    ]);
    expect(planLegs([], matrix, 2, '/p')).toEqual([]);
    // Release order is numeric, not by text: 1.100 comes before 1.99.
    const wide = [{ lab: 'a', entries: [{ kubernetes: '1.99', image: img('1.99'), record: 'x' }, { kubernetes: '1.100', image: img('1.100'), record: 'y' }] }];
    expect(planLegs([runnable[0]!], wide, 1, '/p').map((l) => l.leg)).toEqual(['pinned', 'newest', 'k8s-1.100', 'k8s-1.99']);
  });

  it('--github without GITHUB_OUTPUT is refused rather than printing nowhere', async () => {
    const err: string[] = [];
    expect(await main(['--github'], { cwd: ROOT, env: {}, out: () => {}, err: (s) => err.push(s) })).toBe(2);
    expect(err).toEqual(['lab-tools: --github needs GITHUB_OUTPUT (set by GitHub Actions)']);
  });
});
