/**
 * Where a hop sits in the teacher's drawing: which box (the pod's namespace, the node, the world)
 * and which place inside it (routing table, ARP table, veth end, BPF program, NAT, interface).
 */
import type { HostRole } from '@/lib/model/capture'
import { stringFacts, type Hop } from '@/lib/model/walk'
import { podName } from '@/lib/i18n/host-phrase'
import type { HostSummary } from './walk-view'

/** i18n keys of place titles (`place.<key>` in lib/i18n). */
export type PlaceKey =
  | 'routes'
  | 'arp'
  | 'veth'
  | 'bpf'
  | 'ctCilium'
  | 'ctNetfilter'
  | 'natIptables'
  | 'natBpf'
  | 'lb'
  | 'tunnel'
  | 'nic'
  | 'deliver'

export interface Place {
  key: PlaceKey
  /** Values for the title's placeholders: device, program. */
  params: Record<string, string>
  /** A short fact shown under the title, e.g. `0.0.0.0/0 via 10.244.0.201`. */
  detail: string
}

/** `underlay`: the network between nodes; `service`: a virtual address; `cluster`: a part of the cluster the capture does not cover. */
export type GroupKind = 'pod' | 'node' | 'world' | 'underlay' | 'service' | 'cluster'

export interface Group {
  id: string
  kind: GroupKind
  /** Name for the title placeholder: the pod's ns/name (or IP), the node's name. */
  name: string
}

const arrow = (a?: string, b?: string) => [a, b].filter(Boolean).join(' → ')

/** `0.0.0.0/0` as `ip route` names it, so the detail fits a place's width. */
const routeName = (destination?: string) => (destination === '0.0.0.0/0' || destination === '::/0' ? 'default' : (destination ?? '?'))

/**
 * The state of a conntrack entry in two words: `tcp TIME_WAIT` from a netfilter line
 * (`ipv4 2 tcp 6 117 TIME_WAIT src=…`), `TCP OUT` from a Cilium one (`TCP OUT 10.0.0.1:1 -> …`).
 */
function conntrackState(entry?: string): string | undefined {
  if (!entry) return undefined
  const cilium = /^(TCP|UDP|ICMP\w*|ANY)\s+(IN|OUT|SVC)\b/.exec(entry)
  if (cilium) return `${cilium[1]} ${cilium[2]}`
  const proto = /\b(tcp|udp|icmp|sctp)\b/.exec(entry)?.[1]
  const state = /\b([A-Z][A-Z_]{2,})\s+src=/.exec(entry)?.[1]
  return [proto, state].filter(Boolean).join(' ') || undefined
}

/** What NAT rewrote: `src → 164.92.138.123` (masquerade, SNAT) or `dst → …` (DNAT). */
function natDetail(f: Record<string, string>): string {
  if (!f.to) return f.type ?? ''
  return `${/dnat/i.test(f.type ?? '') ? 'dst' : 'src'} → ${f.to}`
}

/** The place of one hop, with a one-line detail from its facts. */
export function placeOf(hop: Hop): Place {
  const f = stringFacts(hop.facts)
  switch (hop.kind) {
    case 'route':
      return { key: 'routes', params: {}, detail: `${routeName(f.destination)} ${f.gateway ? `via ${f.gateway}` : `dev ${f.device ?? '?'}`}` }
    case 'neighbor':
      // The IP is the previous routing hop's gateway; the MAC is what this table adds.
      return { key: 'arp', params: {}, detail: f.mac ? `→ ${f.mac}` : (f.ip ?? '') }
    case 'veth':
      return { key: 'veth', params: { device: f.to ?? f.from ?? '' }, detail: arrow(f.from, f.to) }
    case 'bpf':
      return { key: 'bpf', params: { program: f.program ?? '' }, detail: `${f.device ?? '?'} ${f.direction ?? ''}`.trim() }
    case 'conntrack':
      return { key: f.table === 'cilium' ? 'ctCilium' : 'ctNetfilter', params: {}, detail: conntrackState(f.entry) ?? f.table ?? '' }
    case 'nat':
      return { key: f.by === 'bpf' ? 'natBpf' : 'natIptables', params: {}, detail: natDetail(f) }
    case 'lb':
      return { key: 'lb', params: {}, detail: arrow(f.service, f.backend) }
    case 'tunnel':
      return { key: 'tunnel', params: { device: f.device ?? '' }, detail: arrow(f.type, f.remote) }
    case 'egress':
      return { key: 'nic', params: { device: f.device ?? '?' }, detail: f.nextHop ? `→ ${f.nextHop}` : '' }
    case 'deliver':
      return { key: 'deliver', params: { device: f.device ?? '?' }, detail: f.ip ?? '' }
  }
}

function roleToGroup(role: HostRole | undefined): GroupKind {
  return role === 'pod' ? 'pod' : 'node'
}

/**
 * The box a hop is drawn in. Pods get their own namespace box; a node and the Cilium agent on
 * it share the node's box (the agent only reads the node's BPF maps).
 */
export function groupOf(hop: Hop, hosts: Record<string, HostSummary>, podIp?: string, destinationPod?: string): Group {
  const host = hosts[hop.host]
  // Delivered into a pod the capture has no host for: the destination pod's own box.
  if (hop.place === 'pod' && host?.role !== 'pod' && hop.kind === 'deliver') return { id: 'pod:destination', kind: 'pod', name: destinationPod ?? podIp ?? hop.host }
  // The egress device is the host's own interface: drawn inside the host's box, whatever side of
  // the border the engine files it on; the world box holds what lies beyond it (router, destination).
  const kind = hop.kind === 'egress' ? roleToGroup(host?.role) : (hop.place ?? roleToGroup(host?.role))
  if (kind === 'world') return { id: 'world', kind, name: '' }
  if (kind === 'pod') {
    const name = host ? podName(host, podIp) : (podIp ?? hop.host)
    return { id: `pod:${hop.host}`, kind, name }
  }
  const nodeName = host?.role === 'node' ? host.name : (host?.node ?? host?.name ?? hop.host)
  return { id: `node:${nodeName}`, kind, name: nodeName }
}
