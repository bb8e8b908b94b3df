/**
 * The PDU view: what the packet's headers look like after each hop, like a network simulator.
 * Uses `hop.packet` from the walk. The engine sends the complete header state after each hop, so
 * a field it leaves out is unknown there (the pod's MACs end at the node's routing hop), not
 * carried over; a hop without any `packet` leaves the packet as it was. Before the first hop the
 * packet is what the flow says.
 */
import type { PacketState, Walk } from '@/lib/model/walk'

export const PACKET_FIELDS = ['srcIp', 'srcPort', 'dstIp', 'dstPort', 'protocol', 'srcMac', 'dstMac'] as const
export type PacketField = (typeof PACKET_FIELDS)[number]

export interface PacketFieldView {
  field: PacketField
  value?: string
  changed: boolean
}

type Values = Partial<Record<PacketField, string>>

function valuesOf(p: PacketState | undefined): Values {
  const out: Values = {}
  if (!p) return out
  for (const f of PACKET_FIELDS) {
    const v = p[f]
    if (v !== undefined && v !== null && v !== '') out[f] = String(v)
  }
  return out
}

/** The packet as the flow describes it, before any hop. */
export function initialPacket(walk: Walk): Values {
  const { source, destination } = walk.flow
  return valuesOf({
    srcIp: source.ip,
    dstIp: destination.ip,
    dstPort: destination.port,
    protocol: destination.protocol,
  })
}

/** Header fields after every hop (index = hop index), with the fields each hop changed. */
export function packetTimeline(walk: Walk): PacketFieldView[][] {
  let current = initialPacket(walk)
  return walk.hops.map((hop) => {
    const next: Values = hop.packet ? valuesOf(hop.packet) : { ...current }
    const declared = hop.packet?.changed
    const changed = new Set<string>(
      declared ?? PACKET_FIELDS.filter((f) => next[f] !== current[f] && current[f] !== undefined),
    )
    // A field that becomes known at this hop (the gateway MAC after ARP) counts as a change too.
    if (!declared) for (const f of PACKET_FIELDS) if (current[f] === undefined && next[f] !== undefined) changed.add(f)
    current = next
    return PACKET_FIELDS.map((field) => ({ field, value: next[field], changed: changed.has(field) }))
  })
}
