/**
 * buildTopology: one model of the capture's network, built once from the parsed outputs. A pod
 * host is a namespace; a node host and its agent share one (the agent runs in the node's
 * network); a device is the union of what every output of that namespace says about it; a veth
 * link pairs a pod's eth0@ifN with ifindex N on the pod's own node only (ifindexes repeat across
 * nodes); an overlay link goes from a node's tunnel device to the node that holds a tunnel
 * endpoint of its ipcache.
 */
import type { Capture } from '@/lib/model/capture'
import type { Evidence } from '@/lib/model/walk'
import type { Link, Netns } from '@/lib/model/topology'
import type { CiliumCtRecord, CiliumEndpointRecord, CiliumIpcacheRecord, CiliumLbRecord, CiliumNatRecord, CiliumServiceRecord } from '@/lib/model/records'
import { buildFacts, cite, type Facts, type HostFacts, type Parsed } from '@/lib/engine/facts'
import { deviceKind, isOverlayDevice } from './devices'

/** Cilium's tables on one node, from its agent's (or node's) outputs. */
export interface CiliumTables {
  endpoints: Parsed<CiliumEndpointRecord>[]
  ipcache: Parsed<CiliumIpcacheRecord>[]
  services: Parsed<CiliumServiceRecord>[]
  lbs: Parsed<CiliumLbRecord>[]
  ct: Parsed<CiliumCtRecord>[]
  nat: Parsed<CiliumNatRecord>[]
}

export interface Topology {
  netns: Netns[]
  /** netns id by capture host id (a node's agent maps to the node's netns) */
  netnsOfHost: Map<string, Netns>
  links: Link[]
  /** by node netns id */
  cilium: Map<string, CiliumTables>
  facts: Facts
}

function mergeDevices(ns: Netns, hf: HostFacts): void {
  for (const p of hf.interfaces) {
    for (const rec of p.records) {
      let d = ns.devices.find((x) => x.name === rec.name)
      if (!d) {
        d = { netns: ns.id, name: rec.name, addresses: [], kind: 'other', evidence: [] }
        ns.devices.push(d)
      }
      d.ifindex ??= rec.ifindex
      d.peerIfindex ??= rec.peerIfindex
      d.mac ??= rec.mac
      for (const a of rec.addresses) if (!d.addresses.some((x) => x.ip === a.ip)) d.addresses.push(a)
      d.kind = d.kind === 'other' ? deviceKind(rec.name, rec.linkKind) : d.kind
      d.evidence.push(cite(p.source, [rec.line, ...rec.addresses.map((a) => a.line)]))
    }
  }
  // a pod's eth0@ifN is the pod end of a veth even when no `ip -d link` names the kind
  if (ns.kind === 'pod') for (const d of ns.devices) if (d.peerIfindex !== undefined && (d.kind === 'ethernet' || d.kind === 'other')) d.kind = 'veth'
}

function emptyTables(): CiliumTables {
  return { endpoints: [], ipcache: [], services: [], lbs: [], ct: [], nat: [] }
}

export function buildTopology(capture: Capture, facts: Facts = buildFacts(capture)): Topology {
  const netns: Netns[] = []
  const netnsOfHost = new Map<string, Netns>()
  const all = Object.values(facts.hosts)
  const nodeByName = new Map<string, Netns>()

  for (const hf of all) {
    if (hf.host.role !== 'node') continue
    const ns: Netns = { id: hf.id, kind: 'node', name: hf.host.name, node: hf.host.name, hosts: [hf.id], devices: [] }
    netns.push(ns)
    netnsOfHost.set(hf.id, ns)
    nodeByName.set(hf.host.name, ns)
    nodeByName.set(hf.id, ns)
  }
  for (const hf of all) {
    if (hf.host.role === 'node') continue
    if (hf.host.role === 'agent') {
      const nodeName = hf.host.node
      let ns = nodeName ? nodeByName.get(nodeName) : undefined
      if (!ns) {
        // an agent whose node host is not captured still describes that node's namespace
        ns = { id: nodeName ?? hf.id, kind: 'node', name: nodeName ?? hf.host.name, ...(nodeName ? { node: nodeName } : {}), hosts: [], devices: [] }
        netns.push(ns)
        if (nodeName) nodeByName.set(nodeName, ns)
      }
      ns.hosts.push(hf.id)
      netnsOfHost.set(hf.id, ns)
      continue
    }
    const ns: Netns = { id: hf.id, kind: 'pod', name: hf.host.name, ...(hf.host.node ? { node: hf.host.node } : {}), hosts: [hf.id], devices: [] }
    netns.push(ns)
    netnsOfHost.set(hf.id, ns)
  }
  for (const ns of netns) for (const id of ns.hosts) {
    const hf = facts.hosts[id]
    if (hf) mergeDevices(ns, hf)
  }

  const cilium = new Map<string, CiliumTables>()
  for (const ns of netns) {
    if (ns.kind !== 'node') continue
    const t = emptyTables()
    for (const id of ns.hosts) {
      const hf = facts.hosts[id]
      if (!hf) continue
      t.endpoints.push(...hf.endpoints)
      t.ipcache.push(...hf.ipcache)
      t.services.push(...hf.services)
      t.lbs.push(...hf.lbs)
      t.ct.push(...hf.ciliumCt)
      t.nat.push(...hf.ciliumNat)
    }
    cilium.set(ns.id, t)
  }

  return { netns, netnsOfHost, links: [...vethLinks(netns, nodeByName), ...overlayLinks(netns, cilium)], cilium, facts }
}

function vethLinks(netns: readonly Netns[], nodeByName: Map<string, Netns>): Link[] {
  const links: Link[] = []
  for (const pod of netns) {
    if (pod.kind !== 'pod' || !pod.node) continue
    const node = nodeByName.get(pod.node)
    if (!node) continue
    for (const d of pod.devices) {
      if (d.peerIfindex === undefined) continue
      const peer = node.devices.find((x) => x.ifindex === d.peerIfindex)
      if (!peer) continue
      links.push({ kind: 'veth', a: { netns: pod.id, device: d.name }, b: { netns: node.id, device: peer.name }, evidence: [...d.evidence, ...peer.evidence] })
    }
  }
  return links
}

function overlayLinks(netns: readonly Netns[], cilium: Map<string, CiliumTables>): Link[] {
  const links: Link[] = []
  for (const ns of netns) {
    const overlay = ns.devices.find((d) => isOverlayDevice(d.kind))
    const tables = cilium.get(ns.id)
    if (!overlay || !tables) continue
    const seen = new Set<string>()
    for (const p of tables.ipcache) {
      for (const r of p.records) {
        const ep = r.tunnelEndpoint
        if (!ep || ep === '0.0.0.0' || seen.has(ep)) continue
        seen.add(ep)
        const peer = netns.find((x) => x !== ns && x.kind === 'node' && x.devices.some((d) => d.addresses.some((a) => a.ip === ep)))
        if (!peer) continue
        const evidence: Evidence[] = [cite(p.source, r.lines ?? [r.line])]
        links.push({ kind: 'overlay', a: { netns: ns.id, device: overlay.name }, b: { netns: peer.id, address: ep }, evidence })
      }
    }
  }
  return links
}
