/**
 * Where the walk's flow ends in the teacher's drawing, decided from the capture's hosts and the
 * walk's hops (never from the look of an address): delivered to a pod (the last hop says so), to
 * a pod or a node of the cluster that the capture does not cover (the flow names it), to a
 * service's backend after load balancing, to a service whose backend is unknown (a virtual
 * address, inside the cluster), or to the world outside. Between two nodes sits the underlay
 * (the egress hop's next hop) or the tunnel (the tunnel hop's remote end).
 */
import { stringFacts, type Walk } from '@/lib/model/walk'
import type { Group } from './places'
import type { HostSummary } from './walk-view'

export type EndpointRole = 'source' | 'router' | 'peer' | 'tunnel' | 'destination' | 'backend' | 'service'

export interface TailStop {
  id: string
  group: Group
  role: EndpointRole
  ip: string
  port?: number
  label?: string
}

export const WORLD: Group = { id: 'world', kind: 'world', name: '' }
export const UNDERLAY: Group = { id: 'underlay', kind: 'underlay', name: '' }

/** Nodes the walk's hops run on (by node name). */
export function walkNodes(walk: Walk, hosts: Record<string, HostSummary>): Set<string> {
  const out = new Set<string>()
  for (const h of walk.hops) {
    const host = hosts[h.host]
    const node = host ? (host.role === 'node' ? host.name : host.node) : h.host
    if (node) out.add(node)
  }
  return out
}

/** The stops after the last hop (none when the walk delivers the packet itself). */
export function tailStops(walk: Walk, hosts: Record<string, HostSummary>): TailStop[] {
  const last = walk.hops[walk.hops.length - 1]
  if (last?.kind === 'deliver') return []
  const dst = walk.flow.destination
  const finalDst = last?.packet?.dstIp
  const lb = walk.hops.find((h) => h.kind === 'lb')
  const isService = !!dst.service || !!lb
  const backendIp = isService && finalDst && finalDst !== dst.ip ? finalDst : undefined
  const nodes = walkNodes(walk, hosts)
  const otherNode = dst.node && !nodes.has(dst.node) ? dst.node : undefined
  const inCluster = isService || !!dst.pod || !!dst.node
  const destGroup: Group = otherNode
    ? { id: `node:${otherNode}`, kind: 'node', name: otherNode }
    : { id: 'cluster', kind: 'cluster', name: '' }
  const stops: TailStop[] = []
  const lastFacts = stringFacts(last?.facts)
  const nextHop = last?.kind === 'egress' ? lastFacts.nextHop : undefined
  if (last?.kind === 'tunnel' && lastFacts.remote)
    stops.push({ id: 'tunnel', group: UNDERLAY, role: 'tunnel', ip: lastFacts.remote, label: lastFacts.type?.toUpperCase() })
  else if (nextHop) stops.push({ id: 'router', group: inCluster ? UNDERLAY : WORLD, role: inCluster ? 'peer' : 'router', ip: nextHop })
  if (backendIp) {
    stops.push({ id: 'destination', group: destGroup, role: 'backend', ip: backendIp, port: last?.packet?.dstPort, label: dst.pod ?? dst.service })
  } else if (isService) {
    const name = dst.service ?? ''
    stops.push({ id: 'destination', group: { id: 'service', kind: 'service', name }, role: 'service', ip: dst.ip, port: dst.port, label: dst.service })
  } else {
    stops.push({ id: 'destination', group: inCluster ? destGroup : WORLD, role: 'destination', ip: dst.ip, port: dst.port, label: dst.pod })
  }
  return stops
}

/**
 * Stops to insert between two hops on different nodes: the tunnel (after a tunnel hop) or the
 * underlay next hop (after an egress hop), so the two nodes are drawn side by side with the
 * network between them.
 */
export function wireBetween(walk: Walk, hosts: Record<string, HostSummary>, step: number): TailStop | undefined {
  const a = walk.hops[step]
  const b = walk.hops[step + 1]
  if (!a || !b) return undefined
  // A hop may run on a node the capture names only through the hop (an agent's node).
  const node = (id: string) => (hosts[id] ? (hosts[id].role === 'node' ? hosts[id].name : hosts[id].node) : id)
  if (node(a.host) === node(b.host)) return undefined
  const f = stringFacts(a.facts)
  if (a.kind === 'tunnel' && f.remote) return { id: `wire-${step}`, group: UNDERLAY, role: 'tunnel', ip: f.remote, label: f.type?.toUpperCase() }
  if (a.kind === 'egress' && f.nextHop) return { id: `wire-${step}`, group: UNDERLAY, role: 'peer', ip: f.nextHop }
  return undefined
}
