import type { Figure } from '../model.ts';

/** One node, its bridge, and two pods plugged into it through veth pairs. */
export const podSandbox: Figure = {
  id: 'pod-sandbox',
  title: 'Two pods on one node, each a network namespace joined to the node by a veth pair',
  description:
    'The node, with address 172.18.0.2 on its eth0, holds a bridge called cni0 with address 10.244.1.1. ' +
    'Two veth pairs hang off the bridge. The far end of the first pair is eth0 inside the web pod, ' +
    'address 10.244.1.10; the far end of the second is eth0 inside the client pod, address 10.244.1.11. ' +
    'Inside the web pod three containers share that one namespace: pause, which only holds it open, ' +
    'the web server listening on port 80, and a metrics sidecar that reaches the web server at localhost:80 ' +
    'through the shared loopback interface lo. The client pod holds pause and a client container. ' +
    'Between the bridge and the node’s eth0 the node’s kernel routes packets.',
  graph: {
    nodes: [
      { id: 'node-eth0', label: 'eth0', detail: [{ code: '172.18.0.2' }], kind: 'device' },
      { id: 'cni0', label: 'cni0 (bridge)', detail: [{ code: '10.244.1.1/24' }], kind: 'device' },
      { id: 'veth-web', label: 'host end', detail: [{ code: 'lxc1a2b' }], kind: 'device' },
      { id: 'veth-client', label: 'host end', detail: [{ code: 'lxc3c4d' }], kind: 'device' },
      { id: 'web-eth0', label: 'eth0', detail: [{ code: '10.244.1.10' }], kind: 'device' },
      { id: 'web-lo', label: 'lo', detail: [{ code: '127.0.0.1' }], kind: 'device' },
      { id: 'web-pause', label: 'pause', kind: 'process' },
      { id: 'web-server', label: 'web server', detail: ['listens on :80'], kind: 'process' },
      { id: 'web-sidecar', label: 'metrics sidecar', kind: 'process' },
      { id: 'client-eth0', label: 'eth0', detail: [{ code: '10.244.1.11' }], kind: 'device' },
      { id: 'client-lo', label: 'lo', detail: [{ code: '127.0.0.1' }], kind: 'device' },
      { id: 'client-pause', label: 'pause', kind: 'process' },
      { id: 'client-app', label: 'client', kind: 'process' },
    ],
    groups: [
      { id: 'node', label: 'node1', detail: ['root network namespace'], kind: 'host', members: ['node-eth0', 'cni0', 'veth-web', 'veth-client', 'pod-web', 'pod-client'] },
      { id: 'pod-web', label: 'pod web', detail: ['its own network namespace'], kind: 'netns', members: ['web-eth0', 'web-lo', 'web-pause', 'web-server', 'web-sidecar'] },
      { id: 'pod-client', label: 'pod client', kind: 'netns', members: ['client-eth0', 'client-lo', 'client-pause', 'client-app'] },
    ],
    edges: [
      { from: 'node-eth0', to: 'cni0', kind: 'traffic', both: true, label: 'routed by the kernel' },
      { from: 'cni0', to: 'veth-web', kind: 'wire' },
      { from: 'cni0', to: 'veth-client', kind: 'wire' },
      { from: 'veth-web', to: 'web-eth0', kind: 'wire', label: 'veth pair' },
      { from: 'veth-client', to: 'client-eth0', kind: 'wire', label: 'veth pair' },
      { from: 'web-eth0', to: 'web-pause', kind: 'invisible' },
      { from: 'web-lo', to: 'web-server', kind: 'invisible' },
      { from: 'web-sidecar', to: 'web-server', kind: 'traffic', label: { code: 'localhost:80' } },
      { from: 'client-eth0', to: 'client-pause', kind: 'invisible' },
      { from: 'client-lo', to: 'client-app', kind: 'invisible' },
    ],
    sameRank: [
      ['web-eth0', 'web-lo', 'client-eth0', 'client-lo'],
      ['web-pause', 'web-server', 'web-sidecar', 'client-pause', 'client-app'],
    ],
  },
};
