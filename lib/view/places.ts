/**
 * Where a hop sits in the teacher's drawing: which box (the pod's namespace, the node, the world)
 * and which place inside it (routing table, ARP table, veth end, BPF program, NAT, interface).
 */
import type { HostRole } from '@/lib/model/capture'
import type { Hop } from '@/lib/model/walk'
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

export type GroupKind = 'pod' | 'node' | 'world'

export interface Group {
  id: string
  kind: GroupKind
  /** Name for the title placeholder: the pod's ns/name (or IP), the node's name. */
  name: string
}

const arrow = (a?: string, b?: string) => [a, b].filter(Boolean).join(' → ')

/** The place of one hop, with a one-line detail from its facts. */
export function placeOf(hop: Hop): Place {
  const f = hop.facts ?? {}
  switch (hop.kind) {
    case 'route':
      return { key: 'routes', params: {}, detail: `${f.destination ?? '?'} ${f.gateway ? `via ${f.gateway}` : `dev ${f.device ?? '?'}`}` }
    case 'neighbor':
      return { key: 'arp', params: {}, detail: arrow(f.ip, f.mac) }
    case 'veth':
      return { key: 'veth', params: { device: f.to ?? f.from ?? '' }, detail: arrow(f.from, f.to) }
    case 'bpf':
      return { key: 'bpf', params: { program: f.program ?? '' }, detail: `${f.device ?? '?'} ${f.direction ?? ''}`.trim() }
    case 'conntrack':
      return { key: f.table === 'cilium' ? 'ctCilium' : 'ctNetfilter', params: {}, detail: f.table ?? '' }
    case 'nat':
      return { key: f.by === 'bpf' ? 'natBpf' : 'natIptables', params: {}, detail: `${f.type ?? ''} ${arrow(f.from, f.to)}`.trim() }
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
export function groupOf(hop: Hop, hosts: Record<string, HostSummary>, podIp?: string): Group {
  const host = hosts[hop.host]
  const kind = hop.place ?? roleToGroup(host?.role)
  if (kind === 'world') return { id: 'world', kind, name: '' }
  if (kind === 'pod') {
    const name = host ? podName(host, podIp) : (podIp ?? hop.host)
    return { id: `pod:${hop.host}`, kind, name }
  }
  const nodeName = host?.role === 'node' ? host.name : (host?.node ?? host?.name ?? hop.host)
  return { id: `node:${nodeName}`, kind, name: nodeName }
}
