/**
 * The reply of a walked flow (`walk --reply`): the answer comes back to the node the request
 * left, every translation made on the way out is undone from the entry that recorded it (same hop
 * kind, fact `reverse: true`), the node routes the pod's address to its veth, and the packet is
 * delivered on the pod's eth0. The forward walk is the guide: a reversed hop rests on the same
 * lines (a conntrack entry holds both directions of its connection), and what only the reply
 * meets — the node's route back to the pod, the program on the arrival device — is proven from
 * the capture like any other hop.
 */
import type { Capture, Flow } from '@/lib/model/capture'
import type { NfConntrackRecord } from '@/lib/model/records'
import type { Hop, Walk } from '@/lib/model/walk'
import { addHop, addUnproven, type WalkContext } from './context'
import { deviceHoldingAddress, netnsOfHost } from '@/lib/topology'
import { routeStep, type RouteOutcome } from './steps/route'
import { neighborStep } from './steps/neighbor'
import { egressStep } from './steps/egress'
import { bpfStep } from './steps/bpf'
import { buildFacts } from './facts'
import { sameProtocol } from './flow-match'

/** The reply's flow: from where the request went (the backend once a service translated it) back to the client. */
export function replyFlow(forward: Walk): Flow {
  const { source, destination } = forward.flow
  const lb = forward.hops.find((h) => h.kind === 'lb' && h.proven)
  const backend = typeof lb?.facts.backend === 'string' ? splitEndpoint(lb.facts.backend) : undefined
  const srcPort = clientPort(forward)
  // once a service is translated the reply comes from its backend, which is not the service
  const { service, ...answering } = destination
  return {
    source: backend ? { ...answering, ip: backend.ip, ...(backend.port !== undefined ? { port: backend.port } : {}) } : { ...answering, ...(service ? { service } : {}) },
    destination: {
      ip: source.ip,
      protocol: destination.protocol,
      ...(source.pod ? { pod: source.pod } : {}),
      ...(source.node ? { node: source.node } : {}),
      ...(srcPort !== undefined ? { port: srcPort } : {}),
    },
  }
}

function splitEndpoint(s: string): { ip: string; port?: number } {
  const m = /^(.*):(\d+)$/.exec(s)
  return m ? { ip: m[1] as string, port: Number(m[2]) } : { ip: s }
}

/** The client's source port, read from the entry of the flow the forward walk cited. */
function clientPort(forward: Walk): number | undefined {
  for (const h of forward.hops) {
    const entry = h.kind === 'conntrack' ? h.facts.entry : undefined
    if (typeof entry !== 'string') continue
    const m = /sport=(\d+)/.exec(entry) ?? /:(\d+) ->/.exec(entry)
    if (m) return Number(m[1])
  }
  return undefined
}

const last = (hops: readonly Hop[], kind: Hop['kind'], host?: string) => [...hops].reverse().find((h) => h.kind === kind && (host === undefined || h.host === host))

/**
 * Walks the reply on the source node and into the pod. `fwd` is the context the forward walk
 * ended with; a fresh context (no hops, the reply's addresses) is built from it.
 */
export function walkReply(fwd: WalkContext, forward: Walk): WalkContext {
  const flow = replyFlow(forward)
  const podIp = fwd.srcIp
  const nat = last(forward.hops, 'nat', fwd.nodeId)
  const natTo = nat?.proven && typeof nat.facts.to === 'string' ? nat.facts.to : undefined
  const ctx: WalkContext = {
    ...fwd,
    hops: [],
    warnings: [],
    portsSeen: [],
    srcIp: flow.source.ip,
    dstIp: natTo ?? podIp,
    dstPort: flow.destination.port,
    flowDstIp: podIp,
    flowDstPort: flow.destination.port,
    backendUnknown: undefined,
    packet: { srcIp: flow.source.ip, dstIp: natTo ?? podIp, srcPort: flow.source.port, dstPort: flow.destination.port, protocol: flow.destination.protocol },
  }
  const leftOn = last(forward.hops, 'egress', fwd.nodeId)
  const tunnel = last(forward.hops, 'tunnel', fwd.nodeId)
  const remoteHops = forward.hops.filter((h) => h.host !== fwd.nodeId && h.host !== fwd.podId)
  if (remoteHops.length) {
    ctx.warnings.push(
      `The reply's hops on ${[...new Set(remoteHops.map((h) => h.host))].join(', ')} are not walked yet: the reply is followed from its arrival on ${fwd.nodeId}.`,
    )
  }

  // arrival on the node the request left from
  if (tunnel) {
    const device = typeof tunnel.facts.device === 'string' ? tunnel.facts.device : 'cilium_vxlan'
    bpfStep(ctx, { device, direction: 'ingress', required: true, expected: 'from-overlay' })
  } else if (leftOn && typeof leftOn.facts.device === 'string' && ctx.cilium) {
    bpfStep(ctx, { device: leftOn.facts.device, direction: 'ingress', required: false, expected: 'from-netdev' })
  }

  // the same netfilter entry matches the reply in its reply direction
  const nf = forward.hops.find((h) => h.kind === 'conntrack' && h.facts.table === 'netfilter' && h.proven)
  if (nf) {
    addHop(ctx, {
      kind: 'conntrack',
      host: nf.host,
      place: 'node',
      summary: `The reply matches the reply direction of the same netfilter conntrack entry: ${String(nf.facts.entry)}`,
      facts: { table: 'netfilter', entry: String(nf.facts.entry), direction: 'reply' },
      evidence: nf.evidence,
    })
  }

  // undo the source NAT: the entry that recorded the masquerade maps the node's address back to the pod
  if (nat) reverseNat(ctx, nat, podIp, nf)

  // the node routes the pod's address: to its veth (endpoint routes), or to cilium_host
  const route = routeStep(ctx, { hf: ctx.node, hostId: ctx.nodeId, place: 'node', label: 'Node (reply)', dst: podIp, src: ctx.srcIp, forwards: true })
  if (route.device && ctx.cilium) {
    if (route.device.startsWith('lxc')) bpfStep(ctx, { device: route.device, direction: 'egress', required: false, expected: 'to-container' })
    else if (route.device === 'cilium_host') bpfStep(ctx, { device: 'cilium_host', direction: 'egress', required: false, expected: 'from-host' })
  }

  // a service translation is undone from the same entry (RevNAT): the source goes back to the service address
  const lb = forward.hops.find((h) => h.kind === 'lb')
  if (lb) reverseLb(ctx, lb)

  if (fwd.pod || forward.hops.some((h) => h.kind === 'veth' && h.facts.fromHost === fwd.podId)) intoPod(ctx, forward, podIp)
  else outOfNode(ctx, route)
  return ctx
}

function reverseNat(ctx: WalkContext, nat: Hop, podIp: string, nf: Hop | undefined): void {
  const { type, by } = nat.facts
  const from = typeof nat.facts.to === 'string' ? nat.facts.to : undefined
  const entry = nat.evidence.length ? nat.evidence : (nf?.evidence ?? [])
  const facts = { type: String(type), by: String(by), from, to: podIp }
  if (nat.proven && from) {
    addHop(ctx, {
      kind: 'nat',
      host: nat.host,
      place: 'node',
      summary: `${by === 'bpf' ? "Cilium's BPF NAT table" : 'Netfilter conntrack'} undoes the ${String(type)}: the reply's destination ${from} goes back to the original source ${podIp}`,
      facts,
      reverse: true,
      evidence: nf && by !== 'bpf' ? [...nf.evidence, ...entry] : entry,
      packet: { dstIp: podIp },
    })
    return
  }
  addUnproven(ctx, {
    kind: 'nat',
    host: nat.host,
    place: 'node',
    summary: `The ${String(type)} made on the way out is undone: the reply's destination goes back to the original source ${podIp} (the translated address was not captured)`,
    facts,
    reverse: true,
    evidence: entry,
    packet: { dstIp: podIp },
    prove: by === 'bpf' ? { ...ctx.agentAt, command: 'cilium bpf nat list', why: 'the BPF NAT entry of the flow was not captured' } : { ...ctx.nodeAt, command: `conntrack -L -d ${podIp}`, why: 'the conntrack entry of the flow was not captured' },
  })
}

function reverseLb(ctx: WalkContext, lb: Hop): void {
  const { service, backend, by } = lb.facts
  if (lb.proven && typeof service === 'string' && typeof backend === 'string') {
    const svc = splitEndpoint(service)
    addHop(ctx, {
      kind: 'lb',
      host: lb.host,
      place: 'node',
      summary: `${by === 'bpf' ? `Cilium's reverse NAT (RevNAT${typeof lb.facts.revNat === 'string' ? ` ${lb.facts.revNat}` : ''})` : 'Netfilter conntrack'} rewrites the reply's source from the backend ${backend} back to the service ${service}: the client only ever sees the service address`,
      facts: { service, backend, by: String(by) },
      reverse: true,
      evidence: lb.evidence,
      packet: { srcIp: svc.ip, srcPort: svc.port },
    })
    return
  }
  addUnproven(ctx, {
    kind: 'lb',
    host: lb.host,
    place: 'node',
    summary: `The service translation is undone on the reply: its source goes back to the service ${String(service)} (which backend answered is not captured)`,
    facts: { service: typeof service === 'string' ? service : undefined, by: typeof by === 'string' ? by : undefined },
    reverse: true,
    evidence: lb.evidence,
    prove: lb.prove ?? { ...ctx.agentAt, command: 'cilium bpf ct list global', why: 'the entry of the flow was not captured' },
  })
}


/** The client is outside the cluster (a NodePort's caller): the reply leaves the node towards it. */
function outOfNode(ctx: WalkContext, route: RouteOutcome): void {
  if (!route.device) return
  neighborStep(ctx, { hf: ctx.node, hostId: ctx.nodeId, place: 'node', label: 'The node', nextHop: route.gateway ?? ctx.dstIp, device: route.device })
  egressStep(ctx, route)
}

/** Across the pod's veth, from the node end to eth0, and delivered there. */
function intoPod(ctx: WalkContext, forward: Walk, podIp: string): void {
  const veth = forward.hops.find((h) => h.kind === 'veth')
  if (veth?.proven) {
    addHop(ctx, {
      kind: 'veth',
      host: ctx.podId,
      place: 'pod',
      summary: `The reply crosses the veth pair from ${String(veth.facts.to)} on ${ctx.nodeId} to the pod's ${String(veth.facts.from)}`,
      facts: { from: String(veth.facts.to), to: String(veth.facts.from), fromHost: ctx.nodeId, toHost: ctx.podId },
      evidence: veth.evidence,
    })
  }
  const podDevice = veth && typeof veth.facts.from === 'string' ? veth.facts.from : 'eth0'
  const holder = ctx.pod ? deviceHoldingAddress(netnsOfHost(ctx.topology, ctx.pod.id), podIp) : undefined
  if (holder) {
    addHop(ctx, {
      kind: 'deliver',
      host: ctx.podId,
      place: 'pod',
      summary: `The reply reaches the pod: ${holder.name} holds ${podIp}, and the socket that sent the request receives the answer`,
      facts: { device: holder.name, ip: podIp },
      evidence: holder.evidence,
    })
  } else {
    addUnproven(ctx, {
      kind: 'deliver',
      host: ctx.podId,
      place: 'pod',
      summary: `The reply reaches the pod on ${podDevice} (${podIp}); the pod's addresses were not captured, so which device holds ${podIp} is not proven`,
      facts: { device: podDevice, ip: podIp },
      evidence: [],
      prove: { ...ctx.podAt, command: 'ip addr', why: `no address list of ${ctx.podId} was captured` },
    })
  }
}

/**
 * Whether the capture's flow is itself a reply: a netfilter conntrack entry of the capture holds
 * it in its reply direction (the entry's original source is the flow's destination, the entry's
 * reply source is the flow's source, same protocol and ports), or a Cilium CT entry was opened by
 * the flow's destination towards its source, and no entry holds the flow as a request.
 * The reply of such a flow would be the request again, walked as if it were an answer: tools that
 * derive reply walks (the goldens) ask this first.
 */
export function flowIsReply(capture: Capture): boolean {
  const { source, destination } = capture.flow
  const facts = buildFacts(capture, { focus: [source.ip, destination.ip] })
  const p = destination.protocol
  const proto = (r: NfConntrackRecord) => sameProtocol(r.protocol, p) || (r.protocolNumber !== undefined && sameProtocol(String(r.protocolNumber), p))
  const ports = p !== 'icmp'
  let answer = false
  for (const hf of Object.values(facts.hosts)) {
    for (const out of hf.nfConntrack) {
      for (const r of out.records) {
        if (!proto(r)) continue
        if (r.original.src === source.ip && (!ports || destination.port === undefined || r.original.dport === destination.port) && r.original.dst === destination.ip) return false
        if (
          r.original.src === destination.ip &&
          r.reply.src === source.ip &&
          (!ports || ((destination.port === undefined || r.original.sport === destination.port) && (source.port === undefined || r.reply.sport === source.port)))
        )
          answer = true
      }
    }
    // Cilium's map holds the pod's connections in its own tuple order (OUT on the client's node, IN on the server's): the opener is the src
    for (const out of hf.ciliumCt) {
      for (const r of out.records) {
        if (r.service || !sameProtocol(r.protocol, p)) continue
        if (r.src === source.ip && r.dst === destination.ip && (!ports || destination.port === undefined || r.dport === destination.port)) return false
        if (r.src === destination.ip && r.dst === source.ip && (!ports || ((destination.port === undefined || r.sport === destination.port) && (source.port === undefined || r.dport === source.port)))) answer = true
      }
    }
  }
  return answer
}
