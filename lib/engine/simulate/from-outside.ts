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
import { addHop, endpoint, type WalkContext } from '../context'
import { cite } from '../facts'
import { hostHoldingIp, isPodDevice, nodeNetns, type Topology } from '@/lib/topology'
import { lookupRoute } from '../route-lookup'
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
  if (!to) return undefined
  // to a pod (the answer to a pod's request, an ingress): it enters the pod's node on the device
  // that node routes the sender through
  const nodeNs = to.netns.kind === 'node' ? to.netns : nodeNetns(topology, to.netns.node)
  if (!nodeNs) return undefined
  const node = nodeNs.hosts.map((id) => facts.hosts[id]).find((h) => h?.host.role === 'node')
  if (!node) return undefined
  const agent = nodeNs.hosts.map((id) => facts.hosts[id]).find((h) => h?.host.role === 'agent')
  const device = to.netns.kind === 'node' ? to.device.name : towards(node, source.ip)
  if (!device) return undefined
  const how = to.netns.kind === 'node' ? `${destination.ip} is ${node.id}'s address on ${device}` : `${destination.ip} is the pod ${to.netns.name} on ${node.id}, which routes ${source.ip} through ${device}`
  return {
    node,
    device,
    hosts: {
      node,
      agent,
      nodeName: node.host.name,
      warnings: [],
      assumptions: [`${source.ip} is held by no captured pod or node and ${how}: the packet comes from outside and enters ${node.id} on ${device}`],
    },
  }
}

/** The device a node routes `ip` through: where packets from `ip` arrive when routing is symmetric. */
function towards(node: HostFacts, ip: string): string | undefined {
  const routes = node.routes.filter((p) => p.source.failure === undefined)
  return lookupRoute({ routes, rules: node.rules, dst: ip }).decision?.route.device
}

export function walkFromOutside(ctx: WalkContext, entry: OutsideEntry, finish: (ctx: WalkContext) => Walk): Walk {
  const where = entry.node.id
  // the arrival itself is no hop of walk@1 (no kind says "enters"): the first hop is what runs there
  ctx.datapath.mode.basis.push(`outside → node: the packet from ${ctx.srcIp} arrives on ${where}'s ${entry.device}, which holds ${ctx.dstIp}`)
  if (ctx.cilium) bpfStep(ctx, { device: entry.device, direction: 'ingress', required: false, expected: 'from-netdev' })

  const svc = findService(ctx)
  const stage = svc ? (provenTranslator(ctx, svc) ?? expectedTranslator(ctx, svc) ?? (ctx.cilium ? 'bpf' : 'iptables')) : undefined
  if (svc && stage === 'bpf') lbStep(ctx, svc, 'bpf')
  if (replyOfEntry(ctx)) {
    // the answer to a connection the node tracked: conntrack undoes the masquerade
  } else if (!(ctx.cilium && ctx.datapath.mode.hostRouting === 'bpf') || findNfEntry(ctx)) netfilterConntrackStep(ctx)
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

/**
 * The packet answers a connection netfilter tracked (its addresses are the entry's reply
 * tuple): the conntrack hop in the reply direction, and the source NAT of the request undone
 * when the entry shows one (reply destination = the node's address, original source = the pod).
 */
function replyOfEntry(ctx: WalkContext): boolean {
  for (const p of ctx.node?.nfConntrack ?? []) {
    const r = p.records.find(
      (x) =>
        x.reply.src === ctx.srcIp &&
        x.original.src === ctx.dstIp &&
        (ctx.dstPort === undefined || x.original.sport === undefined || x.original.sport === ctx.dstPort),
    )
    if (!r) continue
    const evidence = [cite(p.source, [r.line])]
    addHop(ctx, {
      kind: 'conntrack',
      host: ctx.nodeId,
      place: 'node',
      summary: `The packet is the answer of a connection netfilter tracked: it matches the reply direction of ${endpoint(r.original.src, r.original.sport)} → ${endpoint(r.original.dst, r.original.dport)}`,
      facts: { table: 'netfilter', entry: r.text.trim(), direction: 'reply' },
      evidence,
    })
    if (r.reply.dst !== r.original.src) {
      addHop(ctx, {
        kind: 'nat',
        host: ctx.nodeId,
        place: 'node',
        summary: `Netfilter conntrack undoes the masquerade: the answer reaches the node at ${r.reply.dst} and its destination goes back to ${r.original.src}`,
        facts: { type: 'masquerade', by: 'iptables', from: r.reply.dst, to: r.original.src },
        reverse: true,
        evidence,
        packet: { dstIp: r.original.src },
      })
    }
    return true
  }
  return false
}
