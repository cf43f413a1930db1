import type { Figure } from '../model.ts';

/** Who may reach the website pods once a policy selects them. */
export const policyEffect: Figure = {
  id: 'policy-effect',
  title: 'A NetworkPolicy that lets two sources reach the website pods and drops the rest',
  description:
    'The NetworkPolicy allow-web in namespace shop selects the pods labelled app=website, which makes them isolated for ingress. ' +
    'Its rules admit TCP port 80 from pods labelled role=client in the same namespace and from any pod in the namespace monitoring, ' +
    'chosen by its kubernetes.io/metadata.name label. So the client pod and the Prometheus pod get through, while a pod without the label ' +
    'in shop, and a host outside the cluster, are dropped. The policy is only a description: the network plugin’s agent on each node ' +
    'turns it into filter rules next to the selected pods.',
  graph: {
    direction: 'right',
    nodes: [
      { id: 'client', label: 'pod client', detail: [{ code: 'role=client' }], kind: 'process' },
      { id: 'other', label: 'pod batch', detail: ['no role label'], kind: 'process' },
      { id: 'web', label: 'pods website', detail: [{ code: 'app=website' }, { code: 'TCP 80' }], kind: 'process' },
      { id: 'policy', label: 'NetworkPolicy allow-web', detail: [{ code: 'podSelector: app=website' }, { code: 'from: role=client' }, { code: 'from: ns monitoring' }], kind: 'object' },
      { id: 'prom', label: 'pod prometheus', kind: 'process' },
      { id: 'outside', label: 'host outside', detail: [{ code: '198.51.100.7' }], kind: 'outside' },
      { id: 'agent', label: 'CNI agent on the node', detail: ['filters next to the pod'], kind: 'table' },
    ],
    groups: [
      { id: 'ns-shop', label: 'namespace shop', kind: 'scope', members: ['client', 'other', 'web', 'policy'] },
      { id: 'ns-mon', label: 'namespace monitoring', kind: 'scope', members: ['prom'] },
    ],
    edges: [
      { from: 'client', to: 'web', label: 'allowed' },
      { from: 'prom', to: 'web', label: 'allowed' },
      { from: 'other', to: 'web', kind: 'blocked', label: 'dropped' },
      { from: 'outside', to: 'web', kind: 'blocked', label: 'dropped' },
      { from: 'web', to: 'policy', kind: 'reference', reversed: true, label: 'selects' },
      { from: 'policy', to: 'agent', kind: 'control', label: 'enforced by' },
    ],
    sameRank: [['policy', 'agent']],
  },
};
