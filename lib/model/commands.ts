/**
 * What a command line in a capture is, once recognised: which parser reads its output,
 * and which filters (device, direction, table, `| grep`) shaped what it printed.
 */

export type CommandKind =
  | 'ip-addr' // ip a, ip addr [show] [dev X], ip -4 -br addr, ip link, ip -d link (all print interface blocks)
  | 'ip-route' // ip r, ip route [show] [table all|N], ip -4 route
  | 'ip-rule' // ip rule [show]
  | 'ip-neigh' // ip neigh, ip n
  | 'ifconfig' // ifconfig [dev]
  | 'route-n' // route -n
  | 'arp' // arp -an, arp -n
  | 'proc-net-route' // cat /proc/net/route
  | 'proc-net-arp' // cat /proc/net/arp
  | 'iflink' // cat /sys/class/net/<dev>/iflink
  | 'nf-conntrack' // cat /proc/net/nf_conntrack, grep … /proc/net/nf_conntrack, conntrack -L
  | 'tc-filter' // tc filter show dev X ingress|egress
  | 'bpftool-net' // bpftool net [show|list]
  | 'iptables-save' // iptables-save [-t table]
  | 'iptables-list' // iptables [-t nat] -L|-nvL [chain]
  | 'cilium-ct' // cilium[-dbg] bpf ct list global
  | 'cilium-monitor' // cilium[-dbg] monitor
  | 'cilium-nat' // cilium[-dbg] bpf nat list
  | 'cilium-config' // cilium[-dbg] config [view]
  | 'cilium-endpoint-list' // cilium[-dbg] endpoint list
  | 'cilium-service-list' // cilium[-dbg] service list
  | 'cilium-lb-list' // cilium[-dbg] bpf lb list
  | 'cilium-status' // cilium[-dbg] status [--verbose]
  | 'cilium-ipcache' // cilium[-dbg] map get cilium_ipcache[_v2], cilium bpf ipcache list, bpftool map lookup|dump pinned …/cilium_ipcache
  | 'unknown'

export interface CommandInfo {
  kind: CommandKind
  /** The first command of the pipeline, split into words (wrappers such as nsenter/ip netns exec removed). */
  argv: string[]
  /** `dev X` / `ifconfig X` / `/sys/class/net/X/iflink` */
  device?: string
  /** tc filter direction */
  direction?: 'ingress' | 'egress'
  /** ip route table (`all`, `main`, number) or iptables table (`nat`, `filter`…) */
  table?: string
  /** iptables -L chain */
  chain?: string
  /** the filters after `|` (grep, head…), as printed */
  filters: string[]
  /** false when a filter (grep, head) may have dropped lines: absence of a line proves nothing */
  complete: boolean
  /** true when the output is a count (grep -c, wc -l), not records */
  countOnly: boolean
  /** true for cilium-dbg / cilium */
  ciliumBinary?: 'cilium' | 'cilium-dbg'
}
