import type { Figure } from '../model.ts';

/** The ways a packet from outside reaches a pod: hostPort, node port, load balancer. */
export const waysIn: Figure = {
  id: 'ways-in',
  title: 'Three ways in from outside the cluster: a hostPort, a node port and a load balancer',
  description:
    'A client outside the cluster can reach the web pods in three ways. With a hostPort, port 8080 on node1 forwards straight to the ' +
    'one pod that asked for it, and only on the node where that pod runs. With a NodePort Service, port 31100 is open on every node, ' +
    'and each node forwards to the Service and on to any ready pod, on its own node or another. With a LoadBalancer Service, ' +
    'a load balancer outside the nodes owns an external address, 172.18.255.200, and spreads connections over the node ports ' +
    '(or, with some implementations, straight over the pod addresses).',
  graph: {
    nodes: [
      { id: 'client', label: 'client outside', kind: 'outside' },
      { id: 'lb', label: 'load balancer', detail: [{ code: '172.18.255.200:80' }], kind: 'outside' },
      { id: 'hp', label: 'hostPort', detail: [{ code: '172.18.0.2:8080' }], kind: 'device' },
      { id: 'np1', label: 'node port', detail: [{ code: '172.18.0.2:31100' }], kind: 'device' },
      { id: 'np2', label: 'node port', detail: [{ code: '172.18.0.3:31100' }], kind: 'device' },
      { id: 'svc1', label: 'Service rules', kind: 'table' },
      { id: 'svc2', label: 'Service rules', kind: 'table' },
      { id: 'pod1', label: 'pod web-a', detail: [{ code: '10.244.1.10:80' }], kind: 'process' },
      { id: 'pod2', label: 'pod web-b', detail: [{ code: '10.244.2.10:80' }], kind: 'process' },
    ],
    groups: [
      { id: 'node1', label: 'node1', kind: 'host', members: ['hp', 'np1', 'svc1', 'pod1'] },
      { id: 'node2', label: 'node2', kind: 'host', members: ['np2', 'svc2', 'pod2'] },
    ],
    edges: [
      { from: 'client', to: 'hp', label: 'hostPort' },
      { from: 'client', to: 'np1', label: 'NodePort' },
      { from: 'client', to: 'lb', label: 'LoadBalancer' },
      { from: 'lb', to: 'np1' },
      { from: 'lb', to: 'np2' },
      { from: 'hp', to: 'pod1' },
      { from: 'np1', to: 'svc1' },
      { from: 'np2', to: 'svc2' },
      { from: 'svc1', to: 'pod1' },
      { from: 'svc1', to: 'pod2' },
      { from: 'svc2', to: 'pod2' },
    ],
  },
};

/** An HTTP proxy choosing a Service by host name and path. */
export const ingressRouting: Figure = {
  id: 'ingress-routing',
  title: 'An Ingress controller choosing a Service by host name and path',
  description:
    'Clients connect to shop.example.com on port 443. A layer 4 load balancer in front only sees addresses and ports and passes ' +
    'each connection to the Ingress controller, a proxy running in pods. The controller ends the TLS session with the certificate ' +
    'from the Secret shop-tls, reads each HTTP request, and follows the rules of the Ingress object: requests for the path /api go to ' +
    'the Service api, every other path to the Service web. Requests whose host matches no rule go to the default backend.',
  graph: {
    nodes: [
      { id: 'client', label: 'browser', detail: [{ code: 'https://shop.example.com/api/cart' }], kind: 'outside' },
      { id: 'l4', label: 'load balancer (layer 4)', detail: ['sees addresses and ports'], kind: 'outside' },
      { id: 'ctrl', label: 'Ingress controller (layer 7)', detail: ['ends TLS, reads host and path'], kind: 'process' },
      { id: 'ing', label: 'Ingress shop', detail: [{ code: 'host: shop.example.com' }, { code: '/api → Service api' }, { code: '/ → Service web' }], kind: 'object' },
      { id: 'secret', label: 'Secret shop-tls', detail: [{ code: 'type kubernetes.io/tls' }], kind: 'object' },
      { id: 'api', label: 'Service api', kind: 'virtual' },
      { id: 'web', label: 'Service web', kind: 'virtual' },
      { id: 'def', label: 'default backend', kind: 'virtual' },
    ],
    edges: [
      { from: 'client', to: 'l4', label: 'TCP 443' },
      { from: 'l4', to: 'ctrl' },
      { from: 'ing', to: 'ctrl', kind: 'control', label: 'read by' },
      { from: 'secret', to: 'ctrl', kind: 'control', label: 'certificate' },
      { from: 'ctrl', to: 'api', label: { code: '/api…' } },
      { from: 'ctrl', to: 'web', label: { code: '/…' } },
      { from: 'ctrl', to: 'def', label: 'no rule matches' },
    ],
    sameRank: [['l4', 'ing', 'secret']],
  },
};
