import type { Figure } from '../model.ts';

/** The Gateway API objects, who owns each, and how they point at one another. */
export const gatewayRoles: Figure = {
  id: 'gateway-roles',
  title: 'Gateway API objects and the people who own them',
  description:
    'The infrastructure provider installs a controller and describes it with a cluster-wide GatewayClass, here called cilium, ' +
    'whose controllerName names that controller. The cluster operator creates a Gateway named shared in the namespace infra; ' +
    'it refers to the class by gatewayClassName and declares listeners: HTTP on port 80 and HTTPS on port 443, and which namespaces may attach routes. ' +
    'Application developers in their own namespaces write HTTPRoutes: the route store in namespace store and the route blog in namespace blog ' +
    'each attach to the Gateway through parentRefs and send matching requests through backendRefs to a Service in their own namespace. ' +
    'The controller watches all of these objects and programs the proxy that carries the traffic.',
  graph: {
    nodes: [
      { id: 'class', label: 'GatewayClass cilium', detail: [{ code: 'controllerName: io.cilium/gateway-controller' }], kind: 'object' },
      { id: 'gw', label: 'Gateway shared', detail: [{ code: 'namespace: infra' }, { code: 'listeners: http :80, https :443' }], kind: 'object' },
      { id: 'route-store', label: 'HTTPRoute store', detail: [{ code: 'namespace: store' }, { code: 'shop.example.com' }], kind: 'object' },
      { id: 'route-blog', label: 'HTTPRoute blog', detail: [{ code: 'namespace: blog' }, { code: 'blog.example.com' }], kind: 'object' },
      { id: 'svc-store', label: 'Service store', kind: 'virtual' },
      { id: 'svc-blog', label: 'Service blog', kind: 'virtual' },
    ],
    groups: [
      { id: 'provider', label: 'infrastructure provider', kind: 'scope', members: ['class'] },
      { id: 'operator', label: 'cluster operator', kind: 'scope', members: ['gw'] },
      { id: 'devs', label: 'application developers', kind: 'scope', members: ['route-store', 'route-blog', 'svc-store', 'svc-blog'] },
    ],
    edges: [
      { from: 'class', to: 'gw', kind: 'reference', reversed: true, label: { code: 'gatewayClassName' } },
      { from: 'gw', to: 'route-store', kind: 'reference', reversed: true, label: { code: 'parentRefs' } },
      { from: 'gw', to: 'route-blog', kind: 'reference', reversed: true, label: { code: 'parentRefs' } },
      { from: 'route-store', to: 'svc-store', kind: 'reference', label: { code: 'backendRefs' } },
      { from: 'route-blog', to: 'svc-blog', kind: 'reference', label: { code: 'backendRefs' } },
    ],
  },
};
