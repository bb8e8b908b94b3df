/**
 * The last link of a delivery: from the node end of a pod's veth into the pod's namespace, and
 * the packet handed to the pod's own device (eth0), not left on the node's lxc. The pair comes
 * from the topology (the pod's eth0@ifN is the node's ifindex N, on that node only); the pod's
 * device is the one holding the destination address.
 */
import type { Evidence } from '@/lib/model/walk'
import type { Netns } from '@/lib/model/topology'
import { addHop, addUnproven, type WalkContext } from '../context'
import type { NodeSide } from '../steps/bpf'
import { deviceHoldingAddress, hostHoldingIp, netnsOfHost, nodeNetns, podOfDevice } from '@/lib/topology'

function nodeOf(ctx: WalkContext, side: NodeSide): Netns | undefined {
  const id = side.node?.id ?? side.agent?.id
  return (id ? netnsOfHost(ctx.topology, id) : undefined) ?? nodeNetns(ctx.topology, side.nodeAt.node ?? side.nodeId)
}

/**
 * Emits veth (node → pod) and deliver (on the pod's device) when the destination pod's outputs
 * are in the capture; returns false (and emits nothing) when they are not.
 */
export function enterPod(ctx: WalkContext, side: NodeSide, nodeDevice: string): boolean {
  const node = nodeOf(ctx, side)
  if (!node) return false
  const paired = podOfDevice(ctx.topology, node, nodeDevice)
  const holder = hostHoldingIp(ctx.topology, ctx.dstIp)
  const pod = paired?.pod ?? (holder?.netns.kind === 'pod' && holder.netns.node === node.name ? holder.netns : undefined)
  if (!pod) return false
  const podDevice = deviceHoldingAddress(pod, ctx.dstIp) ?? pod.devices.find((d) => d.name === (paired?.device ?? 'eth0'))
  const podDevName = paired?.device ?? podDevice?.name ?? 'eth0'
  const nodeDev = node.devices.find((d) => d.name === nodeDevice)
  const link = paired ? ctx.topology.links.find((l) => l.kind === 'veth' && l.a.netns === pod.id && l.b.device === nodeDevice) : undefined
  const l2 = { srcMac: nodeDev?.mac, dstMac: pod.devices.find((d) => d.name === podDevName)?.mac }
  if (link) {
    addHop(ctx, {
      kind: 'veth',
      host: pod.id,
      place: 'pod',
      summary: `The packet crosses the veth pair from ${nodeDevice} on ${side.nodeId} into the pod ${pod.name}: its ${podDevName}@if${nodeDev?.ifindex ?? ''} is the other end of ifindex ${nodeDev?.ifindex ?? ''}`,
      facts: { from: nodeDevice, to: podDevName, fromHost: side.nodeId, toHost: pod.id },
      evidence: link.evidence,
      l2,
    })
  } else {
    addUnproven(ctx, {
      kind: 'veth',
      host: pod.id,
      place: 'pod',
      summary: `The packet crosses the veth pair from ${nodeDevice} on ${side.nodeId} into the pod ${pod.name}, which holds ${ctx.dstIp}; the pairing itself is not shown (the ifindexes of both ends were not captured)`,
      facts: { from: nodeDevice, to: podDevName, fromHost: side.nodeId, toHost: pod.id },
      evidence: podDevice?.evidence ?? [],
      l2,
      prove: { ...side.nodeAt, command: 'ip -d link', why: `no output shows ${nodeDevice}'s ifindex next to the pod's ${podDevName}@ifN` },
    })
  }
  const evidence: Evidence[] = podDevice && deviceHoldingAddress(pod, ctx.dstIp) ? podDevice.evidence : []
  if (evidence.length) {
    addHop(ctx, {
      kind: 'deliver',
      host: pod.id,
      place: 'pod',
      summary: `The packet reaches the pod ${pod.name}: ${podDevName} holds ${ctx.dstIp}`,
      facts: { device: podDevName, ip: ctx.dstIp },
      evidence,
    })
  } else {
    addUnproven(ctx, {
      kind: 'deliver',
      host: pod.id,
      place: 'pod',
      summary: `The packet reaches the pod ${pod.name} on ${podDevName}; no address list of the pod shows ${ctx.dstIp} on it`,
      facts: { device: podDevName, ip: ctx.dstIp },
      evidence: [],
      prove: { host: pod.id, role: 'pod', ...(pod.node ? { node: pod.node } : {}), inCapture: true, command: 'ip addr', why: `no address list of ${pod.id} shows ${ctx.dstIp}` },
    })
  }
  return true
}
