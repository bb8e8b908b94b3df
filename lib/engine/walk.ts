/**
 * inferEgressWalk: the hops of a pod → elsewhere packet, in the order the packet meets them,
 * each resting on the lines that prove it. The order follows Cilium's datapath (see
 * shared/research/datapath.md §2): pod route → ARP → veth → from-container → Cilium CT →
 * (legacy host routing: netfilter CT) → node route → masquerade → node ARP → egress device
 * program → out. Tunnel mode to a remote pod leaves through the overlay; a local pod is delivered.
 */
import type { Capture } from '@/lib/model/capture'
import { WALK_FORMAT, type Walk } from '@/lib/model/walk'
import type { WalkContext } from './context'
import { detectDatapath } from './datapath'
import { buildFacts, type Facts } from './facts'
import { pickHosts } from './hosts'
import { lookupRoute } from './route-lookup'
import { checkPorts, checkRouterIp } from './checks'
import { routeStep } from './steps/route'
import { neighborStep } from './steps/neighbor'
import { vethStep } from './steps/veth'
import { bpfStep } from './steps/bpf'
import { ciliumConntrackStep, findNfEntry, netfilterConntrackStep } from './steps/conntrack'
import { destinationInCluster, natStep } from './steps/nat'
import { deliverStep, egressStep, tunnelStep } from './steps/egress'

function newContext(capture: Capture, facts: Facts): WalkContext {
  const hosts = pickHosts(capture, facts)
  const datapath = detectDatapath(capture, hosts)
  const { source, destination } = capture.flow
  const ctx: WalkContext = {
    capture,
    facts,
    pod: hosts.pod,
    node: hosts.node,
    agent: hosts.agent,
    podId: hosts.pod?.id ?? source.pod ?? 'pod',
    nodeId: hosts.node?.id ?? hosts.nodeName ?? 'node',
    agentId: hosts.agent?.id ?? (hosts.nodeName ? `cilium agent on ${hosts.nodeName}` : 'cilium agent'),
    srcIp: source.ip,
    dstIp: destination.ip,
    dstPort: destination.protocol === 'icmp' ? undefined : destination.port,
    protocol: destination.protocol,
    datapath,
    hops: [],
    warnings: [...hosts.warnings, ...datapath.warnings],
    packet: {
      srcIp: source.ip,
      dstIp: destination.ip,
      dstPort: destination.protocol === 'icmp' ? undefined : destination.port,
      protocol: destination.protocol,
    },
    portsSeen: [],
  }
  if (destination.service) {
    ctx.warnings.push(
      `The destination is the service ${destination.service}: the engine walks the packet to ${destination.ip} as addressed and does not infer the service translation (lb hop).`,
    )
  }
  if (capture.cluster.cni !== 'cilium') {
    ctx.warnings.push(`The cluster's CNI is ${capture.cluster.cni}: the engine knows Cilium's datapath, so Cilium-specific hops below may not apply.`)
  }
  return ctx
}

function isLocalEndpoint(ctx: WalkContext): boolean {
  for (const p of ctx.agent?.endpoints ?? []) if (p.records.some((r) => r.ipv4 === ctx.dstIp)) return true
  return false
}

export function inferEgressWalk(capture: Capture, facts: Facts): Walk {
  const ctx = newContext(capture, facts)
  const mode = ctx.datapath.mode

  // 1–2: inside the pod
  const podRoute = routeStep(ctx, { hf: ctx.pod, hostId: ctx.podId, place: 'pod', label: 'Pod', src: ctx.srcIp })
  const podDevice = podRoute.device ?? 'eth0'
  const nextHop = podRoute.gateway ?? (podRoute.device ? ctx.dstIp : undefined)
  const gw = nextHop ? neighborStep(ctx, { hf: ctx.pod, hostId: ctx.podId, place: 'pod', label: 'The pod', nextHop, device: podDevice }) : {}

  // 3–5: across the veth into Cilium's program
  const veth = vethStep(ctx, { podDevice, gatewayMac: gw.mac })
  bpfStep(ctx, { device: veth.device, direction: 'ingress', required: true, expected: 'from-container', withMonitor: true })
  ciliumConntrackStep(ctx)
  checkRouterIp(ctx, podRoute.gateway)

  const inCluster = destinationInCluster(ctx)
  if (isLocalEndpoint(ctx)) {
    mode.basis.push(`${ctx.dstIp} is an endpoint of this node: from-container delivers it locally, without the host's routing`)
    const { decision } = lookupRoute({ routes: ctx.node?.routes ?? [], rules: ctx.node?.rules ?? [], dst: ctx.dstIp, src: ctx.srcIp })
    deliverStep(ctx, { decision, device: decision?.route.device, gateway: decision?.route.gateway })
    return finish(ctx)
  }
  if (mode.routing === 'tunnel' && inCluster) {
    mode.basis.push(`no masquerade: ${inCluster}`)
    tunnelStep(ctx)
    return finish(ctx)
  }

  // 6: netfilter sees the packet only when it goes through the host stack
  const bpfHostRouting = mode.hostRouting === 'bpf'
  if (bpfHostRouting) {
    mode.basis.push(
      'BPF host routing: from-container redirects the packet to the egress device itself (bpf_redirect_neigh), skipping netfilter: no netfilter conntrack and no iptables NAT on this path',
    )
  } else if (mode.hostRouting === 'legacy' || findNfEntry(ctx)) {
    if (!mode.hostRouting) mode.basis.push('host routing legacy: netfilter conntrack shows the flow, so it went through the host stack')
    netfilterConntrackStep(ctx)
  } else {
    ctx.warnings.push(
      `Whether the packet goes through netfilter on ${ctx.nodeId} is unknown: the host routing mode (legacy or BPF) was not captured (\`cilium status\` on ${ctx.agentId} prints it).`,
    )
  }

  // 7: the node's routing decision
  const nodeRoute = routeStep(ctx, {
    hf: ctx.node,
    hostId: ctx.nodeId,
    place: 'node',
    label: 'Node',
    src: ctx.srcIp,
    iif: veth.device,
    note: bpfHostRouting ? 'With BPF host routing, from-container looks this table up itself (bpf_fib_lookup)' : undefined,
  })
  if (nodeRoute.device?.startsWith('lxc')) {
    deliverStep(ctx, nodeRoute)
    return finish(ctx)
  }

  // 8–10: masquerade, next hop, the egress device's program
  const outDevice = nodeRoute.device
  if (mode.masquerade !== 'bpf') natStep(ctx, { outDevice })
  if (outDevice) {
    neighborStep(ctx, { hf: ctx.node, hostId: ctx.nodeId, place: 'node', label: 'The node', nextHop: nodeRoute.gateway ?? ctx.dstIp, device: outDevice })
    bpfStep(ctx, { device: outDevice, direction: 'egress', required: mode.masquerade === 'bpf' && !inCluster, expected: 'to-netdev' })
  }
  if (mode.masquerade === 'bpf') natStep(ctx, { outDevice })

  // 11: out
  egressStep(ctx, nodeRoute)
  return finish(ctx)
}

function finish(ctx: WalkContext): Walk {
  checkPorts(ctx)
  return {
    format: WALK_FORMAT,
    flow: ctx.capture.flow,
    hops: ctx.hops,
    warnings: [...new Set(ctx.warnings)],
    datapath: ctx.datapath.mode,
  }
}

/** The engine's single entry point: a validated capture in, a walk out. */
export function inferWalk(capture: Capture): Walk {
  // the walk only reads the flow's own CT/NAT/conntrack entries, which all mention the source pod
  return inferEgressWalk(capture, buildFacts(capture, { focus: [capture.flow.source.ip] }))
}
