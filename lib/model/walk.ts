/**
 * Domain types of a walk (`packetwalk/walk@1`): the engine's conclusion from one capture.
 * Every hop carries the lines that prove it, or `proven: false` and the command that would.
 */
import type { Flow, HostRole } from './capture'

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
  /** The outer header once the packet is encapsulated (VXLAN, Geneve); absent otherwise. */
  outer?: OuterHeader
  /** Names of the fields this hop changed, e.g. ['srcIp'] after masquerade. */
  changed?: string[]
}

export interface OuterHeader {
  type: 'vxlan' | 'geneve'
  srcIp?: string
  dstIp?: string
  protocol: 'udp'
  /** 8472 (Cilium's VXLAN), 6081 (Geneve) */
  dstPort?: number
  /** the VXLAN VNI / Geneve VNI: Cilium puts the source identity there */
  vni?: string
}

/**
 * A hop's facts: strings (CONTRACT.md §2), plus `reverse: true` on a translation undone on the
 * way back (the reply of a masquerade or of a service).
 */
export type HopFacts = Record<string, string | true>

export interface Hop {
  kind: HopKind
  /** Host id in the capture where the hop happens. */
  host: string
  summary: string
  facts: HopFacts
  evidence: Evidence[]
  /** false when the engine believes the hop happens but the capture cannot prove it. */
  proven: boolean
  /** For an unproven hop: the command (and where) that would prove it. */
  prove?: Prove
  /** Where in the teacher's drawing the hop sits: the pod, the node, the world. */
  place?: 'pod' | 'node' | 'world'
  packet?: PacketState
  [extra: string]: unknown
}

/**
 * Where a command must run, resolvable by a collector: `host` is a capture host id when that host
 * is in the capture, else the pod's `ns/name` (role pod) or the node's name (roles node and agent:
 * an agent missing from the capture is named by its node, and `role: 'agent'` says to run the
 * command in that node's Cilium agent).
 */
export interface ProveAt {
  host: string
  role: HostRole
  /** the node the place is on (pods and agents; a node names itself) */
  node?: string
  /** false when `host` is a name, not a host id of this capture */
  inCapture: boolean
  /** a pod known only by its address (the capture names neither a pod host nor the pod): `host` is this IP */
  ip?: string
}

export interface Prove extends Partial<ProveAt> {
  host: string
  command: string
  why: string
}

/** One command a collector should run next to prove unproven hops (CONTRACT.md §2 `needs`). */
export interface Need extends ProveAt {
  command: string
  /** the command's words, without any `| filter` (collectors run argv, never a shell) */
  argv: string[]
  /** indexes of the hops it would prove */
  hops: number[]
}

export interface Walk {
  format: typeof WALK_FORMAT
  flow: Flow
  hops: Hop[]
  warnings: string[]
  /** Commands that would prove the unproven hops, deduplicated, in the order to run them. */
  needs?: Need[]
  /** true when this walk is the reply of the capture's flow (`walk --reply`) */
  reply?: boolean
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

/**
 * The facts as text, for readers that show or compare strings (`reverse: true` reads "true").
 * Sentences should come from typed facts; this keeps string readers working.
 */
export function stringFacts(facts: HopFacts | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(facts ?? {})) out[k] = v === true ? 'true' : v
  return out
}
