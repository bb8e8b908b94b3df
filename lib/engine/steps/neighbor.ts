/**
 * Neighbor step: the layer-2 address of the next hop from the namespace's ARP/neighbour table.
 * The pod's gateway MAC is the node-side lxc MAC (Cilium answers the pod's ARP in BPF), which the
 * veth step cross-checks.
 */
import type { NeighborRecord } from '@/lib/model/records'
import { addHop, addUnproven, type Place, type WalkContext } from '../context'
import { cite, type HostFacts, type Source } from '../facts'

/** The MAC Calico gives every cali* host veth (felix's default). */
const CALICO_PROXY_ARP_MAC = 'ee:ee:ee:ee:ee:ee'

export interface NeighborOutcome {
  mac?: string
  record?: NeighborRecord
  source?: Source
}

/** The MAC of `device` in `hf`'s interface outputs, if any shows it. */
export function interfaceMac(hf: HostFacts | undefined, device: string | undefined): string | undefined {
  if (!hf || !device) return undefined
  for (const p of hf.interfaces) for (const i of p.records) if (i.name === device && i.mac) return i.mac
  return undefined
}

export function neighborStep(
  ctx: WalkContext,
  opts: { hf: HostFacts | undefined; hostId: string; place: Place; label: string; nextHop: string; device?: string },
): NeighborOutcome {
  const { hf, hostId, place, label, nextHop, device } = opts
  const tables = hf?.neighbors ?? []
  let found: { record: NeighborRecord; source: Source } | undefined
  for (const p of tables) {
    for (const r of p.records) {
      if (r.ip !== nextHop || !r.mac) continue
      if (device && r.device && r.device !== device) continue
      found = { record: r, source: p.source }
      break
    }
    if (found) break
  }
  const srcMac = interfaceMac(hf, device)
  if (!found) {
    const complete = tables.some((p) => p.source.info.complete)
    addUnproven(ctx, {
      kind: 'neighbor',
      host: hostId,
      place,
      summary: `${label} resolves the next hop ${nextHop}${device ? ` on ${device}` : ''} to a MAC address (not captured)`,
      facts: { ip: nextHop, device },
      evidence: tables.map((p) => cite(p.source, [])),
      packet: { srcMac },
      prove: {
        host: hostId,
        command: 'ip neigh',
        why: tables.length
          ? `${tables.map((p) => `\`${p.source.command}\``).join(', ')} on ${hostId} ${complete ? 'has' : 'shows'} no entry for ${nextHop}`
          : `the neighbour table of ${hostId} was not captured`,
      },
    })
    return {}
  }
  const { record, source } = found
  addHop(ctx, {
    kind: 'neighbor',
    host: hostId,
    place,
    summary: `${label} resolves the next hop ${nextHop} to ${record.mac} on ${record.device ?? device ?? '?'}${record.mac === CALICO_PROXY_ARP_MAC ? ` (Calico's host veths all carry this MAC and answer the pod's ARP by proxy ARP: ${nextHop} exists nowhere)` : ''}`,
    facts: { ip: nextHop, mac: record.mac, device: record.device ?? device, state: record.state },
    evidence: [cite(source, [record.line])],
    packet: { srcMac, dstMac: record.mac },
  })
  return { mac: record.mac, record, source }
}
