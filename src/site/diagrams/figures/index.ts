/** Every figure of the concept pages, by page, so tests can render and check them all. */
import type { Figure } from '../model.ts';
import { dnsLookup } from './dns.ts';
import { gatewayRoles } from './gateway-api.ts';
import { ingressRouting, waysIn } from './ingress.ts';
import { policyEffect } from './network-policy.ts';
import { cniAdd, routedPodNetwork, vxlanPacket } from './pod-network.ts';
import { podSandbox } from './pods.ts';
import { serviceTypes, serviceVirtualIp } from './services.ts';

/** Concept page (file name without `.mdx`) → the figures it shows, in page order. */
export const FIGURES_BY_PAGE: Record<string, Figure[]> = {
  pods: [podSandbox],
  'pod-network': [routedPodNetwork, vxlanPacket, cniAdd],
  services: [serviceVirtualIp, serviceTypes],
  ingress: [waysIn, ingressRouting],
  'gateway-api': [gatewayRoles],
  dns: [dnsLookup],
  'network-policy': [policyEffect],
};
