/**
 * The questions the engine, the collectors and the view ask of a topology, each answered in one
 * place: which namespace holds an IP, which device holds an address, which pod a node's veth
 * leads to, and back.
 */
import type { Device, Netns } from '@/lib/model/topology'
import type { Topology } from './build'
import { isPodDevice } from './devices'

export interface Holding {
  netns: Netns
  device: Device
}

/** The device of `netns` that holds `ip`. */
export function deviceHoldingAddress(netns: Netns | undefined, ip: string): Device | undefined {
  return netns?.devices.find((d) => d.addresses.some((a) => a.ip === ip))
}

/**
 * The namespace (and device) holding `ip`. Pods win over nodes: a node may list a pod's address
 * on no device of its own, but `cilium_host`'s router IP belongs to the node.
 */
export function hostHoldingIp(topo: Topology, ip: string, opts: { except?: Netns } = {}): Holding | undefined {
  let nodeHit: Holding | undefined
  for (const ns of topo.netns) {
    if (ns === opts.except) continue
    const device = deviceHoldingAddress(ns, ip)
    if (!device || device.kind === 'loopback') continue
    if (ns.kind === 'pod') return { netns: ns, device }
    nodeHit ??= { netns: ns, device }
  }
  return nodeHit
}

/** The namespace a capture host's outputs describe (a node's agent: the node's). */
export function netnsOfHost(topo: Topology, hostId: string): Netns | undefined {
  return topo.netnsOfHost.get(hostId)
}

/** The node namespace by node name or host id. */
export function nodeNetns(topo: Topology, name: string | undefined): Netns | undefined {
  if (name === undefined) return undefined
  return topo.netns.find((n) => n.kind === 'node' && (n.name === name || n.id === name))
}

/** The pod (and its device) at the other end of a node's veth. */
export function podOfDevice(topo: Topology, node: Netns, device: string): { pod: Netns; device: string } | undefined {
  if (!isPodDevice(device)) return undefined
  for (const l of topo.links) {
    if (l.kind === 'veth' && l.b.netns === node.id && l.b.device === device) {
      const pod = topo.netns.find((n) => n.id === l.a.netns)
      if (pod) return { pod, device: l.a.device }
    }
  }
  return undefined
}

/** The node end of a pod's device (eth0 → lxc…), from the veth pairing. */
export function nodeEndOf(topo: Topology, pod: Netns, device = 'eth0'): { node: Netns; device: string } | undefined {
  for (const l of topo.links) {
    if (l.kind === 'veth' && l.a.netns === pod.id && l.a.device === device) {
      const node = topo.netns.find((n) => n.id === l.b.netns)
      if (node) return { node, device: l.b.device }
    }
  }
  return undefined
}

/** The node a tunnel endpoint address leads to, through an overlay link of `from`. */
export function overlayPeer(topo: Topology, from: Netns, address: string): Netns | undefined {
  const l = topo.links.find((x) => x.kind === 'overlay' && x.a.netns === from.id && x.b.address === address)
  return l ? topo.netns.find((n) => n.id === (l.kind === 'overlay' ? l.b.netns : '')) : undefined
}

/** Pod devices (node ends of pod veths) a node's outputs list. */
export function podDevicesOf(node: Netns): Device[] {
  return node.devices.filter((d) => isPodDevice(d.name))
}
