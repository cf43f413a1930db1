import type { Figure } from '../model.ts';

/** A ClusterIP that no interface owns, resolved to a pod by rules in the sending node's kernel. */
export const serviceVirtualIp: Figure = {
  id: 'service-virtual-ip',
  title: 'A connection to a Service’s virtual IP, rewritten to a pod address on the client’s own node',
  description:
    'A client pod on node1 opens a connection to 10.96.148.30 port 80, the ClusterIP of the Service website. ' +
    'No interface anywhere owns that address. Before the packet leaves node1, netfilter rules written by kube-proxy ' +
    'match it: the KUBE-SERVICES chain jumps to the Service’s KUBE-SVC chain, which picks one endpoint at random, ' +
    'and that endpoint’s KUBE-SEP chain rewrites the destination (DNAT) to 10.244.1.10 port 80 on node1 ' +
    'or 10.244.2.10 port 80 on node2. The pod network then carries the packet like any other. ' +
    'kube-proxy keeps those rules in step with the API: it watches the Service and the EndpointSlices that list its ready pods.',
  graph: {
    nodes: [
      { id: 'svc', label: 'Service website', detail: [{ code: 'selector app=website' }], kind: 'object' },
      { id: 'slice', label: 'EndpointSlice', detail: [{ code: '10.244.1.10:80' }, { code: '10.244.2.10:80' }], kind: 'object' },
      { id: 'client', label: 'pod client', detail: [{ code: '10.244.1.11' }], kind: 'process' },
      { id: 'vip', label: 'ClusterIP', detail: [{ code: '10.96.148.30:80' }, 'on no interface'], kind: 'virtual' },
      { id: 'proxy', label: 'kube-proxy', kind: 'process' },
      { id: 'rules', label: 'netfilter rules', detail: [{ code: 'KUBE-SERVICES' }, { code: '→ KUBE-SVC-…' }, { code: '→ KUBE-SEP-… DNAT' }], kind: 'table' },
      { id: 'web-a', label: 'pod web-a', detail: [{ code: '10.244.1.10:80' }], kind: 'process' },
      { id: 'web-b', label: 'pod web-b', detail: [{ code: '10.244.2.10:80' }], kind: 'process' },
    ],
    groups: [
      { id: 'api', label: 'API server', kind: 'scope', members: ['svc', 'slice'] },
      { id: 'node1', label: 'node1', kind: 'host', members: ['client', 'proxy', 'rules', 'web-a'] },
      { id: 'node2', label: 'node2', kind: 'host', members: ['web-b'] },
    ],
    edges: [
      { from: 'slice', to: 'svc', kind: 'reference', label: 'belongs to' },
      { from: 'client', to: 'vip', label: 'connect' },
      { from: 'vip', to: 'rules', label: 'caught on the way out' },
      { from: 'rules', to: 'web-a' },
      { from: 'rules', to: 'web-b' },
      { from: 'proxy', to: 'slice', kind: 'control', label: 'watches', loose: true },
      { from: 'proxy', to: 'rules', kind: 'control', label: 'writes' },
    ],
    sameRank: [['client', 'proxy', 'slice']],
  },
};

/** Service types as layers: each adds a way in on top of the one inside it. */
export const serviceTypes: Figure = {
  id: 'service-types',
  title: 'Service types as layers, each adding a way in around the ClusterIP',
  description:
    'A ClusterIP Service is a virtual address, here 10.96.148.30 port 80, that forwards to the ready pods. ' +
    'A NodePort Service is a ClusterIP Service that also opens one port, such as 31100, on every node; traffic to it ' +
    'goes on to the same pods. A LoadBalancer Service is a NodePort Service that also gets an external address from a load balancer ' +
    'outside the cluster, here 172.18.255.200, which sends traffic to the nodes or straight to the pods. ' +
    'Two kinds stand apart: a headless Service has no virtual IP at all and its DNS name returns the pod addresses themselves, ' +
    'and an ExternalName Service is only a DNS alias to a name outside the cluster, such as db.example.com.',
  graph: {
    nodes: [
      { id: 'lb', label: 'external IP', detail: [{ code: '172.18.255.200:80' }], kind: 'outside' },
      { id: 'extname', label: 'ExternalName Service', detail: [{ code: 'externalName: db.example.com' }], kind: 'object' },
      { id: 'np', label: 'node port', detail: [{ code: '<every node>:31100' }], kind: 'device' },
      { id: 'outside', label: 'database outside', detail: [{ code: 'db.example.com' }], kind: 'outside' },
      { id: 'vip', label: 'ClusterIP', detail: [{ code: '10.96.148.30:80' }], kind: 'virtual' },
      { id: 'headless', label: 'headless Service', detail: [{ code: 'clusterIP: None' }], kind: 'object' },
      { id: 'pods', label: 'ready pods', detail: [{ code: '10.244.1.10:80' }, { code: '10.244.2.10:80' }], kind: 'process' },
    ],
    groups: [
      { id: 'loadbalancer', label: 'type: LoadBalancer', kind: 'scope', members: ['lb', 'nodeport'] },
      { id: 'nodeport', label: 'type: NodePort', kind: 'scope', members: ['np', 'clusterip'] },
      { id: 'clusterip', label: 'type: ClusterIP', kind: 'scope', members: ['vip'] },
    ],
    edges: [
      { from: 'lb', to: 'np' },
      { from: 'np', to: 'vip' },
      { from: 'vip', to: 'pods', label: 'DNAT' },
      { from: 'headless', to: 'pods', kind: 'reference', label: 'DNS answers with pod IPs' },
      { from: 'extname', to: 'outside', kind: 'reference', label: 'DNS CNAME' },
    ],
    sameRank: [['vip', 'headless']],
  },
};
