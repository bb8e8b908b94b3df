/**
 * `inferWalk(capture, { reply: true })` on real captures: the answer comes back through the node
 * the request left, translations are undone from the entries that recorded them (same hop kind,
 * `reverse: true`), and the packet is delivered on the pod's eth0, not on the node's veth end.
 */
import { describe, expect, it } from 'vitest'
import { validateCapture } from '@/lib/formats/capture-schema'
import { validateWalk } from '@/lib/formats/walk-schema'
import type { Capture } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'
import { inferWalk } from './walk'
import { flowIsReply } from './reply'
import sameNodeReply from '@/lib/demo/lab-same-node-reply.capture.json'
import sameNode from '@/lib/demo/lab-same-node.capture.json'
import crossNodeReply from '@/lib/demo/lab-cross-node-reply.capture.json'
import crossNode from '@/lib/demo/lab-cross-node.capture.json'
import serviceReply from '@/lib/demo/lab-service-reply.capture.json'
import service from '@/lib/demo/lab-service.capture.json'
import egressReply from '@/lib/demo/lab-egress-reply.capture.json'
import egress from '@/lib/demo/lab-egress.capture.json'
import nodeportReply from '@/lib/demo/lab-nodeport-reply.capture.json'
import nodeport from '@/lib/demo/lab-nodeport.capture.json'
import lab from '@/lib/demo/lab.capture.json'
import seed from '@/lib/demo/seed-doks.capture.json'
import kubeProxy from './fixtures/captures/tanjunchen-kind-kubeproxy-service.capture.json'
import kpr from './fixtures/captures/tanjunchen-kind-cilium-kpr-service.capture.json'
import g5out from './fixtures/captures/g5-tkng-calico-bgp-pod-to-outside.capture.json'

function reply(json: unknown): Walk {
  const r = validateCapture(structuredClone(json))
  if (!r.ok) throw new Error(r.error)
  const walk = inferWalk(r.capture as Capture, { reply: true })
  const v = validateWalk(JSON.parse(JSON.stringify(walk)))
  if (!v.ok) throw new Error(v.error)
  return walk
}

describe('reply walks', () => {
  it('lab: un-masquerade from the conntrack entry, route to the lxc, veth, delivered on eth0', () => {
    const w = reply(lab)
    expect(w.reply).toBe(true)
    expect(w.flow.source).toMatchObject({ ip: '198.51.100.80', port: 80 })
    expect(w.flow.destination).toMatchObject({ ip: '10.244.0.213', port: 51912, pod: 'default/client' })
    expect(w.hops.map((h) => `${h.kind}@${h.host}`)).toEqual(['conntrack@pw-node', 'nat@pw-node', 'route@pw-node', 'veth@client', 'deliver@client'])
    expect(w.hops.every((h) => h.proven)).toBe(true)
    const nat = w.hops[1]!
    expect(nat.facts).toEqual({ type: 'masquerade', by: 'iptables', from: '203.0.113.10', to: '10.244.0.213', reverse: true })
    expect(nat.packet).toMatchObject({ srcIp: '198.51.100.80', dstIp: '10.244.0.213' })
    expect(w.hops[2]!.facts).toMatchObject({ destination: '10.244.0.213/32', device: 'lxca4ffc802dbcd' })
    expect(w.hops[3]!.facts).toEqual({ from: 'lxca4ffc802dbcd', to: 'eth0', fromHost: 'pw-node', toHost: 'client' })
    expect(w.hops[4]!.facts).toEqual({ device: 'eth0', ip: '10.244.0.213' })
    expect(w.needs).toEqual([])
  })

  it('seed: the masquerade is undone, the node routes the pod range to cilium_host, delivered on eth0', () => {
    const w = reply(seed)
    expect(w.hops.map((h) => h.kind)).toEqual(['conntrack', 'nat', 'route', 'veth', 'deliver'])
    expect(w.hops[1]!.facts).toMatchObject({ from: '164.92.138.123', to: '10.244.0.213', reverse: true })
    expect(w.hops[2]!.facts).toMatchObject({ destination: '10.244.0.128/25', device: 'cilium_host' })
    expect(w.hops[4]!.facts).toEqual({ device: 'eth0', ip: '10.244.0.213' })
  })

  it('kube-proxy service: the reply comes from the backend and conntrack turns it back into the service', () => {
    const w = reply(kubeProxy)
    expect(w.flow.source).toMatchObject({ ip: '10.244.0.6', port: 80 })
    expect(w.flow.source.service).toBeUndefined()
    const lb = w.hops.find((h) => h.kind === 'lb')!
    expect(lb.proven).toBe(true)
    expect(lb.facts).toEqual({ service: '10.96.72.53:80', backend: '10.244.0.6:80', by: 'iptables', reverse: true })
    expect(lb.packet).toMatchObject({ srcIp: '10.96.72.53', srcPort: 80 })
  })

  it('Cilium KPR service: RevNAT from the same CT entry, by bpf', () => {
    const w = reply(kpr)
    const lb = w.hops.find((h) => h.kind === 'lb')!
    expect(lb.facts).toMatchObject({ service: '10.96.43.209:80', backend: '10.0.1.108:80', by: 'bpf', reverse: true })
    expect(lb.summary).toContain('RevNAT 5')
  })

  it('Calico pod → outside: a masquerade without its translated address stays unproven, with conntrack to prove it', () => {
    const w = reply(g5out)
    const nat = w.hops.find((h) => h.kind === 'nat')!
    expect(nat.proven).toBe(false)
    expect(nat.facts.reverse).toBe(true)
    expect(w.needs?.[0]).toMatchObject({ host: 'k8s-guide-worker2', role: 'node', command: 'conntrack -L -d 10.244.190.5' })
    expect(w.hops.at(-1)).toMatchObject({ kind: 'deliver', host: 'netshoot', proven: true, facts: { device: 'eth0', ip: '10.244.190.5' } })
  })
})

describe('flowIsReply: a flow the capture shows as the answer of a tracked connection', () => {
  it('is true for the lab captures taken with --reply whose connection conntrack shows, false for their requests and the seed', () => {
    const pairs = { 'same-node': [sameNodeReply, sameNode], 'cross-node': [crossNodeReply, crossNode], service: [serviceReply, service], egress: [egressReply, egress], nodeport: [nodeportReply, nodeport] }
    for (const [s, [reply, request]] of Object.entries(pairs)) {
      expect(flowIsReply(reply as unknown as Capture), s).toBe(true)
      expect(flowIsReply(request as unknown as Capture), s).toBe(false)
    }
    expect(flowIsReply(seed as unknown as Capture)).toBe(false)
  })
})
