/**
 * buildTopology and its questions on real captures: the lab (real kernel namespaces), the seed
 * (DOKS TP outputs) and corpus captures of other clusters.
 */
import { describe, expect, it } from 'vitest'
import { validateCapture } from '@/lib/formats/capture-schema'
import type { Capture } from '@/lib/model/capture'
import lab from '@/lib/demo/lab.capture.json'
import seed from '@/lib/demo/seed-doks.capture.json'
import g5 from '@/lib/engine/fixtures/captures/g5-tkng-calico-bgp-pod-to-pod.capture.json'
import { buildTopology, deviceHoldingAddress, deviceKind, hostHoldingIp, isPodDevice, netnsOfHost, nodeEndOf, podDevicesOf, podOfDevice } from '.'

function load(json: unknown): Capture {
  const r = validateCapture(structuredClone(json))
  if (!r.ok) throw new Error(r.error)
  return r.capture
}

describe('isPodDevice: one answer for "is this a pod veth?"', () => {
  it('node ends of pod veths across CNIs, never the health endpoint or node devices', () => {
    for (const d of ['lxca4ffc802dbcd', 'cali0ad20b06c15', 'veth3f2a1b', 'azv1234', 'eni0a1b', 'gke1234', 'vnet0']) expect(isPodDevice(d), d).toBe(true)
    for (const d of ['lxc_health', 'eth0', 'cilium_host', 'cilium_vxlan', 'flannel.1', 'cni0', undefined]) expect(isPodDevice(d), String(d)).toBe(false)
  })
  it('device kinds by name and link kind', () => {
    expect(deviceKind('cilium_host')).toBe('cilium_host')
    expect(deviceKind('cilium_vxlan')).toBe('vxlan')
    expect(deviceKind('cilium_geneve')).toBe('geneve')
    expect(deviceKind('flannel.1', 'vxlan')).toBe('flannel')
    expect(deviceKind('cali0ad20b06c15')).toBe('calico')
    expect(deviceKind('lxc12', 'netkit')).toBe('netkit')
    expect(deviceKind('ens5')).toBe('ethernet')
  })
})

describe('lab topology (pw-node, its agent and the client pod)', () => {
  const topo = buildTopology(load(lab))
  const node = netnsOfHost(topo, 'pw-node')!
  const pod = netnsOfHost(topo, 'client')!

  it('the agent shares its node namespace; the pod has its own', () => {
    expect(netnsOfHost(topo, 'cilium-agent')).toBe(node)
    expect(node.hosts).toEqual(['pw-node', 'cilium-agent'])
    expect(pod.kind).toBe('pod')
    expect(topo.netns).toHaveLength(2)
  })

  it('devices with ifindex, MAC, addresses and kind, citing the lines that show them', () => {
    const lxc = node.devices.find((d) => d.name === 'lxca4ffc802dbcd')!
    expect(lxc).toMatchObject({ ifindex: 25, peerIfindex: 24, mac: 'f6:66:c0:6a:ff:1b', kind: 'veth' })
    expect(lxc.evidence.length).toBeGreaterThan(0)
    expect(node.devices.find((d) => d.name === 'cilium_host')?.kind).toBe('cilium_host')
    expect(pod.devices.find((d) => d.name === 'eth0')).toMatchObject({ ifindex: 24, peerIfindex: 25, kind: 'veth' })
  })

  it('pairs the pod eth0@if25 with the node ifindex 25, both ways', () => {
    expect(nodeEndOf(topo, pod)).toEqual({ node, device: 'lxca4ffc802dbcd' })
    expect(podOfDevice(topo, node, 'lxca4ffc802dbcd')).toEqual({ pod, device: 'eth0' })
    expect(podOfDevice(topo, node, 'eth0')).toBeUndefined()
    expect(podDevicesOf(node).map((d) => d.name)).toEqual(['lxca4ffc802dbcd'])
  })

  it('which namespace and device hold an address', () => {
    expect(hostHoldingIp(topo, '10.244.0.213')).toMatchObject({ netns: pod, device: { name: 'eth0' } })
    expect(hostHoldingIp(topo, '203.0.113.10')).toMatchObject({ netns: node, device: { name: 'eth0' } })
    expect(hostHoldingIp(topo, '10.244.0.201')?.device.name).toBe('cilium_host')
    expect(hostHoldingIp(topo, '198.51.100.80')).toBeUndefined()
    expect(deviceHoldingAddress(node, '10.244.0.213')).toBeUndefined()
  })

  it('Cilium tables of the node come from its agent', () => {
    const t = topo.cilium.get(node.id)!
    expect(t).toBeDefined()
    expect(Object.keys(t).sort()).toEqual(['ct', 'endpoints', 'ipcache', 'lbs', 'nat', 'services'])
  })
})

describe('other captures', () => {
  it('seed: the unnamed pod pairs with lxcf4cd39e34601 on node-7o7xd', () => {
    const topo = buildTopology(load(seed))
    const pod = netnsOfHost(topo, 'pod')!
    expect(nodeEndOf(topo, pod)?.device).toBe('lxcf4cd39e34601')
    expect(hostHoldingIp(topo, '10.244.0.213')?.netns).toBe(pod)
  })
  it('Calico: the pod eth0@if… is a veth; without the node ifindex list no link is invented', () => {
    const topo = buildTopology(load(g5))
    const pod = netnsOfHost(topo, 'netshoot')!
    expect(pod.devices.find((d) => d.name === 'eth0')?.kind).toBe('veth')
    expect(topo.links.filter((l) => l.kind === 'veth')).toEqual([])
  })
})
