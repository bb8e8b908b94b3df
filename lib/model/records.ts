/**
 * What the parsers extract from raw command outputs. Every record carries the 1-based line(s)
 * of the output it came from, so the engine can cite them as evidence.
 *
 * Parsers are pure (`text → ParseResult`), never throw, and report lines they could not read
 * as diagnostics instead of guessing.
 */

export interface Diagnostic {
  line: number
  message: string
}

export interface ParseResult<T> {
  records: T[]
  diagnostics: Diagnostic[]
}

/** A routing table entry from `route -n`, `ip route`, or `/proc/net/route`. */
export interface RouteRecord {
  line: number
  /** CIDR, e.g. `0.0.0.0/0`, `10.244.0.128/25`. `default` is normalised to `0.0.0.0/0`. */
  destination: string
  gateway?: string
  device?: string
  /** `main` when the output does not say otherwise. */
  table: string
  metric?: number
  /** route -n flags (`UG`, `UH`…) when printed. */
  flags?: string
  /** ip route route type when not unicast: local, broadcast, blackhole, unreachable, prohibit, throw. */
  type?: string
  proto?: string
  scope?: string
  src?: string
  mtu?: number
  onlink?: boolean
  /** Multipath routes: one entry per `nexthop via … dev …` line under the route. */
  nexthops?: { line: number; gateway?: string; device?: string; weight?: number }[]
  /** `ip route get`: the `cache mtu N` line under the route (path MTU). */
  cacheMtu?: number
}

/** A policy routing rule from `ip rule`. */
export interface RuleRecord {
  line: number
  priority: number
  from?: string
  to?: string
  fwmark?: string
  iif?: string
  oif?: string
  not?: boolean
  /** Table name or number; absent for non-lookup actions. */
  table?: string
  action: 'lookup' | 'blackhole' | 'unreachable' | 'prohibit' | 'goto' | 'nop' | string
}

/** A neighbour (ARP) entry from `arp -an`, `arp -n`, `ip neigh`, `/proc/net/arp`. */
export interface NeighborRecord {
  line: number
  ip: string
  /** lower case; absent for incomplete entries */
  mac?: string
  device?: string
  /** REACHABLE, STALE, PERMANENT, incomplete, C, M… as printed */
  state?: string
}

export interface AddressRecord {
  line: number
  family: 'inet' | 'inet6'
  ip: string
  prefixLength: number
  scope?: string
  /** ip addr prints `peer` for point-to-point; ifconfig prints netmask */
  broadcast?: string
}

/** An interface from `ip addr`, `ip link`, `ip -d link`, `ip -br addr`, `ifconfig`. */
export interface InterfaceRecord {
  /** The line with the interface header (`24: eth0@if25: <…>` or `cilium_host: flags=…`). */
  line: number
  /** Every line that belongs to this interface block. */
  lines: number[]
  name: string
  ifindex?: number
  /** N in `eth0@ifN`: the peer's ifindex in the other namespace (veth). */
  peerIfindex?: number
  /** `name@parent` when the suffix is a device name rather than ifN (ipvlan, vlan…). */
  parent?: string
  flags: string[]
  mtu?: number
  state?: string
  /** lower case */
  mac?: string
  macLine?: number
  linkNetnsId?: number
  linkNetns?: string
  /** From `ip -d link`: veth, ipvlan, vxlan, geneve… */
  linkKind?: string
  /** `master cni0` on the header: the bridge/bond this device is a port of. */
  master?: string
  /** `altname enp0s3` lines. */
  altnames?: string[]
  addresses: AddressRecord[]
}

/** A tc filter from `tc filter show dev X ingress|egress`. */
export interface TcFilterRecord {
  line: number
  protocol?: string
  pref?: number
  chain?: number
  handle?: string
  kind: string
  /** The program's name as tc prints it: `bpf_lxc.o:[from-container]`, `cil_from_container-lxc…`. */
  name?: string
  /** `bpf_lxc.o` when printed as obj:[section] */
  object?: string
  /** section (`from-container`) or program name (`cil_from_container`) */
  program?: string
  directAction?: boolean
  id?: number
  tag?: string
  jited?: boolean
  /** `parent ffff:` when printed */
  parent?: string
  /** From the echoed `tc filter show dev X` line, else the 1.13+ name suffix (`cil_from_container-lxc…`). */
  device?: string
  /** From the echoed `tc filter show dev X ingress|egress` line, when the output carries it. */
  direction?: 'ingress' | 'egress'
}

/** One attachment from `bpftool net show`. */
export interface BpftoolNetRecord {
  line: number
  device: string
  ifindex?: number
  /** xdp, tc, tcx, clsact, flow_dissector… */
  attachType: string
  direction?: 'ingress' | 'egress'
  /** full name as printed */
  name: string
  object?: string
  program?: string
  id?: number
  linkId?: number
  /** the `xdp:` / `tc:` / `flow_dissector:` / `netfilter:` section the line was printed under */
  section?: string
  /** 1.13+ tc names carry the device they were attached to: `cil_from_container-lxc…` */
  nameDevice?: string
}

export interface IptablesRule {
  line: number
  table: string
  chain: string
  /** The rule text as printed (`-A CHAIN …`). */
  text: string
  source?: string
  sourceNot?: boolean
  destination?: string
  destinationNot?: boolean
  inInterface?: string
  inInterfaceNot?: boolean
  outInterface?: string
  outInterfaceNot?: boolean
  protocol?: string
  protocolNot?: boolean
  comment?: string
  /** mark/set matches etc. that a simple matcher cannot evaluate */
  otherMatches: string[]
  target?: string
  targetArgs: string[]
  /** -j vs -g */
  goto?: boolean
  /** packet/byte counters when printed ([pkts:bytes] or -vnL columns) */
  packets?: number
  bytes?: number
  /** `-vnL` prints 186K, 3M…: the counters are rounded */
  countersApproximate?: boolean
  /** the `num` column of `iptables -L --line-numbers` */
  ruleNumber?: number
}

export interface IptablesChain {
  line: number
  table: string
  name: string
  policy?: string
  /** policy counters (`:INPUT ACCEPT [36:2160]`, `(policy ACCEPT 10 packets, 668 bytes)`) */
  packets?: number
  bytes?: number
  /** `Chain X (1 references)` */
  references?: number
}

export interface IptablesRuleset {
  chains: IptablesChain[]
  rules: IptablesRule[]
}

export interface ConntrackTuple {
  src: string
  dst: string
  sport?: number
  dport?: number
  /** ICMP type/code/id when the tuple is ICMP */
  type?: number
  code?: number
  id?: number
}

/** A netfilter conntrack entry from `/proc/net/nf_conntrack` or `conntrack -L`. */
export interface NfConntrackRecord {
  line: number
  /** the line, trimmed */
  text: string
  family?: 'ipv4' | 'ipv6'
  protocol: string
  protocolNumber?: number
  timeout?: number
  state?: string
  original: ConntrackTuple
  reply: ConntrackTuple
  flags: string[]
  mark?: number
  zone?: number
  use?: number
}

/** An entry of Cilium's BPF conntrack map from `cilium bpf ct list global`, any era. */
export interface CiliumCtRecord {
  line: number
  text: string
  protocol: string
  /** OUT, IN, SVC */
  direction: string
  src: string
  sport?: number
  dst: string
  dport?: number
  related?: boolean
  service?: boolean
  revNat?: number
  sourceSecurityId?: number
  ifIndex?: number
  flags?: string[]
  expires?: number
  /**
   * Cilium 1.5 printed one address and a port pair (`TCP IN 10.15.0.1 9090:34382`) without saying
   * which end the address is: it is kept here and src/dst stay empty strings rather than guessed.
   */
  address?: string
  /** `Flags=0x0013` / `Flags=13` / `flags=13` as printed */
  flagsValue?: string
  backendId?: number
  natPort?: number
}

/** One event of `cilium monitor` (trace/drop/debug). */
export interface CiliumMonitorRecord {
  line: number
  text: string
  /** `->` or `<-` for trace events, `xx` for drops */
  arrow?: string
  /** stack, endpoint, host, network, overlay, proxy… */
  point?: string
  endpointId?: number
  flow?: string
  identitySrc?: string
  identityDst?: string
  state?: string
  ifindex?: string
  origIp?: string
  src?: string
  sport?: number
  dst?: string
  dport?: number
  protocol?: string
  tcpFlags?: string[]
  drop?: string
  /** `Policy verdict log:` events: allow, deny, audit */
  verdict?: string
  /** every line of the event when the output wrapped it (first line = `line`) */
  lines?: number[]
}

/** One entry of `cilium bpf nat list`. */
export interface CiliumNatRecord {
  line: number
  text: string
  protocol: string
  direction: string
  src: string
  sport?: number
  dst: string
  dport?: number
  xlate: 'XLATE_SRC' | 'XLATE_DST' | string
  to: string
  toPort?: number
}

/** An "Unable to open …cilium_snat_v4_external…" line: evidence that BPF masquerading is off. */
export interface MissingMapRecord {
  line: number
  map: string
  stream: 'stdout' | 'stderr'
}

/** `cilium config view`, `cilium status`, key/value style outputs. */
export interface KeyValueRecord {
  line: number
  key: string
  value: string
  /** the unindented `Key:` line an indented `  Sub key: value` belongs to (cilium status --verbose) */
  parent?: string
}

export interface CiliumStatusRecord {
  hostRouting?: { value: string; line: number }
  masquerading?: { value: string; line: number }
  kubeProxyReplacement?: { value: string; line: number }
  routing?: { value: string; line: number }
  /** every `Key: value` line */
  entries: KeyValueRecord[]
}

export interface CiliumEndpointRecord {
  line: number
  lines: number[]
  id: number
  identity?: number
  ipv4?: string
  ipv6?: string
  labels: string[]
  status?: string
}

export interface CiliumServiceRecord {
  line: number
  lines: number[]
  id?: number
  frontend: string
  type?: string
  backends: { line: number; address: string; state?: string; index?: number; protocol?: string; revNat?: number }[]
  /** `TCP`/`UDP` from a `/TCP` frontend suffix (≥1.17); `frontend` itself stays ip:port */
  protocol?: string
}

export interface CiliumLbRecord {
  line: number
  service: string
  backend: string
  revNat?: number
  /** the slot 0 / master entry (0.0.0.0:0) */
  master?: boolean
  flags?: string
  /** backend slot, `(2)` after the service / last `(n)` after the backend (≥1.6 formats) */
  slot?: number
  /** `TCP`/`UDP` from a `/TCP` suffix (≥1.17); service and backend stay ip:port */
  protocol?: string
}

/**
 * One entry of Cilium's ipcache (`cilium map get cilium_ipcache[_v2]`, `cilium bpf ipcache list`, or a
 * raw `bpftool map lookup|dump pinned …/cilium_ipcache` decoded): which identity owns a prefix and,
 * for a remote endpoint, the node IP its packets are tunnelled (or routed) to.
 */
export interface CiliumIpcacheRecord {
  line: number
  /** every line of the entry (a bpftool hex dump spans several) */
  lines?: number[]
  /** CIDR, `10.0.1.110/32` */
  prefix: string
  identity?: number
  /** `0.0.0.0` for endpoints of the node the map belongs to */
  tunnelEndpoint?: string
  encryptKey?: number
  /** `hastunnel`… (`<none>` gives []) */
  flags?: string[]
  /** `sync`, `to-be-deleted`… as printed */
  state?: string
}
