/**
 * The state a walk builds up as steps run: the hops so far, the warnings, and what the packet
 * looks like now. Steps add hops through `addHop`/`addUnproven` so every hop gets the packet
 * state after it and every unproven hop gets a warning that names the command that would prove it.
 */
import type { Capture, Protocol } from '@/lib/model/capture'
import type { Evidence, Hop, HopFacts, HopKind, PacketState, Prove, ProveAt } from '@/lib/model/walk'
import type { Facts, HostFacts } from './facts'
import type { DatapathInfo } from './datapath'
import type { Topology } from '@/lib/topology'

export type Place = 'pod' | 'node' | 'world'

export interface WalkContext {
  capture: Capture
  facts: Facts
  /** the capture's namespaces, devices and links, built once (lib/topology) */
  topology: Topology
  pod?: HostFacts
  node?: HostFacts
  agent?: HostFacts
  /** host ids (or names) to use in `prove` when a host is missing from the capture */
  podId: string
  nodeId: string
  agentId: string
  /** the same three places, resolvable by a collector (`prove` and `needs` use these) */
  podAt: ProveAt
  nodeAt: ProveAt
  agentAt: ProveAt
  srcIp: string
  /** where the packet is going now: the flow's destination, or the backend once a service is translated */
  dstIp: string
  dstPort?: number
  /** the flow's destination as the capture states it (a service frontend stays here after the lb hop) */
  flowDstIp: string
  flowDstPort?: number
  protocol: Protocol
  datapath: DatapathInfo
  /** Cilium's programs are on the path (the CNI says so, or its devices and agent outputs do) */
  cilium: boolean
  /** set when a service's backend could not be determined: the walk cannot route further */
  backendUnknown?: boolean
  hops: Hop[]
  warnings: string[]
  packet: PacketState
  /** source ports seen in the entries matched to the flow: different ports = different connections */
  portsSeen: { what: string; line: number; port: number }[]
}

export interface HopInput {
  kind: HopKind
  host: string
  place: Place
  summary: string
  facts: Record<string, string | undefined>
  evidence: Evidence[]
  /** packet fields this hop sets; a field whose value differs from before is listed in `changed` */
  packet?: Partial<Omit<PacketState, 'changed'>>
  /**
   * This hop writes a new Ethernet header: both MACs are replaced by these, and a MAC left out is
   * unknown from here on (never the previous frame's).
   */
  l2?: { srcMac?: string; dstMac?: string }
  /** a translation undone on the way back: the hop's facts carry `reverse: true` */
  reverse?: boolean
  [extra: string]: unknown
}

function cleanFacts(f: Record<string, string | undefined>, reverse?: boolean): HopFacts {
  const out: HopFacts = {}
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') out[k] = v
  if (reverse) out.reverse = true
  return out
}

function nextPacket(ctx: WalkContext, set: Partial<Omit<PacketState, 'changed'>> | undefined, l2?: HopInput['l2']): PacketState {
  const prev = ctx.packet
  const next: PacketState = { ...prev }
  const changed: string[] = []
  if (l2) {
    for (const k of ['srcMac', 'dstMac'] as const) {
      const v = l2[k]
      if (prev[k] !== v) changed.push(k)
      if (v === undefined) delete next[k]
      else next[k] = v
    }
  }
  if (set) {
    for (const [k, v] of Object.entries(set) as [keyof Omit<PacketState, 'changed'>, string | number | undefined][]) {
      if (v === undefined) continue
      if (prev[k] !== v) changed.push(k)
      ;(next as Record<string, unknown>)[k] = v
    }
  }
  next.changed = changed
  ctx.packet = next
  return next
}

/** One Evidence per output: lines cited from the same run and stream are merged. */
export function mergeEvidence(list: readonly Evidence[]): Evidence[] {
  const out: Evidence[] = []
  const byKey = new Map<string, Evidence>()
  for (const e of list) {
    const key = `${e.host}\u0000${e.run ?? e.command}\u0000${e.stream ?? 'stdout'}`
    const prev = byKey.get(key)
    if (prev) {
      prev.lines = [...new Set([...prev.lines, ...e.lines])].sort((a, b) => a - b)
    } else {
      const copy = { ...e, lines: [...e.lines] }
      byKey.set(key, copy)
      out.push(copy)
    }
  }
  return out
}

export function addHop(ctx: WalkContext, input: HopInput): Hop {
  const { kind, host, place, summary, facts, evidence, packet, l2, reverse, ...extra } = input
  const hop: Hop = { kind, host, summary, facts: cleanFacts(facts, reverse), evidence: mergeEvidence(evidence), proven: true, place, packet: nextPacket(ctx, packet, l2), ...extra }
  ctx.hops.push(hop)
  return hop
}

/**
 * A hop the engine believes happens but cannot prove: it still appears, with the command that
 * would prove it, and the same sentence goes to the warnings.
 */
export function addUnproven(ctx: WalkContext, input: HopInput & { prove: Prove }): Hop {
  const { kind, host, place, summary, facts, evidence, packet, l2, reverse, prove: given, ...extra } = input
  const prove: Prove = given.role ? given : { ...given, ...resolvePlace(ctx, given.host) }
  const hop: Hop = { kind, host, summary, facts: cleanFacts(facts, reverse), evidence: mergeEvidence(evidence), proven: false, prove, place, packet: nextPacket(ctx, packet, l2), ...extra }
  ctx.hops.push(hop)
  ctx.warnings.push(`${kind} hop not proven: ${prove.why}. Run \`${prove.command}\` on ${placePhrase(prove)} to prove it.`)
  return hop
}

/** `ip` with its port when there is one, for summaries. */
export function endpoint(ip: string, port?: number): string {
  return port === undefined ? ip : `${ip}:${port}`
}

/** `host: command L3,L4` for messages. */
export function where(e: Evidence): string {
  return `${e.host}: \`${e.command}\`${e.stream === 'stderr' ? ' (stderr)' : ''} L${e.lines.join(',')}`
}

/** A place for a command given only by its id: a capture host, or one of the walk's own places. */
export function resolvePlace(ctx: WalkContext, host: string): Partial<ProveAt> {
  const h = ctx.capture.hosts[host]
  if (h) return { host, role: h.role, node: h.role === 'node' ? h.name : h.node, inCapture: true }
  // the walk's display names of its own places (a pod known only by its address is "pod")
  if (host === ctx.podId) return ctx.podAt
  if (host === ctx.nodeId) return ctx.nodeAt
  if (host === ctx.agentId) return ctx.agentAt
  return {}
}

/** "k8s-ctr" or, for an agent known only by its node, "the Cilium agent of k8s-ctr". */
export function placePhrase(p: Partial<ProveAt> & { host: string }): string {
  return p.role === 'agent' && p.inCapture === false ? `the Cilium agent of ${p.host}` : p.host
}
