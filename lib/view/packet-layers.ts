/**
 * The packet as a network simulator draws it: one row per header layer (outer Ethernet/IP/UDP
 * and the VXLAN or Geneve header when encapsulated, Ethernet, IP, TCP/UDP/ICMP), each with its
 * source and destination, and for every field this hop rewrote the value before and after
 * (MACs at a routed hop, SNAT, service DNAT, reverse NAT on a reply, encapsulation, decapsulation).
 */
import type { PacketState, Walk } from '@/lib/model/walk'
import { initialPacket, packetTimeline, type PacketField } from './packet-view'
import { distinctPorts, type SeenPort } from './proof-ports'

export type LayerId = 'outerEth' | 'outerIp' | 'encap' | 'eth' | 'ip' | 'l4'

export interface Cell {
  value?: string
  /** The value before this hop, when the hop changed it (struck through on screen). */
  before?: string
  changed: boolean
  /** Where a value that the packet state does not carry was read (a proving line). */
  seenIn?: { command: string; line: number }
}

export interface LayerRow {
  id: LayerId
  /** Protocol shown in the row's title: TCP, UDP, ICMP, VXLAN, GENEVE. */
  proto?: string
  src: Cell
  dst: Cell
  /** `added`: encapsulated at this hop; `removed`: decapsulated here (cells show what was there). */
  change?: 'added' | 'removed'
}

/** The outer header the engine may add to a hop's packet state (encapsulation). */
export interface OuterHeader {
  srcIp?: string
  dstIp?: string
  srcMac?: string
  dstMac?: string
  srcPort?: number
  dstPort?: number
  protocol?: string
  type?: string
  encap?: string
  vni?: number | string
}

export function outerOf(p: PacketState | undefined): OuterHeader | undefined {
  const o = (p as { outer?: unknown } | undefined)?.outer
  return o && typeof o === 'object' ? (o as OuterHeader) : undefined
}

type Values = Partial<Record<PacketField, string>>

function cell(after: Values, before: Values, field: PacketField, changed: Set<string>): Cell {
  const value = after[field]
  const was = before[field]
  const isChanged = changed.has(field)
  return { value, changed: isChanged, before: isChanged && was !== undefined && was !== value ? was : undefined }
}

function outerRows(outer: OuterHeader | undefined, change: LayerRow['change']): LayerRow[] {
  if (!outer) return []
  const s = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v))
  const c = (value?: string): Cell => ({ value, changed: change !== undefined })
  const rows: LayerRow[] = []
  if (outer.srcMac || outer.dstMac) rows.push({ id: 'outerEth', src: c(s(outer.srcMac)), dst: c(s(outer.dstMac)), change })
  rows.push({ id: 'outerIp', proto: s(outer.protocol)?.toUpperCase() ?? 'UDP', src: c(s(outer.srcIp)), dst: c(s(outer.dstIp)), change })
  const encap = s(outer.encap ?? outer.type)?.toUpperCase()
  rows.push({ id: 'encap', proto: encap, src: c(s(outer.srcPort)), dst: c(s(outer.dstPort) ?? s(outer.vni)), change })
  return rows
}

/**
 * The layers after hop `step`. `ports` are source ports read from proving lines: a single port
 * fills the unknown source port on every hop; several (different connections) only on the hop
 * whose proof shows it.
 */
export function packetLayers(walk: Walk, step: number, ports: SeenPort[] = []): LayerRow[] {
  const timeline = packetTimeline(walk)
  const now = timeline[step] ?? []
  const prev = step > 0 ? (timeline[step - 1] ?? []) : []
  const after: Values = Object.fromEntries(now.filter((f) => f.value !== undefined).map((f) => [f.field, f.value]))
  const before: Values = step > 0 ? Object.fromEntries(prev.filter((f) => f.value !== undefined).map((f) => [f.field, f.value])) : initialPacket(walk)
  const changed = new Set(now.filter((f) => f.changed).map((f) => f.field as string))
  const outerNow = outerOf(walk.hops[step]?.packet)
  const outerBefore = step > 0 ? outerOf(walk.hops[step - 1]?.packet) : undefined
  const rows: LayerRow[] = outerNow
    ? outerRows(outerNow, outerBefore ? undefined : 'added')
    : outerRows(outerBefore, outerBefore ? 'removed' : undefined)
  const protocol = (after.protocol ?? walk.flow.destination.protocol).toUpperCase()
  const sport = cell(after, before, 'srcPort', changed)
  if (sport.value === undefined && protocol !== 'ICMP') {
    const distinct = distinctPorts(ports)
    const seen = distinct.length === 1 ? ports[0] : ports.find((p) => p.hop === step)
    if (seen) Object.assign(sport, { value: String(seen.port), seenIn: { command: seen.command, line: seen.line } })
  }
  rows.push(
    { id: 'eth', src: cell(after, before, 'srcMac', changed), dst: cell(after, before, 'dstMac', changed) },
    { id: 'ip', proto: 'IPv4', src: cell(after, before, 'srcIp', changed), dst: cell(after, before, 'dstIp', changed) },
    { id: 'l4', proto: protocol, src: sport, dst: cell(after, before, 'dstPort', changed) },
  )
  return rows
}
