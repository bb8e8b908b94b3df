/**
 * inferEgressWalk: the hops of a packet leaving a pod, in the order the packet meets them, each
 * resting on the lines that prove it. The order follows the datapath (see
 * shared/research/datapath.md §2): pod route → ARP → veth → (Cilium: from-container → service LB →
 * Cilium CT) → (host stack: netfilter CT → kube-proxy DNAT) → node route → masquerade → node ARP →
 * egress device program → out. Tunnel mode to a remote pod leaves through the overlay; a local pod
 * is delivered; when the capture holds the destination's node, the walk follows the packet there.
 */
import type { Capture, HostRole } from '@/lib/model/capture'
import { WALK_FORMAT, type ProveAt, type Walk } from '@/lib/model/walk'
import { cidrContains, isIPv4, parseCidr } from '@/lib/net'
import { addHop, type WalkContext } from './context'
import { ciliumOnPath, detectDatapath } from './datapath'
import { buildFacts, cite, type Facts, type HostFacts } from './facts'
import { pickHosts, type WalkHosts } from './hosts'
import { needsOf } from './needs'
import { buildTopology, isPodDevice } from '@/lib/topology'
import { replyFlow, walkReply } from './reply'
import { outsideEntry, walkFromOutside, type OutsideEntry } from './simulate/from-outside'
import { lookupRoute } from './route-lookup'
import { checkPorts, checkRouterIp, checkSourceSeen } from './checks'
import { lookupIpcache, HOST_IDENTITY, WORLD_IDENTITY } from './ipcache'
import { routeStep, type RouteOutcome } from './steps/route'
import { neighborStep } from './steps/neighbor'
import { vethStep } from './steps/veth'
import { bpfStep } from './steps/bpf'
import { ciliumConntrackStep, findNfEntry, netfilterConntrackStep } from './steps/conntrack'
import { destinationInCluster, natStep } from './steps/nat'
import { deliverStep, egressStep, findRemoteSide, remoteArrivalSteps, tunnelStep, tunnelUnderlayStep } from './steps/egress'
import { expectedTranslator, findService, lbStep, provenTranslator, type ServiceMatch } from './steps/lb'
import { observeStep } from './steps/observe'

function newContext(capture: Capture, facts: Facts, topology = buildTopology(capture, facts), entry?: OutsideEntry): WalkContext {
  const hosts = entry?.hosts ?? pickHosts(capture, facts, topology)
  const datapath = detectDatapath(capture, hosts, facts)
  const onPath = ciliumOnPath(capture, hosts)
  if (onPath.basis) datapath.mode.basis.push(onPath.basis)
  datapath.mode.basis.push(...hosts.assumptions)
  const { source, destination } = capture.flow
  const dstPort = destination.protocol === 'icmp' ? undefined : destination.port
  return {
    capture,
    facts,
    topology,
    pod: hosts.pod,
    node: hosts.node,
    agent: hosts.agent,
    podId: hosts.pod?.id ?? source.pod ?? 'pod',
    nodeId: hosts.node?.id ?? hosts.nodeName ?? 'node',
    agentId: hosts.agent?.id ?? (hosts.nodeName ? `cilium agent on ${hosts.nodeName}` : 'cilium agent'),
    ...placesOf(hosts, source.pod, source.ip),
    srcIp: source.ip,
    dstIp: destination.ip,
    dstPort,
    flowDstIp: destination.ip,
    flowDstPort: dstPort,
    protocol: destination.protocol,
    datapath,
    cilium: onPath.cilium,
    hops: [],
    warnings: [...facts.warnings, ...hosts.warnings, ...datapath.warnings],
    packet: { srcIp: source.ip, dstIp: destination.ip, dstPort, protocol: destination.protocol },
    portsSeen: [],
  }
}

/** Where the pod, node and agent commands run, as a collector can resolve them. */
function placesOf(hosts: WalkHosts, podName: string | undefined, podIp: string): Pick<WalkContext, 'podAt' | 'nodeAt' | 'agentAt'> {
  const nodeName = hosts.node?.host.name ?? hosts.nodeName
  const at = (hf: HostFacts | undefined, role: HostRole, fallback: string): ProveAt =>
    hf ? { host: hf.id, role, node: role === 'node' ? hf.host.name : (hf.host.node ?? nodeName), inCapture: true } : { host: fallback, role, node: nodeName, inCapture: false }
  return {
    podAt: !hosts.pod && !podName ? { host: podIp, role: 'pod', ...(nodeName ? { node: nodeName } : {}), inCapture: false, ip: podIp } : at(hosts.pod, 'pod', podName ?? podIp),
    nodeAt: at(hosts.node, 'node', nodeName ?? 'node'),
    agentAt: at(hosts.agent, 'agent', nodeName ?? 'node'),
  }
}

/** IPv6 and non-addresses stop the walk before any hop: one clear sentence, no guess. */
function unsupportedFlow(capture: Capture): string | undefined {
  const { source, destination } = capture.flow
  const bad = [source.ip, destination.ip].filter((ip) => !isIPv4(ip))
  if (!bad.length) return undefined
  if (bad.some((ip) => ip.includes(':'))) {
    return `IPv6 is not supported yet: the engine walks IPv4 flows only, and this flow is ${source.ip} → ${destination.ip}. No hop is inferred.`
  }
  return `${bad.map((b) => `"${b}"`).join(' and ')} ${bad.length > 1 ? 'are not IPv4 addresses' : 'is not an IPv4 address'}: no hop is inferred.`
}

/** Why the (current) destination is a pod of this node, or undefined. */
function localEndpoint(ctx: WalkContext): string | undefined {
  for (const p of ctx.agent?.endpoints ?? []) {
    const e = p.records.find((r) => r.ipv4 === ctx.dstIp)
    if (e) return `${ctx.dstIp} is endpoint ${e.id} of this node (\`${p.source.command}\` L${e.line})`
  }
  for (const p of ctx.node?.routes ?? []) {
    const r = p.records.find((x) => x.destination === `${ctx.dstIp}/32` && isPodDevice(x.device))
    if (r) return `the node routes ${ctx.dstIp} to its veth ${r.device} (\`${p.source.command}\` L${r.line})`
  }
  const hit = lookupIpcache(ctx, ctx.dstIp)
  const id = hit?.record.identity
  if (hit?.own && hit.record.prefix === `${ctx.dstIp}/32` && hit.record.tunnelEndpoint === '0.0.0.0' && id !== undefined && id !== HOST_IDENTITY && id !== WORLD_IDENTITY && (id === 4 || id >= 256)) {
    return `the node's ipcache has ${ctx.dstIp} (identity ${id}) with no tunnel endpoint: a local endpoint (\`${hit.source.command}\` L${hit.record.line})`
  }
  return undefined
}

/** A route on cilium_host that covers the destination: Cilium's local pod range (native) or a remote one (tunnel). */
function viaCiliumHost(ctx: WalkContext, route: RouteOutcome): 'local' | 'tunnel' | undefined {
  const r = route.decision?.route
  if (!r || r.device !== 'cilium_host') return undefined
  if ((parseCidr(r.destination)?.prefixLength ?? 0) === 0 || !cidrContains(r.destination, ctx.dstIp)) return undefined
  // tunnel mode installs remote pod CIDRs via the router IP with the tunnel's smaller MTU
  return ctx.datapath.mode.routing === 'tunnel' || r.mtu !== undefined ? 'tunnel' : 'local'
}

function stopWithoutBackend(ctx: WalkContext, svc: ServiceMatch): Walk {
  ctx.warnings.push(
    `The walk stops after the service translation: the backend of ${svc.frontend} is not known, so the node's routing decision for it cannot be made.`,
  )
  return finish(ctx)
}

export function inferEgressWalk(capture: Capture, facts: Facts): Walk {
  const topology = buildTopology(capture, facts)
  const entry = outsideEntry(capture, facts, topology)
  const ctx = newContext(capture, facts, topology, entry)
  const unsupported = unsupportedFlow(capture)
  if (unsupported) return { format: WALK_FORMAT, flow: capture.flow, hops: [], warnings: [unsupported], datapath: ctx.datapath.mode }
  if (entry) return walkFromOutside(ctx, entry, finish)
  checkSourceSeen(ctx)
  const mode = ctx.datapath.mode
  const svc = findService(ctx)
  const lbStage = svc ? (provenTranslator(ctx, svc) ?? expectedTranslator(ctx, svc) ?? (ctx.cilium ? 'bpf' : 'iptables')) : undefined

  // 1–2: inside the pod
  const podRoute = routeStep(ctx, { hf: ctx.pod, hostId: ctx.podId, place: 'pod', label: 'Pod', src: ctx.srcIp })
  if (podRoute.decision?.route.type === 'local') {
    // the pod's own address: the kernel loops it back inside the pod, nothing crosses the veth
    addHop(ctx, {
      kind: 'deliver',
      host: ctx.podId,
      place: 'pod',
      summary: `${ctx.dstIp} is the pod's own address (local table): the packet is delivered inside the pod over lo and never leaves it`,
      facts: { device: 'lo', ip: ctx.dstIp },
      evidence: [cite(podRoute.decision.source, [podRoute.decision.route.line])],
    })
    return finish(ctx)
  }
  const podDevice = podRoute.device ?? 'eth0'
  const nextHop = podRoute.gateway ?? (podRoute.device ? ctx.dstIp : undefined)
  const gw = nextHop ? neighborStep(ctx, { hf: ctx.pod, hostId: ctx.podId, place: 'pod', label: 'The pod', nextHop, device: podDevice, podGateway: podRoute.gateway !== undefined }) : {}

  // 3–5: across the veth; with Cilium, into from-container (service LB, CT)
  const veth = vethStep(ctx, { podDevice, gatewayMac: gw.mac })
  if (ctx.cilium) {
    bpfStep(ctx, {
      device: veth.device ?? veth.guess?.device,
      direction: 'ingress',
      required: true,
      expected: 'from-container',
      withMonitor: true,
      guessed: veth.device ? undefined : veth.guess?.why,
    })
  }
  if (svc && lbStage === 'bpf') {
    lbStep(ctx, svc, 'bpf')
    if (ctx.backendUnknown) return stopWithoutBackend(ctx, svc)
  }
  if (ctx.cilium) {
    ciliumConntrackStep(ctx)
    checkRouterIp(ctx, podRoute.gateway)
  }

  const local = ctx.cilium ? localEndpoint(ctx) : undefined
  if (local) {
    mode.basis.push(`${local}: from-container delivers it locally, without the host's routing`)
    const { decision } = lookupRoute({ routes: (ctx.node?.routes ?? []).filter((p) => p.source.failure === undefined), rules: ctx.node?.rules ?? [], dst: ctx.dstIp, src: ctx.srcIp })
    deliverStep(ctx, { decision, device: decision?.route.device, gateway: decision?.route.gateway })
    return finish(ctx)
  }
  const inCluster = destinationInCluster(ctx)
  if (ctx.cilium && mode.routing === 'tunnel' && inCluster) {
    mode.basis.push(`no masquerade: ${inCluster}`)
    return tunnelPath(ctx)
  }

  // 6: netfilter sees the packet only when it goes through the host stack
  const bpfHostRouting = ctx.cilium && mode.hostRouting === 'bpf'
  if (bpfHostRouting) {
    mode.basis.push(
      'BPF host routing: from-container redirects the packet to the egress device itself (bpf_redirect_neigh), skipping netfilter: no netfilter conntrack and no iptables NAT on this path',
    )
  } else if (!ctx.cilium || mode.hostRouting === 'legacy' || findNfEntry(ctx)) {
    if (ctx.cilium && !mode.hostRouting) mode.basis.push('host routing legacy: netfilter conntrack shows the flow, so it went through the host stack')
    netfilterConntrackStep(ctx)
  } else {
    ctx.warnings.push(
      `Whether the packet goes through netfilter on ${ctx.nodeId} is unknown: the host routing mode (legacy or BPF) was not captured (\`cilium status\` on ${ctx.agentId} prints it).`,
    )
  }
  if (svc && lbStage === 'iptables') {
    lbStep(ctx, svc, 'iptables')
    if (ctx.backendUnknown) return stopWithoutBackend(ctx, svc)
  }

  // 7: the node's routing decision
  const nodeRoute = routeStep(ctx, {
    hf: ctx.node,
    hostId: ctx.nodeId,
    place: 'node',
    label: 'Node',
    src: ctx.srcIp,
    iif: veth.device,
    forwards: true,
    note: bpfHostRouting ? 'With BPF host routing, from-container looks this table up itself (bpf_fib_lookup)' : undefined,
  })
  if (isPodDevice(nodeRoute.device)) {
    deliverStep(ctx, nodeRoute)
    return finish(ctx)
  }
  const hostRange = ctx.cilium ? viaCiliumHost(ctx, nodeRoute) : undefined
  if (hostRange === 'local') {
    deliverStep(ctx, nodeRoute)
    return finish(ctx)
  }
  if (hostRange === 'tunnel') {
    mode.basis.push(`${ctx.dstIp} is in a pod range the node routes to cilium_host with a tunnel MTU: another node's pods, reached through the overlay`)
    return tunnelPath(ctx)
  }

  // 8–10: masquerade, next hop, the egress device's program
  const outDevice = nodeRoute.device
  const bpfMasq = ctx.cilium && mode.masquerade === 'bpf'
  if (!bpfMasq) natStep(ctx, { outDevice })
  if (outDevice) {
    neighborStep(ctx, { hf: ctx.node, hostId: ctx.nodeId, place: 'node', label: 'The node', nextHop: nodeRoute.gateway ?? ctx.dstIp, device: outDevice })
    if (ctx.cilium) bpfStep(ctx, { device: outDevice, direction: 'egress', required: bpfMasq && !inCluster, expected: 'to-netdev' })
  }
  if (bpfMasq) natStep(ctx, { outDevice })

  // 11: out, and in at the destination's node when the capture has it
  egressStep(ctx, nodeRoute)
  if (nodeRoute.device && (inCluster || ctx.capture.flow.destination.node)) {
    const side = findRemoteSide(ctx, nodeRoute.gateway)
    if (side) remoteArrivalSteps(ctx, side, { nextHop: nodeRoute.gateway })
  }
  return finish(ctx)
}

/** Tunnel mode to another node's pod: encapsulation, the outer packet's way out, arrival on the peer. */
function tunnelPath(ctx: WalkContext): Walk {
  const remote = tunnelStep(ctx)
  if (remote) tunnelUnderlayStep(ctx, remote)
  const side = findRemoteSide(ctx, remote)
  if (side) remoteArrivalSteps(ctx, side, { tunnelDevice: ctx.datapath.mode.tunnelType === 'geneve' ? 'cilium_geneve' : 'cilium_vxlan' })
  return finish(ctx)
}

/** The context each walk ended with: the reply is walked from where the request's walk stopped. */
const endedWith = new WeakMap<Walk, WalkContext>()

function finish(ctx: WalkContext): Walk {
  checkPorts(ctx)
  observeStep(ctx)
  const walk: Walk = {
    format: WALK_FORMAT,
    flow: ctx.capture.flow,
    hops: ctx.hops,
    warnings: [...new Set(ctx.warnings)],
    needs: needsOf(ctx.hops),
    datapath: ctx.datapath.mode,
  }
  endedWith.set(walk, ctx)
  return walk
}

export interface WalkOptions {
  /** walk the reply of the capture's flow (`walk --reply`) */
  reply?: boolean
}

/** The engine's single entry point: a validated capture in, a walk out. */
export function inferWalk(capture: Capture, opts: WalkOptions = {}): Walk {
  // the walk only reads the flow's own CT/NAT/conntrack entries, which all mention the source pod
  const forward = inferEgressWalk(capture, buildFacts(capture, { focus: [capture.flow.source.ip] }))
  if (!opts.reply) return forward
  const ended = endedWith.get(forward)
  if (!ended || forward.hops.length === 0) {
    return { ...forward, flow: replyFlow(forward), hops: [], needs: [], reply: true, warnings: [...forward.warnings, 'The reply is not walked: the request itself could not be walked.'] }
  }
  const ctx = walkReply(ended, forward)
  return {
    format: WALK_FORMAT,
    flow: replyFlow(forward),
    reply: true,
    hops: ctx.hops,
    warnings: [...new Set(ctx.warnings)],
    needs: needsOf(ctx.hops),
    datapath: ctx.datapath.mode,
  }
}
