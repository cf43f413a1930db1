/**
 * The kind lab cannot run here, so these tests hold its reviewed blocks against outputs the
 * pinned tools print (written from their source and from real captures), and against wrong
 * outputs that must still fail. They compare through the runner's own matcher, with the lab's
 * pins, exactly as `labs verify` would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadLab } from '../../src/parse/load-lab.ts';
import { matchOutput } from '../../src/match/compare.ts';
import { Bindings } from '../../src/normalise/bindings.ts';
import { buildClasses } from '../../src/normalise/classes.ts';
import type { Lab } from '../../src/model/lab.ts';
import type { Command, CommandBlock } from '../../src/model/block.ts';
import type { NormaliseContext } from '../../src/normalise/tokenize.ts';
import { ROOT } from './helpers.ts';

let lab: Lab;
let ctx: NormaliseContext;

beforeAll(async () => {
  const loaded = await loadLab(join(ROOT, 'content/labs/k8s-networking-101'), { cwd: ROOT });
  expect(loaded.problems).toEqual([]);
  lab = loaded.lab!;
  ctx = { classes: buildClasses(lab.config.volatile), pins: new Set(lab.config.pin ?? []) };
});

/** The block (and its command) in step `step` whose command starts with `text`; exactly one must exist. */
function find(step: string, text: string, nth = 0): { block: CommandBlock; command: Command } {
  const hits = lab.steps
    .filter((s) => s.slug.startsWith(step))
    .flatMap((s) => s.blocks)
    .filter((b): b is CommandBlock => b.kind === 'command')
    .flatMap((block) => block.commands.filter((c) => c.text.startsWith(text)).map((command) => ({ block, command })));
  expect(hits.length, `${step}: ${text}`).toBeGreaterThan(nth);
  return hits[nth]!;
}

function matches(step: string, text: string, actual: string, nth = 0): boolean {
  const { block, command } = find(step, text, nth);
  const mode = block.options.output ?? 'exact';
  return matchOutput({ expected: command.expected, actual: actual.split('\n'), mode, bindings: new Bindings(), ctx }).ok;
}

describe('k8s-networking-101 blocks against what the pinned tools print', () => {
  it('rollout status of a new Deployment: any number of Waiting lines, then the success line', () => {
    for (const [step, name, nth] of [['02', 'website', 0], ['03', 'website', 0], ['04', 'website', 0], ['06', 'meshweb', 0], ['06', 'meshweb', 1]] as const) {
      const cmd = `kubectl rollout status deployment ${name}`;
      expect(matches(step, cmd, `deployment "${name}" successfully rolled out`, nth), `${step} ${name}`).toBe(true);
      const waiting = [
        `Waiting for deployment "${name}" rollout to finish: 0 of 3 updated replicas are available...`,
        `Waiting for deployment "${name}" rollout to finish: 2 of 3 updated replicas are available...`,
        `deployment "${name}" successfully rolled out`,
      ].join('\n');
      expect(matches(step, cmd, waiting, nth), `${step} ${name} with Waiting lines`).toBe(true);
      // A rollout that timed out never prints the success line.
      expect(matches(step, cmd, `Waiting for deployment "${name}" rollout to finish: 1 of 3 updated replicas are available...\nerror: timed out waiting for the condition`, nth)).toBe(false);
    }
  });

  it('rollout status of the StatefulSet prints the partitioned message', () => {
    const cmd = 'kubectl rollout status statefulset webstate';
    expect(matches('03', cmd, 'Waiting for 2 pods to be ready...\nWaiting for 1 pods to be ready...\npartitioned roll out complete: 3 new pods have been updated...')).toBe(true);
    expect(matches('03', cmd, 'statefulset rolling update complete 3 pods at revision webstate-6c8dcb4c4d...')).toBe(false);
    expect(matches('03', cmd, 'partitioned roll out complete: 2 new pods have been updated...')).toBe(false);
  });

  it('kube-system holds the Cilium envoy and hubble-peer Services next to kube-dns', () => {
    const actual = [
      'NAME           TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)                  AGE',
      'cilium-envoy   ClusterIP   None            <none>        9964/TCP                 9m12s',
      'hubble-peer    ClusterIP   10.96.118.203   <none>        443/TCP                  9m12s',
      'kube-dns       ClusterIP   10.96.0.10      <none>        53/UDP,53/TCP,9153/TCP   11m',
    ].join('\n');
    expect(matches('03', 'kubectl get service -n kube-system', actual)).toBe(true);
    expect(matches('03', 'kubectl get service -n kube-system', actual.split('\n').filter((l) => !l.startsWith('hubble')).join('\n'))).toBe(false);
  });

  it('the Emissary Service is named after the release', () => {
    const cmd = 'kubectl -n emissary get service emissary';
    expect(find('04', cmd).command.text).toBe(cmd);
    expect(matches('04', cmd, 'NAME       TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE\nemissary   LoadBalancer   10.96.33.150   <pending>     80:31211/TCP   41s')).toBe(true);
    expect(matches('04', cmd, 'Error from server (NotFound): services "emissary" not found')).toBe(false);
    expect(matches('05', cmd, 'NAME       TYPE           CLUSTER-IP     EXTERNAL-IP      PORT(S)        AGE\nemissary   LoadBalancer   10.96.33.150   172.18.255.200   80:31211/TCP   5m')).toBe(true);
  });

  it('the node route to its own pod range carries no MTU, nor does busybox print one', () => {
    const node = 'default via 172.18.0.1 dev eth0\n10.244.0.0/24 via 10.244.0.159 dev cilium_host proto kernel src 10.244.0.159\n10.244.0.159 dev cilium_host proto kernel scope link\n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2';
    expect(matches('01', 'ip -4 route', node)).toBe(true);
    expect(matches('01', 'ip -4 route', node.replace('src 10.244.0.159\n', 'src 10.244.0.159 mtu 1450\n'))).toBe(false);
    // busybox ends each route with a space; trailing spaces are ignored.
    expect(matches('01', 'ip route', 'default via 10.244.0.159 dev eth0 \n10.244.0.159 dev eth0 scope link ')).toBe(true);
  });

  const nodeports = (withLoopback: boolean) =>
    [
      'Chain KUBE-NODEPORTS (1 references)',
      ' pkts bytes target     prot opt in     out     source               destination',
      ...(withLoopback
        ? ['    0     0 KUBE-EXT-RYQJBQ5TR32XWAUN  6    --  *      *       0.0.0.0/0            127.0.0.0/8          /* default/website:http */ tcp dpt:31100 nfacct-name  localhost_nps_accepted_pkts']
        : []),
      '    2   120 KUBE-EXT-RYQJBQ5TR32XWAUN  6    --  *      *       0.0.0.0/0            0.0.0.0/0            /* default/website:http */ tcp dpt:31100',
    ].join('\n');

  it('KUBE-NODEPORTS matches with and without the loopback accounting rule, but not without the rule that counts', () => {
    const cmd = 'iptables -t nat -L KUBE-NODEPORTS';
    expect(matches('04', cmd, nodeports(false))).toBe(true);
    expect(matches('04', cmd, nodeports(true))).toBe(true);
    expect(matches('04', cmd, nodeports(true).split('\n').slice(0, 3).join('\n'))).toBe(false);
    expect(matches('04', cmd, nodeports(false).replace('dpt:31100', 'dpt:31101'))).toBe(false);
  });

  it('KUBE-EXT has one or two references, and its rules still must match', () => {
    const cmd = 'iptables -t nat -L KUBE-EXT-RYQJBQ5TR32XWAUN';
    const ext = (refs: number, masq = 'KUBE-MARK-MASQ') =>
      [
        `Chain KUBE-EXT-RYQJBQ5TR32XWAUN (${refs} references)`,
        ' pkts bytes target     prot opt in     out     source               destination',
        `    2   120 ${masq}  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* masquerade traffic for default/website:http external destinations */`,
        '    2   120 KUBE-SVC-RYQJBQ5TR32XWAUN  0    --  *      *       0.0.0.0/0            0.0.0.0/0',
      ].join('\n');
    expect(matches('04', cmd, ext(1))).toBe(true);
    expect(matches('04', cmd, ext(2))).toBe(true);
    expect(matches('04', cmd, ext(2, 'RETURN'))).toBe(false);
  });

  it('requests sent right after a Service or its address appears are retried (kube-proxy syncs at most once a second)', () => {
    for (const [step, cmd] of [['02', 'curl -s 10.96.148.30'], ['04', 'curl -s localhost:31100'], ['05', 'curl -s 172.18.255.201'], ['05', 'curl -s 172.18.255.200/web/']] as const) {
      const { block } = find(step, cmd);
      expect(block.options.waitMs, `${step} ${cmd}`).toBeGreaterThan(0);
    }
  });

  it('linkerd uninstall runs only after the meshed pods are gone', () => {
    const { block } = find('06', 'linkerd uninstall');
    const texts = block.commands.map((c) => c.text);
    const wait = texts.findIndex((t) => t.startsWith('kubectl wait --for=delete pod'));
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeLessThan(texts.findIndex((t) => t.startsWith('linkerd uninstall')));
    expect(texts[wait]).toContain('meshclient');
  });

  it('the MetalLB pods are waited for until they exist, and its removal tolerates the namespace going first', () => {
    expect(find('05', 'kubectl -n metallb-system wait').block.options.waitMs).toBeGreaterThan(0);
    expect(find('05', 'kubectl delete -f metallb-pool.yaml').command.text).toContain('--ignore-not-found');
  });
});
