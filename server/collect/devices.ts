/**
 * The device names round 2 needs, read from round-1 outputs with the project's parsers: the
 * node-side end of the pod's veth (the pod's `eth0@ifN` names the peer's ifindex N, which the
 * node's `ip -d link` lists as `N: lxc…@ifM`), and the device the node routes the destination
 * to. Every name returned has passed isDeviceName, so it is safe to put in an argv.
 */
import type { Run } from '@/lib/model/capture'
import type { InterfaceRecord, RouteRecord } from '@/lib/model/records'
import { longestPrefixMatch } from '@/lib/net'
import { parseIflink, parseIpAddr, parseIpRoute } from '@/lib/parsers'
import { isDeviceName } from '@/server/security/names'

export type Found<T> = T | { reason: string }

function okRun(runs: readonly Run[], command: string): Run | undefined {
  return runs.find((r) => r.command === command && r.exitCode === 0 && r.stdout.trim() !== '')
}

function interfaces(runs: readonly Run[], ...commands: string[]): InterfaceRecord[] {
  for (const c of commands) {
    const r = okRun(runs, c)
    if (r) return parseIpAddr(r.stdout).records
  }
  return []
}

/** The pod's own address: the IPv4 address on eth0 (or on the first non-loopback device). */
export function findPodIp(podRuns: readonly Run[]): { ip: string; device: string } | undefined {
  const ifs = interfaces(podRuns, 'ip addr').filter((i) => i.name !== 'lo')
  const ordered = [...ifs.filter((i) => i.name === 'eth0'), ...ifs.filter((i) => i.name !== 'eth0')]
  for (const i of ordered) {
    const a = i.addresses.find((x) => x.family === 'inet')
    if (a) return { ip: a.ip, device: i.name }
  }
  return undefined
}

/**
 * The node-side veth end of the pod: the pod device holding `podIp` (else eth0) gives the peer
 * ifindex (from `ip addr`'s `@ifN`, or `cat /sys/class/net/eth0/iflink` when the pod has no
 * iproute2), and the node device with that ifindex is the peer.
 */
export function findVethPeer(podRuns: readonly Run[], nodeRuns: readonly Run[], podIp?: string): Found<{ device: string; ifindex: number }> {
  const podIfs = interfaces(podRuns, 'ip addr')
  const podIf =
    (podIp ? podIfs.find((i) => i.addresses.some((a) => a.ip === podIp)) : undefined) ?? podIfs.find((i) => i.name === 'eth0')
  let peer = podIf?.peerIfindex
  if (peer === undefined) {
    const iflink = okRun(podRuns, 'cat /sys/class/net/eth0/iflink')
    peer = iflink ? parseIflink(iflink.stdout).records[0]?.ifindex : undefined
  }
  if (peer === undefined) return { reason: "the pod's eth0 does not name its peer (no eth0@ifN, no iflink)" }
  const nodeIfs = interfaces(nodeRuns, 'ip -d link', 'ip addr')
  if (nodeIfs.length === 0) return { reason: "the node's ip -d link / ip addr is missing or failed" }
  const dev = nodeIfs.find((i) => i.ifindex === peer)
  if (!dev) return { reason: `no node device has ifindex ${peer}` }
  if (!isDeviceName(dev.name)) return { reason: `device name ${JSON.stringify(dev.name)} refused` }
  return { device: dev.name, ifindex: peer }
}

/** The main-table route the node takes to `destination`, by longest prefix (policy rules aside). */
export function findEgressRoute(nodeRuns: readonly Run[], destination: string): RouteRecord | undefined {
  const r = okRun(nodeRuns, 'ip route show table all')
  if (!r) return undefined
  const unicast = parseIpRoute(r.stdout).records.filter(
    (x) => (x.table === 'main' || x.table === undefined) && (x.type === undefined || x.type === 'unicast') && x.device,
  )
  return longestPrefixMatch(unicast, (x) => x.destination, destination, (x) => x.metric)
}

export function findEgressDevice(nodeRuns: readonly Run[], destination: string): Found<{ device: string }> {
  if (!okRun(nodeRuns, 'ip route show table all')) return { reason: "the node's ip route is missing or failed" }
  const route = findEgressRoute(nodeRuns, destination)
  if (!route?.device) return { reason: `no route to ${destination} in the main table` }
  if (!isDeviceName(route.device)) return { reason: `device name ${JSON.stringify(route.device)} refused` }
  return { device: route.device }
}

/** The node's overlay devices (`vxlan`, `geneve` in `ip -d link`), e.g. cilium_vxlan. */
export function findTunnelDevices(nodeRuns: readonly Run[]): string[] {
  return interfaces(nodeRuns, 'ip -d link')
    .filter((i) => (i.linkKind === 'vxlan' || i.linkKind === 'geneve') && isDeviceName(i.name))
    .map((i) => i.name)
}
