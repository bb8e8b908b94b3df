/**
 * The commands packetwalk runs to take a capture, and where. One plan serves every collector
 * (Kubernetes exec, network namespaces of the lab), so a live capture and a lab capture hold
 * the same commands and the engine reads them the same way.
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
  /** Time bound in ms; `cilium monitor` is bounded by time on purpose. */
  timeoutMs?: number
  /** Stopped on purpose at timeoutMs (a stream such as `cilium monitor`): the timeout is not a failure. */
  bounded?: boolean
  /** Run only if an earlier command of the same host failed with "not found" (tool missing). */
  fallbackFor?: string
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
    { argv: ['ip', '-d', 'link'], purpose: "the node's devices, veth peers and their kinds" },
    { argv: ['ip', 'addr'], purpose: "the node's addresses (cilium_host, eth0…)" },
    { argv: ['ip', 'route', 'show', 'table', 'all'], purpose: "the node's routing tables" },
    { argv: ['ip', 'rule'], purpose: "the node's policy routing rules" },
    { argv: ['ip', 'neigh'], purpose: "the node's neighbour table: the next hop's MAC" },
    { argv: ['iptables-save'], purpose: 'netfilter rules: masquerade, kube-proxy', maxBytes: 64 * MB },
    { argv: ['conntrack', '-L'], purpose: 'netfilter connection tracking: the translated source', maxBytes: 64 * MB },
  ],
  agent: [
    { argv: ['cilium', 'status', '--verbose'], purpose: 'host routing and masquerading mode' },
    { argv: ['cilium', 'config', 'view'], purpose: "the agent's configuration" },
    { argv: ['bpftool', 'net', 'show'], purpose: 'every BPF program attached to a device' },
    { argv: ['cilium', 'bpf', 'ct', 'list', 'global'], purpose: "Cilium's BPF conntrack: the flow's entry", maxBytes: 64 * MB },
    { argv: ['cilium', 'bpf', 'nat', 'list'], purpose: 'BPF masquerade (SNAT) entries', maxBytes: 64 * MB },
    { argv: ['cilium', 'endpoint', 'list'], purpose: 'endpoints on this node' },
    { argv: ['cilium', 'service', 'list'], purpose: 'services and their backends' },
    { argv: ['cilium', 'monitor'], purpose: 'a few seconds of datapath events', timeoutMs: 3000, bounded: true, maxBytes: 8 * MB },
  ],
}

/** Fallbacks for a pod image without iproute2: the kernel's own files need only `cat`. */
export const POD_FALLBACKS: PlannedCommand[] = [
  { argv: ['cat', '/proc/net/route'], purpose: 'routing table without iproute2', fallbackFor: 'ip' },
  { argv: ['cat', '/proc/net/arp'], purpose: 'ARP table without iproute2', fallbackFor: 'ip' },
  { argv: ['cat', '/sys/class/net/eth0/iflink'], purpose: "eth0's peer ifindex without iproute2", fallbackFor: 'ip' },
]

/**
 * Node commands that need a device name learnt in round 1: the lxc veth end, the egress device,
 * the device a packet from the flow's source comes in on (a second node's underlay), and the
 * node's tunnel devices (cilium_vxlan, cilium_geneve), both directions.
 */
export function round2NodeCommands(devices: { lxc?: string; egress?: string; ingress?: string; tunnels?: readonly string[] }): PlannedCommand[] {
  const out: PlannedCommand[] = []
  if (devices.lxc) {
    out.push({ argv: ['tc', 'filter', 'show', 'dev', devices.lxc, 'ingress'], purpose: 'the BPF program the packet meets leaving the pod' })
    out.push({ argv: ['tc', 'filter', 'show', 'dev', devices.lxc, 'egress'], purpose: 'the BPF program on the way into the pod' })
  }
  if (devices.egress) {
    out.push({ argv: ['tc', 'filter', 'show', 'dev', devices.egress, 'egress'], purpose: 'a BPF program on the way out of the node' })
  }
  if (devices.ingress) {
    out.push({ argv: ['tc', 'filter', 'show', 'dev', devices.ingress, 'ingress'], purpose: 'a BPF program on the way into the node' })
  }
  for (const t of devices.tunnels ?? []) {
    out.push({ argv: ['tc', 'filter', 'show', 'dev', t, 'egress'], purpose: 'the BPF program on the tunnel device, encapsulating' })
    out.push({ argv: ['tc', 'filter', 'show', 'dev', t, 'ingress'], purpose: 'the BPF program on the tunnel device, decapsulated' })
  }
  return out
}

/** The text recorded in a capture for an argument vector. Arguments are validated before they get here. */
export function commandLine(argv: readonly string[]): string {
  return argv.join(' ')
}
