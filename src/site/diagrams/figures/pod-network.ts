import type { Figure } from '../model.ts';

/** Two nodes, each with its own slice of the pod range, joined by plain routes. */
export const routedPodNetwork: Figure = {
  id: 'routed-pod-network',
  title: 'A packet from a pod on node1 to a pod on node2, forwarded by ordinary routes',
  description:
    'Two nodes sit on the node network 172.18.0.0/16: node1 at 172.18.0.2 and node2 at 172.18.0.3. ' +
    'Each node owns one /24 of the pod range 10.244.0.0/16: node1 has 10.244.1.0/24 behind its bridge cni0, ' +
    'node2 has 10.244.2.0/24. Pod web-a, 10.244.1.10, sends a packet to pod web-c, 10.244.2.10. ' +
    'The packet crosses the veth pair to node1’s bridge, node1’s route for 10.244.2.0/24 sends it to 172.18.0.3 ' +
    'through eth0, it crosses the node network unchanged, and node2 delivers it through its own bridge to web-c. ' +
    'A second pod on node1, client at 10.244.1.11, shares node1’s bridge.',
  graph: {
    nodes: [
      { id: 'pod-a', label: 'pod web-a', detail: [{ code: '10.244.1.10' }], kind: 'process' },
      { id: 'pod-b', label: 'pod client', detail: [{ code: '10.244.1.11' }], kind: 'process' },
      { id: 'br1', label: 'cni0', detail: [{ code: '10.244.1.1/24' }], kind: 'device' },
      { id: 'rt1', label: 'routes', detail: [{ code: '10.244.1.0/24 dev cni0' }, { code: '10.244.2.0/24 via 172.18.0.3' }], kind: 'table' },
      { id: 'eth1', label: 'eth0', detail: [{ code: '172.18.0.2' }], kind: 'device' },
      { id: 'net', label: 'node network', detail: [{ code: '172.18.0.0/16' }], kind: 'outside' },
      { id: 'eth2', label: 'eth0', detail: [{ code: '172.18.0.3' }], kind: 'device' },
      { id: 'rt2', label: 'routes', detail: [{ code: '10.244.2.0/24 dev cni0' }, { code: '10.244.1.0/24 via 172.18.0.2' }], kind: 'table' },
      { id: 'br2', label: 'cni0', detail: [{ code: '10.244.2.1/24' }], kind: 'device' },
      { id: 'pod-c', label: 'pod web-c', detail: [{ code: '10.244.2.10' }], kind: 'process' },
    ],
    groups: [
      { id: 'node1', label: 'node1', detail: [{ code: 'podCIDR: 10.244.1.0/24' }], kind: 'host', members: ['pod-a', 'pod-b', 'br1', 'rt1', 'eth1'] },
      { id: 'node2', label: 'node2', detail: [{ code: 'podCIDR: 10.244.2.0/24' }], kind: 'host', members: ['pod-c', 'br2', 'rt2', 'eth2'] },
    ],
    edges: [
      { from: 'pod-a', to: 'br1', label: { code: '→ 10.244.2.10' } },
      { from: 'pod-b', to: 'br1', kind: 'wire' },
      { from: 'br1', to: 'rt1' },
      { from: 'rt1', to: 'eth1', label: 'next hop 172.18.0.3' },
      { from: 'eth1', to: 'net' },
      { from: 'eth2', to: 'net', reversed: true },
      { from: 'rt2', to: 'eth2', reversed: true },
      { from: 'br2', to: 'rt2', reversed: true },
      { from: 'pod-c', to: 'br2', reversed: true },
    ],
  },
};

/** What a VXLAN overlay wraps around a pod's packet. */
export const vxlanPacket: Figure = {
  id: 'vxlan-packet',
  title: 'A pod’s packet inside a VXLAN packet between two nodes',
  description:
    'The packet on the wire starts with the outer headers the sending node adds, read from left to right: ' +
    'an Ethernet header, an IP header from node 172.18.0.2 to node 172.18.0.3, a UDP header to port 8472, ' +
    'and an 8-byte VXLAN header carrying the network identifier. Its payload, drawn below them, is the pod’s original frame, untouched: ' +
    'its own Ethernet header, an IP header from pod 10.244.1.10 to pod 10.244.2.10, then TCP to port 80 and the data. ' +
    'The receiving node strips the outer headers and routes the inner packet as if it had arrived on a local cable.',
  graph: {
    nodes: [
      { id: 'o-eth', label: 'Ethernet', kind: 'table' },
      { id: 'o-ip', label: 'IP', detail: [{ code: '172.18.0.2' }, { code: '→ 172.18.0.3' }], kind: 'table' },
      { id: 'o-udp', label: 'UDP', detail: [{ code: '→ 8472' }], kind: 'table' },
      { id: 'o-vxlan', label: 'VXLAN', detail: [{ code: 'VNI 1' }], kind: 'table' },
      { id: 'i-eth', label: 'Ethernet', kind: 'device' },
      { id: 'i-ip', label: 'IP', detail: [{ code: '10.244.1.10' }, { code: '→ 10.244.2.10' }], kind: 'device' },
      { id: 'i-tcp', label: 'TCP', detail: [{ code: '→ 80' }], kind: 'device' },
      { id: 'i-data', label: 'data', kind: 'device' },
    ],
    groups: [
      { id: 'outer', label: 'VXLAN packet on the node network', detail: ['node1 adds these headers, node2 removes them'], kind: 'network', members: ['o-eth', 'o-ip', 'o-udp', 'o-vxlan', 'inner'] },
      { id: 'inner', label: 'payload: the pod’s frame, unchanged', kind: 'netns', members: ['i-eth', 'i-ip', 'i-tcp', 'i-data'] },
    ],
    edges: [
      { from: 'o-eth', to: 'i-eth', kind: 'invisible' },
      { from: 'o-vxlan', to: 'i-data', kind: 'invisible' },
    ],
    compact: true,
    sameRank: [
      ['o-eth', 'o-ip', 'o-udp', 'o-vxlan'],
      ['i-eth', 'i-ip', 'i-tcp', 'i-data'],
    ],
  },
};

/** Who does what when a pod starts: kubelet, runtime, CNI plugin, IPAM. */
export const cniAdd: Figure = {
  id: 'cni-add',
  title: 'How a new pod gets its network: kubelet, container runtime, CNI plugin and IPAM',
  description:
    'The kubelet asks the container runtime, over CRI, to run a pod sandbox. The runtime creates a network namespace, ' +
    'starts the pause container in it, reads the CNI configuration in /etc/cni/net.d and runs the plugin binary from /opt/cni/bin ' +
    'with the command ADD. The plugin asks its IPAM part for an address from the node’s pod CIDR, creates a veth pair, ' +
    'moves one end into the pod’s namespace as eth0, sets the address and a default route, and returns the result to the runtime. ' +
    'Alongside, a per-node agent such as cilium-agent watches the API server and programs the node’s datapath ' +
    'for routing, network policy and Services.',
  graph: {
    nodes: [
      { id: 'api', label: 'API server', detail: ['pods, nodes, policies'], kind: 'object' },
      { id: 'kubelet', label: 'kubelet', kind: 'process' },
      { id: 'runtime', label: 'container runtime', detail: ['containerd or CRI-O'], kind: 'process' },
      { id: 'conf', label: 'CNI config', detail: [{ code: '/etc/cni/net.d/' }], kind: 'table' },
      { id: 'plugin', label: 'CNI plugin', detail: [{ code: '/opt/cni/bin/…' }], kind: 'process' },
      { id: 'ipam', label: 'IPAM', detail: ['hands out an address'], kind: 'process' },
      { id: 'agent', label: 'node agent', detail: [{ code: 'cilium-agent' }], kind: 'process' },
      { id: 'netns', label: 'pod network namespace', detail: ['pause, eth0, lo'], kind: 'device' },
      { id: 'datapath', label: 'node datapath', detail: ['routes, eBPF, iptables'], kind: 'table' },
    ],
    groups: [{ id: 'node', label: 'node', kind: 'host', members: ['kubelet', 'runtime', 'conf', 'plugin', 'ipam', 'agent', 'netns', 'datapath'] }],
    edges: [
      { from: 'api', to: 'kubelet', kind: 'control', label: 'pod scheduled here' },
      { from: 'kubelet', to: 'runtime', kind: 'control', label: ['CRI:', { code: 'RunPodSandbox' }] },
      { from: 'runtime', to: 'conf', kind: 'control', label: 'reads' },
      { from: 'runtime', to: 'plugin', kind: 'control', label: { code: 'ADD' } },
      { from: 'plugin', to: 'ipam', kind: 'control', label: 'address?' },
      { from: 'plugin', to: 'netns', kind: 'control', label: 'veth, address, routes' },
      { from: 'api', to: 'agent', kind: 'control', label: 'watches' },
      { from: 'agent', to: 'datapath', kind: 'control', label: 'programs' },
    ],
  },
};
