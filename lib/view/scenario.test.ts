import { describe, expect, it } from 'vitest'
import { validateCapture } from '@/lib/formats/capture-schema'
import { inferWalk } from '@/lib/engine'
import { tailStops, wireBetween } from './scenario'
import { walkToFlow } from './walk-to-flow'
import type { HostSummary } from './walk-view'

const CAPTURES = import.meta.glob('../engine/fixtures/captures/*.capture.json', { import: 'default', eager: true }) as Record<string, unknown>

/** A real capture from the engine's fixtures (public outputs, see their README) and its walk. */
function load(name: string) {
  const r = validateCapture(CAPTURES[`../engine/fixtures/captures/${name}.capture.json`])
  if (!r.ok) throw new Error(r.error)
  const hosts: Record<string, HostSummary> = Object.fromEntries(
    Object.entries(r.capture.hosts).map(([id, h]) => [id, { role: h.role, name: h.name, node: h.node }]),
  )
  return { walk: inferWalk(r.capture), hosts }
}

describe('where a walk ends in the drawing', () => {
  it('VXLAN pod to pod: the tunnel sits between the two nodes, the packet is delivered in the destination pod', () => {
    const { walk, hosts } = load('g4-tkng-cilium19-vxlan-pod-to-pod')
    const tunnel = walk.hops.findIndex((h) => h.kind === 'tunnel')
    expect(wireBetween(walk, hosts, tunnel)).toMatchObject({ role: 'tunnel', ip: '172.18.0.5', label: 'VXLAN', group: { kind: 'underlay' } })
    expect(tailStops(walk, hosts)).toEqual([])
    const layout = walkToFlow(walk, hosts)
    const boxes = layout.nodes.filter((n) => n.type === 'box').map((n) => (n.type === 'box' ? `${n.data.group.kind}:${n.data.group.name}` : ''))
    expect(boxes).toEqual(['pod:default/pod1', 'node:k8s-guide-worker', 'underlay:', 'node:k8s-guide-control-plane', 'pod:default/pod3'])
  })

  it('pod to a pod of another node, routed: the next node is on the underlay, the destination in its node', () => {
    const { walk, hosts } = load('g5-tkng-calico-bgp-pod-to-pod')
    const tail = tailStops(walk, hosts)
    expect(tail.map((t) => [t.role, t.group.kind, t.ip])).toEqual([
      ['peer', 'underlay', '172.18.0.5'],
      ['destination', 'node', '10.244.236.0'],
    ])
    expect(tail[1]?.group.name).toBe('k8s-guide-control-plane')
  })

  it('a ClusterIP whose backend is unknown is a virtual address inside the cluster, not the world', () => {
    const { walk, hosts } = load('g7-tkng-kubeproxy-iptables-service')
    expect(tailStops(walk, hosts).map((t) => [t.role, t.group.kind, t.ip, t.port])).toEqual([['service', 'service', '10.96.94.225', 80]])
  })

  it('a service translated to its backend ends at the backend with the backend port', () => {
    const { walk, hosts } = load('g3-arthurchiao-minikube15-single-backend')
    expect(tailStops(walk, hosts).map((t) => [t.role, t.group.kind, t.ip, t.port])).toEqual([['backend', 'cluster', '10.15.49.158', 9090]])
  })

  it('pod to the internet ends in the world, after the router', () => {
    const { walk, hosts } = load('g5-tkng-calico-bgp-pod-to-outside')
    expect(tailStops(walk, hosts).map((t) => [t.role, t.group.kind])).toEqual([
      ['router', 'world'],
      ['destination', 'world'],
    ])
  })
})
