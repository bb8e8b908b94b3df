/**
 * Outside → node (a NodePort, a node address): the packet starts on the wire and enters the node
 * that holds its destination, on the device holding that address. From there the same steps as
 * any node run in kernel order: the device's tc ingress program (from-netdev, where Cilium's BPF
 * NodePort translates), netfilter (kube-proxy's DNAT in PREROUTING), the routing decision for the
 * backend, and either delivery into a local pod or the way out to the backend's node.
 */
import type { Walk } from '@/lib/model/walk'
import type { Capture } from '@/lib/model/capture'
import type { Facts, HostFacts } from '../facts'
import type { WalkHosts } from '../hosts'
import type { WalkContext } from '../context'
import { hostHoldingIp, isPodDevice, type Topology } from '@/lib/topology'
import { bpfStep } from '../steps/bpf'
import { findNfEntry, netfilterConntrackStep } from '../steps/conntrack'
import { deliverStep, egressStep, findRemoteSide, remoteArrivalSteps } from '../steps/egress'
import { expectedTranslator, findService, lbStep, provenTranslator } from '../steps/lb'
import { natStep } from '../steps/nat'
import { neighborStep } from '../steps/neighbor'
import { routeStep } from '../steps/route'

export interface OutsideEntry {
  node: HostFacts
  device: string
  hosts: WalkHosts
}

/** The flow comes from outside the cluster to an address a captured node holds: where it enters. */
export function outsideEntry(capture: Capture, facts: Facts, topology: Topology): OutsideEntry | undefined {
  const { source, destination } = capture.flow
  if (source.pod) return undefined
  const from = hostHoldingIp(topology, source.ip)
  if (from) return undefined
  const to = hostHoldingIp(topology, destination.ip)
  if (!to || to.netns.kind !== 'node') return undefined
  const node = to.netns.hosts.map((id) => facts.hosts[id]).find((h) => h?.host.role === 'node')
  if (!node) return undefined
  const agent = to.netns.hosts.map((id) => facts.hosts[id]).find((h) => h?.host.role === 'agent')
  return {
    node,
    device: to.device.name,
    hosts: {
      node,
      agent,
      nodeName: node.host.name,
      warnings: [],
      assumptions: [`${source.ip} is held by no captured pod or node and ${destination.ip} is ${node.id}'s address on ${to.device.name}: the packet comes from outside and enters ${node.id} there`],
    },
  }
}

export function walkFromOutside(ctx: WalkContext, entry: OutsideEntry, finish: (ctx: WalkContext) => Walk): Walk {
  const where = entry.node.id
  // the arrival itself is no hop of walk@1 (no kind says "enters"): the first hop is what runs there
  ctx.datapath.mode.basis.push(`outside → node: the packet from ${ctx.srcIp} arrives on ${where}'s ${entry.device}, which holds ${ctx.dstIp}`)
  if (ctx.cilium) bpfStep(ctx, { device: entry.device, direction: 'ingress', required: false, expected: 'from-netdev' })

  const svc = findService(ctx)
  const stage = svc ? (provenTranslator(ctx, svc) ?? expectedTranslator(ctx, svc) ?? (ctx.cilium ? 'bpf' : 'iptables')) : undefined
  if (svc && stage === 'bpf') lbStep(ctx, svc, 'bpf')
  if (!(ctx.cilium && ctx.datapath.mode.hostRouting === 'bpf') || findNfEntry(ctx)) netfilterConntrackStep(ctx)
  if (svc && stage === 'iptables') lbStep(ctx, svc, 'iptables')
  if (ctx.backendUnknown) {
    ctx.warnings.push(`The walk stops after the service translation: the backend of ${svc?.frontend ?? ctx.flowDstIp} is not known, so ${where}'s routing decision for it cannot be made.`)
    return finish(ctx)
  }

  const route = routeStep(ctx, { hf: ctx.node, hostId: where, place: 'node', label: `${where}`, src: ctx.srcIp, iif: entry.device, forwards: true })
  if (isPodDevice(route.device)) {
    deliverStep(ctx, route)
    return finish(ctx)
  }
  if (!route.device) return finish(ctx)
  // a NodePort whose backend is on another node: the node masquerades the client (kube-proxy's
  // KUBE-MARK-MASQ, Cilium's SNAT) so the reply comes back through it
  natStep(ctx, { outDevice: route.device })
  neighborStep(ctx, { hf: ctx.node, hostId: where, place: 'node', label: 'The node', nextHop: route.gateway ?? ctx.dstIp, device: route.device })
  if (ctx.cilium) bpfStep(ctx, { device: route.device, direction: 'egress', required: false, expected: 'to-netdev' })
  egressStep(ctx, route)
  const side = findRemoteSide(ctx, route.gateway)
  if (side) remoteArrivalSteps(ctx, side, { nextHop: route.gateway })
  return finish(ctx)
}
