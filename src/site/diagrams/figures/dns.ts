import type { Figure } from '../model.ts';

/** The path of a lookup from a pod to CoreDNS and, for outside names, beyond. */
export const dnsLookup: Figure = {
  id: 'dns-lookup',
  title: 'A pod’s DNS lookup: resolv.conf, the kube-dns Service, CoreDNS and the upstream resolver',
  description:
    'A container in a pod in the namespace default looks up the name website. Its /etc/resolv.conf, written by the kubelet, ' +
    'names 10.96.0.10 as the nameserver, lists the search domains default.svc.cluster.local, svc.cluster.local and cluster.local, ' +
    'and sets ndots to 5, so the resolver first asks for website.default.svc.cluster.local. The query goes to 10.96.0.10 port 53, ' +
    'the ClusterIP of the kube-dns Service, and on to one of the CoreDNS pods in kube-system. CoreDNS answers names under cluster.local ' +
    'from what it watches in the API server (Services and EndpointSlices), here with the ClusterIP 10.96.148.30, and forwards every other name ' +
    'to the upstream resolvers listed in the node’s own resolv.conf.',
  graph: {
    nodes: [
      { id: 'app', label: 'container', detail: [{ code: 'lookup website' }], kind: 'process' },
      { id: 'resolv', label: '/etc/resolv.conf', detail: [{ code: 'nameserver 10.96.0.10' }, { code: 'search default.svc.cluster.local' }, { code: '       svc.cluster.local cluster.local' }, { code: 'options ndots:5' }], kind: 'table' },
      { id: 'vip', label: 'Service kube-dns', detail: [{ code: '10.96.0.10:53' }], kind: 'virtual' },
      { id: 'coredns-1', label: 'CoreDNS', kind: 'process' },
      { id: 'coredns-2', label: 'CoreDNS', kind: 'process' },
      { id: 'api', label: 'API server', detail: ['Services, EndpointSlices'], kind: 'object' },
      { id: 'upstream', label: 'upstream resolver', detail: ['from the node’s resolv.conf'], kind: 'outside' },
    ],
    groups: [
      { id: 'pod', label: 'pod in namespace default', kind: 'netns', members: ['app', 'resolv'] },
      { id: 'kube-system', label: 'namespace kube-system', kind: 'scope', members: ['coredns-1', 'coredns-2'] },
    ],
    edges: [
      { from: 'app', to: 'resolv', kind: 'control', label: 'reads' },
      { from: 'app', to: 'vip', label: { code: 'website.default.svc.cluster.local?' } },
      { from: 'vip', to: 'coredns-1' },
      { from: 'vip', to: 'coredns-2' },
      { from: 'api', to: 'coredns-1', kind: 'control', label: 'watched' },
      { from: 'coredns-2', to: 'upstream', label: 'other names' },
    ],
    sameRank: [['app', 'resolv']],
  },
};
