/**
 * Egress, tunnel and deliver steps: how the packet leaves the node — on a device towards a next
 * hop, into an overlay tunnel, or into a local pod's namespace — and, when the capture holds the
 * destination's node, how it arrives there.
 */
import type { Evidence } from '@/lib/model/walk'
import { cidrContains, parseCidr } from '@/lib/net'
import { addHop, addUnproven, type WalkContext } from '../context'
import { cite, type HostFacts } from '../facts'
import { lookupIpcache, tunnelEndpointOf, type IpcacheHit } from '../ipcache'
import { lookupRoute } from '../route-lookup'
import type { RouteOutcome } from './route'
import { routeStep } from './route'
import { bpfStep, sourceSide, type NodeSide } from './bpf'
import { interfaceMac, neighborMac } from './neighbor'
import { enterPod } from '../simulate/enter-pod'
import type { Device } from '@/lib/model/topology'
import type { OuterHeader } from '@/lib/model/walk'
import { deviceHoldingAddress, isPodDevice, netnsOfHost } from '@/lib/topology'

export function egressStep(ctx: WalkContext, route: RouteOutcome, opts: { outer?: string } = {}): void {
  if (!route.device || !route.decision) return
  const r = route.decision.route
  const what = opts.outer ? `The ${opts.outer}` : 'The packet'
  addHop(ctx, {
    kind: 'egress',
    host: ctx.nodeId,
    place: 'world',
    summary: `${what} leaves ${ctx.nodeId} on ${route.device}${route.gateway ? ` towards the next hop ${route.gateway}` : ''}${opts.outer ? '' : `, source ${ctx.packet.srcIp ?? ctx.srcIp}`}`,
    facts: { device: route.device, nextHop: route.gateway },
    evidence: [cite(route.decision.source, [r.line])],
  })
}

/** A command for a sentence: raw map lookups carry a long hex key that says nothing more. */
function shortCommand(command: string): string {
  return command.length > 60 ? command.replace(/\s+key\s+hex\s+[0-9a-f ]+$/i, ' key hex …') : command
}

function ipcacheLabel(hit: IpcacheHit): string {
  const r = hit.record
  return `\`${shortCommand(hit.source.command)}\` on ${hit.source.host} L${r.line}: ${r.prefix} ${r.identity !== undefined ? `identity ${r.identity}` : 'no identity printed'}, ${r.tunnelEndpoint !== undefined ? `tunnelendpoint ${r.tunnelEndpoint}` : 'no tunnel endpoint printed'}${hit.own ? '' : ` (another node's copy of the ipcache, which Cilium keeps the same cluster-wide)`}`
}

/**
 * Tunnel mode, destination a pod on another node: from-container encapsulates and redirects to
 * the tunnel device itself. The remote node comes from the ipcache's tunnel endpoint.
 * Returns the remote node's address when the capture proves it.
 */
export function tunnelStep(ctx: WalkContext): string | undefined {
  const type = ctx.datapath.mode.tunnelType ?? 'vxlan'
  const device = type === 'geneve' ? 'cilium_geneve' : 'cilium_vxlan'
  const evidence: Evidence[] = [...ctx.datapath.evidence.routing]
  const hit = lookupIpcache(ctx, ctx.dstIp)
  const remote = tunnelEndpointOf(hit)
  if (hit && remote) {
    addHop(ctx, {
      kind: 'tunnel',
      host: ctx.nodeId,
      place: 'node',
      summary: `Tunnel routing: from-container looks ${ctx.dstIp} up in the ipcache (${ipcacheLabel(hit)}), encapsulates the packet (${type}) and sends it through ${device} to the node ${remote}`,
      facts: { device, type, remote, identity: hit.record.identity !== undefined ? String(hit.record.identity) : undefined },
      evidence: [...evidence, hit.evidence],
      l2: {},
      packet: { outer: outerHeader(ctx, type, remote) },
    })
    return remote
  }
  const why = hit
    ? `${ipcacheLabel(hit)} names no remote node for ${ctx.dstIp}${hit.own ? '' : ' (in that copy it is local to its own node)'}`
    : `the tunnel endpoint of ${ctx.dstIp} is in Cilium's ipcache, which was not captured`
  addUnproven(ctx, {
    kind: 'tunnel',
    host: ctx.nodeId,
    place: 'node',
    summary: `Tunnel routing: from-container encapsulates the packet (${type}) and sends it to ${device} towards the destination's node (remote not captured)`,
    facts: { device, type },
    evidence: hit ? [...evidence, hit.evidence] : evidence,
    l2: {},
    prove: { ...ctx.agentAt, command: `cilium map get cilium_ipcache`, why },
  })
  return undefined
}

/** The outer header Cilium writes: UDP from this node to the remote node, its default port, the VNI as the source identity. */
function outerHeader(ctx: WalkContext, type: 'vxlan' | 'geneve', remote: string): OuterHeader {
  const node = ctx.node ? netnsOfHost(ctx.topology, ctx.node.id) : undefined
  const routes = (ctx.node?.routes ?? []).filter((p) => p.source.failure === undefined)
  const out = lookupRoute({ routes, rules: ctx.node?.rules ?? [], dst: remote }).decision?.route
  const srcIp = out?.src ?? node?.devices.find((d) => d.name === out?.device)?.addresses.find((a) => a.family === 'inet')?.ip
  return { type, protocol: 'udp', dstIp: remote, dstPort: type === 'geneve' ? 6081 : 8472, ...(srcIp ? { srcIp } : {}) }
}

/** The outer packet of the tunnel: the node's route to the remote node, and out. */
export function tunnelUnderlayStep(ctx: WalkContext, remote: string): RouteOutcome | undefined {
  const usable = (ctx.node?.routes ?? []).some((p) => p.source.failure === undefined && p.records.length > 0)
  if (!usable) return undefined
  const route = routeStep(ctx, { hf: ctx.node, hostId: ctx.nodeId, place: 'node', label: `Node routing table (outer ${ctx.datapath.mode.tunnelType ?? 'vxlan'} packet)`, dst: remote })
  egressStep(ctx, route, { outer: `encapsulated packet (outer destination ${remote})` })
  return route
}

/** The device of a captured host's namespace that holds `ip` (lib/topology answers it). */
function interfaceHolding(ctx: WalkContext, hf: HostFacts | undefined, ip: string): Device | undefined {
  return hf ? deviceHoldingAddress(netnsOfHost(ctx.topology, hf.id), ip) : undefined
}

/** The destination's node in the capture: named by the flow, or holding the remote address. */
export function findRemoteSide(ctx: WalkContext, remoteIp: string | undefined): NodeSide | undefined {
  const all = Object.values(ctx.facts.hosts)
  const want = ctx.capture.flow.destination.node
  const srcNode = ctx.node?.host.name ?? ctx.capture.flow.source.node
  let name: string | undefined = want && want !== srcNode ? want : undefined
  let node = name ? all.find((h) => h.host.role === 'node' && (h.host.name === name || h.id === name)) : undefined
  if (!node && remoteIp) {
    node = all.find((h) => h.host.role === 'node' && h !== ctx.node && interfaceHolding(ctx, h, remoteIp) !== undefined)
    name ??= node?.host.name
  }
  const agent = name ? all.find((h) => h.host.role === 'agent' && h.host.node === name) : undefined
  if (!node && !agent) return undefined
  const nodeId = node?.id ?? name ?? 'remote node'
  const nodeName = node?.host.name ?? name ?? nodeId
  return {
    node,
    agent,
    nodeId,
    agentId: agent?.id ?? `cilium agent on ${nodeId}`,
    nodeAt: node ? { host: node.id, role: 'node', node: nodeName, inCapture: true } : { host: nodeName, role: 'node', node: nodeName, inCapture: false },
    agentAt: agent ? { host: agent.id, role: 'agent', node: nodeName, inCapture: true } : { host: nodeName, role: 'agent', node: nodeName, inCapture: false },
  }
}

/**
 * The packet reaches the destination's node: tunnel mode decapsulates on the tunnel device
 * (from-overlay); native routing arrives on the device holding the address the source node sent
 * it to (from-netdev when Cilium attached it). Then the pod is delivered.
 */
export function remoteArrivalSteps(ctx: WalkContext, side: NodeSide, opts: { tunnelDevice?: string; nextHop?: string }): void {
  if (opts.tunnelDevice) {
    // the kernel's tunnel device decapsulates before from-overlay runs: the outer header is gone
    if (ctx.packet.outer) {
      const { outer: _outer, ...inner } = ctx.packet
      ctx.packet = inner
    }
    bpfStep(ctx, { device: opts.tunnelDevice, direction: 'ingress', required: ctx.cilium, expected: 'from-overlay', on: side })
  } else {
    let device = opts.nextHop ? interfaceHolding(ctx, side.node, opts.nextHop)?.name : undefined
    if (!device) {
      // the native device the agent watches: a from-netdev program listed on the remote node
      for (const hf of [side.node, side.agent]) {
        for (const p of hf?.tcFilters ?? []) {
          if (p.source.info.direction === 'ingress' && p.source.info.device && p.records.some((r) => /from-netdev|from_netdev/.test(r.program ?? r.name ?? ''))) device ??= p.source.info.device
        }
        for (const p of hf?.bpftoolNet ?? []) {
          for (const r of p.records) if (r.direction === 'ingress' && /from-netdev|from_netdev/.test(r.program ?? r.name)) device ??= r.device
        }
      }
    }
    if (device && ctx.cilium) bpfStep(ctx, { device, direction: 'ingress', required: false, expected: 'from-netdev', on: side })
  }
  // native routing through the host stack: the destination node routes the pod's address itself
  // (tunnel mode and BPF host routing hand the packet to the endpoint without that lookup)
  const routed = !opts.tunnelDevice && ctx.datapath.mode.hostRouting !== 'bpf' && (side.node?.routes ?? []).some((p) => p.source.failure === undefined && p.records.length > 0)
  if (routed && side.node) {
    const outcome = routeStep(ctx, { hf: side.node, hostId: side.nodeId, place: 'node', label: `Destination node ${side.nodeId}`, forwards: true })
    deliverStep(ctx, outcome, side)
    return
  }
  const route = side.node
    ? lookupRoute({ routes: side.node.routes.filter((p) => p.source.failure === undefined), rules: side.node.rules, dst: ctx.dstIp }).decision
    : undefined
  deliverStep(ctx, { decision: route, device: route?.route.device, gateway: route?.route.gateway }, side)
}

/** The destination is a pod on this node (or on `side`): the route points at its veth, or Cilium delivers it to its lxc. */
export function deliverStep(ctx: WalkContext, route: RouteOutcome, on?: NodeSide): void {
  const side = on ?? sourceSide(ctx)
  const dev = route.device
  if (isPodDevice(dev) && route.decision) {
    // endpoint routes: to-container runs on the lxc egress (optional: only attached with endpoint routes)
    if (ctx.cilium && dev.startsWith('lxc')) bpfStep(ctx, { device: dev, direction: 'egress', required: false, expected: 'to-container', on: side })
    // the frame into the pod: from the veth's node end to the pod's eth0, when the node's outputs show them
    if (enterPod(ctx, side, dev)) return
    const src = interfaceMac(side.node, dev)
    const dst = neighborMac(side.node, ctx.dstIp, dev)
    addHop(ctx, {
      kind: 'deliver',
      host: side.nodeId,
      place: 'pod',
      summary: `${ctx.dstIp} is a pod on ${side.nodeId}: the route ${route.decision.route.destination} points at its veth ${dev}, and the packet is delivered into its namespace`,
      facts: { device: dev, ip: ctx.dstIp },
      evidence: [cite(route.decision.source, [route.decision.route.line]), ...(src ? [src.evidence] : []), ...(dst ? [dst.evidence] : [])],
      l2: { srcMac: src?.mac, dstMac: dst?.mac },
    })
    return
  }
  const monitorDev = monitorDelivery(ctx, side)
  if (monitorDev && enterPod(ctx, side, monitorDev.device)) return
  if (monitorDev) {
    addHop(ctx, {
      kind: 'deliver',
      host: side.nodeId,
      place: 'pod',
      summary: `${ctx.dstIp} is a pod on ${side.nodeId}: \`${monitorDev.command}\` shows the packet handed to ${monitorDev.endpointId !== undefined ? `endpoint ${monitorDev.endpointId}` : 'an endpoint (id not printed)'} on ${monitorDev.device}`,
      facts: { device: monitorDev.device, ip: ctx.dstIp },
      evidence: [monitorDev.evidence],
      l2: {},
    })
    return
  }
  const viaHost = dev === 'cilium_host' && route.decision && (parseCidr(route.decision.route.destination)?.prefixLength ?? 0) > 0 && cidrContains(route.decision.route.destination, ctx.dstIp)
  addUnproven(ctx, {
    kind: 'deliver',
    host: side.nodeId,
    place: 'pod',
    summary: `${ctx.dstIp} is a pod on ${side.nodeId}: ${ctx.cilium ? 'Cilium delivers the packet to its lxc device' : 'the packet is delivered to its veth'} (device not identified)${viaHost ? `; the node routes ${route.decision?.route.destination} to cilium_host, Cilium's local pod range` : ''}`,
    facts: { ip: ctx.dstIp },
    evidence: route.decision ? [cite(route.decision.source, [route.decision.route.line])] : [],
    prove: ctx.cilium
      ? { ...side.agentAt, command: 'cilium endpoint list', why: `no output maps ${ctx.dstIp} to its lxc device` }
      : { ...side.nodeAt, command: 'ip route', why: `no route of ${side.nodeId} names ${ctx.dstIp}'s veth` },
    l2: {},
  })
}

/** `-> endpoint N … ifindex lxcX: … -> <dst>` in the agent's monitor: the endpoint's device. */
function monitorDelivery(ctx: WalkContext, side: NodeSide): { device: string; endpointId?: number; command: string; evidence: Evidence } | undefined {
  for (const p of side.agent?.ciliumMonitor ?? []) {
    const r = p.records.find((x) => x.arrow === '->' && x.point === 'endpoint' && x.dst === ctx.dstIp && x.ifindex !== undefined && /^lxc/.test(x.ifindex))
    if (r?.ifindex) return { device: r.ifindex, endpointId: r.endpointId, command: p.source.command, evidence: cite(p.source, [r.line]) }
  }
  return undefined
}
