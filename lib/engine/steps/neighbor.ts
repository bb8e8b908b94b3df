/**
 * Neighbor step: the layer-2 address of the next hop from the namespace's ARP/neighbour table,
 * and the Ethernet header the packet gets: source = the out device's MAC, destination = the next
 * hop's. For the pod's gateway it also says who holds the gateway IP on the node and whose MAC
 * answered — with Cilium, cilium_host holds the IP but the lxc end answers (Cilium replies to the
 * pod's ARP in BPF), which the veth step then cross-checks.
 */
import type { Evidence } from '@/lib/model/walk'
import type { InterfaceRecord, NeighborRecord } from '@/lib/model/records'
import { addHop, addUnproven, type Place, type WalkContext } from '../context'
import { cite, type HostFacts, type Source } from '../facts'

/** The MAC Calico gives every cali* host veth (felix's default). */
const CALICO_PROXY_ARP_MAC = 'ee:ee:ee:ee:ee:ee'

export interface NeighborOutcome {
  mac?: string
  record?: NeighborRecord
  source?: Source
}

export interface DeviceMac {
  mac: string
  evidence: Evidence
}

/** The MAC of `device` in `hf`'s interface outputs, with the line that shows it. */
export function interfaceMac(hf: HostFacts | undefined, device: string | undefined): DeviceMac | undefined {
  if (!hf || !device) return undefined
  for (const p of hf.interfaces) {
    for (const i of p.records) if (i.name === device && i.mac) return { mac: i.mac, evidence: cite(p.source, [i.macLine ?? i.line]) }
  }
  return undefined
}

/** The MAC `hf`'s neighbour table has for `ip` (on `device` when given), with its line. */
export function neighborMac(hf: HostFacts | undefined, ip: string, device?: string): DeviceMac | undefined {
  for (const p of hf?.neighbors ?? []) {
    const r = p.records.find((x) => x.ip === ip && x.mac && (!device || !x.device || x.device === device))
    if (r?.mac) return { mac: r.mac, evidence: cite(p.source, [r.line]) }
  }
  return undefined
}

interface GatewayOwner {
  facts: { gatewayDevice?: string; answeredBy?: string }
  evidence: Evidence[]
  sentence: string
}

function nodeInterfaces(hf: HostFacts | undefined): { rec: InterfaceRecord; source: Source }[] {
  return (hf?.interfaces ?? []).flatMap((p) => p.records.map((rec) => ({ rec, source: p.source })))
}

/**
 * Which node device holds the pod's gateway IP, and which one's MAC answered the pod's ARP — from
 * the node's `ip addr` / `ifconfig` outputs. The two differ with Cilium: the router IP sits on
 * cilium_host (NOARP, it never answers), and the lxc end of the pod's veth replies with its own MAC.
 */
function gatewayOwner(ctx: WalkContext, ip: string, mac: string): GatewayOwner | undefined {
  const all = nodeInterfaces(ctx.node)
  let holder: { rec: InterfaceRecord; source: Source; line: number } | undefined
  for (const x of all) {
    const a = x.rec.addresses.find((ad) => ad.ip === ip)
    if (a && !holder) holder = { ...x, line: a.line }
  }
  // a MAC shared by several devices (Calico's ee:ee:…) names none of them
  const withMac = all.filter((x) => x.rec.mac === mac)
  const answerer = new Set(withMac.map((x) => x.rec.name)).size === 1 ? withMac[0] : undefined
  if (!holder && !answerer) return undefined
  const evidence: Evidence[] = []
  if (holder) evidence.push(cite(holder.source, [holder.rec.line, holder.line]))
  if (answerer) evidence.push(cite(answerer.source, [answerer.rec.line, answerer.rec.macLine ?? answerer.rec.line]))
  const facts = { gatewayDevice: holder?.rec.name, answeredBy: answerer?.rec.name }
  const noArp = holder?.rec.flags.includes('NOARP') ? ` (NOARP: it never answers ARP itself)` : ''
  let sentence: string
  if (holder && answerer && holder.rec.name === answerer.rec.name) {
    sentence = `${ip} and ${mac} both belong to ${holder.rec.name} on ${ctx.nodeId}`
  } else if (holder && answerer) {
    const why = ctx.cilium && /^lxc/.test(answerer.rec.name) ? `: Cilium answers the pod's ARP for the gateway from the lxc side` : ''
    sentence = `The gateway IP lives on the node's ${holder.rec.name}${noArp}, but the MAC that answered belongs to ${answerer.rec.name}${why}`
  } else if (holder) {
    sentence = `The gateway IP lives on the node's ${holder.rec.name}${noArp}; no node output shows which device has the MAC ${mac}`
  } else {
    sentence = `The MAC ${mac} belongs to ${answerer?.rec.name} on the node; no node output shows which device holds ${ip}`
  }
  return { facts, evidence, sentence }
}

export function neighborStep(
  ctx: WalkContext,
  opts: {
    hf: HostFacts | undefined
    hostId: string
    place: Place
    label: string
    nextHop: string
    device?: string
    /** the next hop is the pod's gateway: say which node device holds it and which answered */
    podGateway?: boolean
  },
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
  // the frame this hop builds: from the out device, to the next hop
  const own = interfaceMac(hf, device)
  const dev = device ?? found?.record.device ?? 'the out device (not named by the route)'
  if (!found) {
    const complete = tables.some((p) => p.source.info.complete)
    addUnproven(ctx, {
      kind: 'neighbor',
      host: hostId,
      place,
      summary: `${label} resolves the next hop ${nextHop}${device ? ` on ${device}` : ''} to a MAC address (not captured)${own ? `; the new frame goes from ${dev}'s MAC ${own.mac} to that address` : `, and ${dev}'s own MAC is not captured either: both MACs of the new frame are unknown`}`,
      facts: { ip: nextHop, device, srcMac: own?.mac },
      evidence: [...tables.map((p) => cite(p.source, [])), ...(own ? [own.evidence] : [])],
      l2: { srcMac: own?.mac },
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
  const mac = record.mac as string
  const owner = opts.podGateway ? gatewayOwner(ctx, nextHop, mac) : undefined
  const calico = mac === CALICO_PROXY_ARP_MAC ? `. Calico's host veths all carry this MAC and answer the pod's ARP by proxy ARP: ${nextHop} exists nowhere` : ''
  const what = opts.podGateway ? `its gateway ${nextHop}` : `the next hop ${nextHop}`
  addHop(ctx, {
    kind: 'neighbor',
    host: hostId,
    place,
    summary: `${label} resolves ${what} to ${mac} on ${record.device ?? dev}; the frame goes from ${own ? own.mac : `${dev} (its MAC is not captured)`} to ${mac}${calico}${owner ? `. ${owner.sentence}` : ''}`,
    facts: { ip: nextHop, mac, device: record.device ?? device, state: record.state, srcMac: own?.mac, ...owner?.facts },
    evidence: [cite(source, [record.line]), ...(own ? [own.evidence] : []), ...(owner?.evidence ?? [])],
    l2: { srcMac: own?.mac, dstMac: mac },
  })
  return { mac, record, source }
}
