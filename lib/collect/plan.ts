/**
 * The commands packetwalk runs to take a capture, and where. One plan serves every collector
 * (Kubernetes exec, network namespaces of the lab), so a live capture and a lab capture hold
 * the same commands and the engine reads them the same way.
 *
 * Rounds: ROUND1 asks every place what it can answer alone (and, when asked, the probe traffic
 * runs then, with a bounded monitor started just before it); AFTER_TRAFFIC reads what the
 * traffic left behind (conntrack tables, NAT map, Hubble's flow buffer) together with the
 * commands the engine's `needs` ask for after reading round 1 (tc on the devices the walk found).
 *
 * The agent commands are those of the real Cilium agent image (1.14–1.18): `cilium-dbg`/`cilium`,
 * `ip`, `tc`, `bpftool`, `iptables-save`, `hubble`, coreutils (`cat`, `timeout`) — no `conntrack`,
 * so netfilter's table is read from /proc/net/nf_conntrack (the agent uses the host network, so
 * /proc/net is the node's).
 *
 * Commands are argument vectors, never shell lines; `commandLine(argv)` is how they are
 * recorded in the capture (`command` field) and what the engine recognises.
 */
import type { HostRole } from '@/lib/model/capture'

export interface PlannedCommand {
  argv: string[]
  /** Why the command is run, shown in the live page's progress list. */
  purpose: string
  /** Output size bound in bytes; the collector truncates beyond it and says so. */
  maxBytes?: number
  /** Time bound in ms (the exec's own bound, beyond any `timeout` in argv). */
  timeoutMs?: number
  /** A stream bounded on purpose (`timeout 5 cilium monitor`): ending at its bound is not a failure. */
  bounded?: boolean
  /** Run only if an earlier command of the same host failed with "not found" (tool missing). */
  fallbackFor?: string
  /**
   * A table that can hold a million lines (conntrack, NAT): the collector scans the stream line by
   * line and keeps only the lines naming one of the flow's addresses, with a note of what it kept.
   */
  filterToFlow?: boolean
}

const MB = 1024 * 1024

/** Round 1: what each place can be asked without knowing anything about the others. */
export const ROUND1: Record<HostRole, PlannedCommand[]> = {
  pod: [
    { argv: ['ip', 'addr'], purpose: "the pod's interfaces, eth0@ifN names the node-side veth" },
    { argv: ['ip', 'route', 'show', 'table', 'all'], purpose: "the pod's routing tables" },
    { argv: ['ip', 'rule'], purpose: "the pod's policy routing rules" },
    { argv: ['ip', 'neigh'], purpose: "the pod's neighbour (ARP) table: the gateway's MAC" },
  ],
  node: [
    { argv: ['ip', '-d', 'link'], purpose: "the node's devices, veth/netkit peers and their kinds" },
    { argv: ['ip', 'addr'], purpose: "the node's addresses (cilium_host, eth0…)" },
    { argv: ['ip', 'route', 'show', 'table', 'all'], purpose: "the node's routing tables" },
    { argv: ['ip', 'rule'], purpose: "the node's policy routing rules" },
    { argv: ['ip', 'neigh'], purpose: "the node's neighbour table: the next hop's MAC" },
    { argv: ['iptables-save'], purpose: 'netfilter rules: masquerade, kube-proxy', maxBytes: 64 * MB },
  ],
  agent: [
    { argv: ['cilium', 'status', '--verbose'], purpose: 'host routing and masquerading mode' },
    { argv: ['cilium', 'config', 'view'], purpose: "the agent's configuration" },
    { argv: ['bpftool', 'net', 'show'], purpose: 'every BPF program attached to a device (tc, tcx, netkit, xdp)' },
    { argv: ['cilium', 'endpoint', 'list'], purpose: 'endpoints on this node' },
    { argv: ['cilium', 'service', 'list'], purpose: 'services and their backends' },
  ],
}

/** How many of Hubble's most recent flows to read (its ring buffer holds 4095 by default). */
export const HUBBLE_LAST = 1000
/** Seconds the fallback monitor runs; `timeout` ends it inside the container, whatever the exec stream does. */
export const MONITOR_SECONDS = 5

/** Hubble's recent flows of one address, as JSON: ends by itself, marks replies (`is_reply`). */
export function hubbleObserve(ip: string): PlannedCommand {
  return {
    argv: ['hubble', 'observe', '--last', String(HUBBLE_LAST), '-o', 'json', '--ip', ip],
    purpose: `Hubble's last ${HUBBLE_LAST} flows of ${ip}: where the datapath saw the packet, verdict, replies`,
    maxBytes: 16 * MB,
  }
}

/**
 * After traffic: what the flow left behind. `ip` is the address Hubble is asked about (the source
 * pod's; the destination's on its own node).
 */
export function afterTraffic(role: HostRole, ip?: string): PlannedCommand[] {
  if (role === 'node') {
    return [{ argv: ['cat', '/proc/net/nf_conntrack'], purpose: "netfilter connection tracking: the translated source (the kernel's own table)", maxBytes: 64 * MB, timeoutMs: 60_000, filterToFlow: true }]
  }
  if (role === 'agent') {
    return [
      { argv: ['cilium', 'bpf', 'ct', 'list', 'global'], purpose: "Cilium's BPF conntrack: the flow's entry", maxBytes: 64 * MB, timeoutMs: 60_000, filterToFlow: true },
      { argv: ['cilium', 'bpf', 'nat', 'list'], purpose: 'BPF masquerade (SNAT) entries', maxBytes: 64 * MB, timeoutMs: 60_000, filterToFlow: true },
      ...(ip ? [hubbleObserve(ip)] : []),
    ]
  }
  return []
}

/**
 * The fallback observation when Hubble is off: a monitor started before the probe and ended by
 * `timeout` inside the container, so no monitor is ever left running in the agent.
 */
export const MONITOR: PlannedCommand = {
  argv: ['timeout', String(MONITOR_SECONDS), 'cilium', 'monitor'],
  purpose: `${MONITOR_SECONDS} s of datapath events around the probe (fallback when Hubble is off)`,
  timeoutMs: (MONITOR_SECONDS + 5) * 1000,
  bounded: true,
  maxBytes: 8 * MB,
}

/** Fallbacks for a pod image without iproute2: the kernel's own files need only `cat`. */
export const POD_FALLBACKS: PlannedCommand[] = [
  { argv: ['cat', '/proc/net/route'], purpose: 'routing table without iproute2', fallbackFor: 'ip' },
  { argv: ['cat', '/proc/net/arp'], purpose: 'ARP table without iproute2', fallbackFor: 'ip' },
  { argv: ['cat', '/sys/class/net/eth0/iflink'], purpose: "eth0's peer ifindex without iproute2", fallbackFor: 'ip' },
]

/**
 * Device commands the engine may ask for in its `needs` (the lxc or netkit end of the pod, the
 * egress device): tc for tc/tcx attachments, `bpftool net show dev` for netkit, whose programs
 * are not tc filters. Only these forms, with a validated device name, are allowed.
 */
export function deviceCommands(device: string): PlannedCommand[] {
  return [
    { argv: ['tc', 'filter', 'show', 'dev', device, 'ingress'], purpose: `the BPF program on ${device} ingress` },
    { argv: ['tc', 'filter', 'show', 'dev', device, 'egress'], purpose: `the BPF program on ${device} egress` },
    { argv: ['bpftool', 'net', 'show', 'dev', device], purpose: `BPF programs attached to ${device} (tcx, netkit)` },
  ]
}

/** The text recorded in a capture for an argument vector. Arguments are validated before they get here. */
export function commandLine(argv: readonly string[]): string {
  return argv.join(' ')
}
