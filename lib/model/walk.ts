/**
 * Domain types of a walk (`packetwalk/walk@1`): the engine's conclusion from one capture.
 * Every hop carries the lines that prove it, or `proven: false` and the command that would.
 */
import type { Flow } from './capture'

export const WALK_FORMAT = 'packetwalk/walk@1'

export type HopKind =
  | 'route'
  | 'neighbor'
  | 'veth'
  | 'bpf'
  | 'lb'
  | 'nat'
  | 'conntrack'
  | 'tunnel'
  | 'egress'
  | 'deliver'

/** Lines of one run's stdout that prove a hop. `lines` are 1-based. */
export interface Evidence {
  host: string
  command: string
  lines: number[]
  /** Which stream the lines are in; absent means stdout (the contract's default). */
  stream?: 'stdout' | 'stderr'
  /** Index of the run in `capture.hosts[host].runs` (the same command may be run twice). */
  run?: number
}

/** What the packet looks like after a hop, for the PDU view. Absent fields are unknown. */
export interface PacketState {
  srcIp?: string
  dstIp?: string
  srcPort?: number
  dstPort?: number
  protocol?: string
  srcMac?: string
  dstMac?: string
  /** Names of the fields this hop changed, e.g. ['srcIp'] after masquerade. */
  changed?: string[]
}

export interface Hop {
  kind: HopKind
  /** Host id in the capture where the hop happens. */
  host: string
  summary: string
  facts: Record<string, string>
  evidence: Evidence[]
  /** false when the engine believes the hop happens but the capture cannot prove it. */
  proven: boolean
  /** For an unproven hop: the command (and where) that would prove it. */
  prove?: { host: string; command: string; why: string }
  /** Where in the teacher's drawing the hop sits: the pod, the node, the world. */
  place?: 'pod' | 'node' | 'world'
  packet?: PacketState
  [extra: string]: unknown
}

export interface Walk {
  format: typeof WALK_FORMAT
  flow: Flow
  hops: Hop[]
  warnings: string[]
  /** How the engine read the datapath (routing mode, masquerade…) and from what. */
  datapath?: DatapathMode
  [extra: string]: unknown
}

export interface DatapathMode {
  routing?: 'native' | 'tunnel'
  tunnelType?: 'vxlan' | 'geneve'
  masquerade?: 'iptables' | 'bpf' | 'none'
  hostRouting?: 'legacy' | 'bpf'
  kubeProxyReplacement?: string
  /** One line per decision: where it came from (config key, status line, rule…). */
  basis: string[]
}
