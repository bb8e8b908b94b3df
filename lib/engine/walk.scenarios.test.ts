/**
 * Every lab scenario (lib/demo/lab-*.capture.json: two nodes recorded by the project's lab on
 * this real kernel) walked end to end: which hops each proves, delivery on the destination pod's
 * eth0, the destination node's hops, outside → NodePort, and replies (both `--reply` and captures
 * whose flow is the answer).
 */
import { describe, expect, it } from 'vitest'
import { validateCapture } from '@/lib/formats/capture-schema'
import { validateWalk } from '@/lib/formats/walk-schema'
import type { Capture } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'
import { inferWalk } from './walk'
import sameNode from '@/lib/demo/lab-same-node.capture.json'
import crossNode from '@/lib/demo/lab-cross-node.capture.json'
import service from '@/lib/demo/lab-service.capture.json'
import nodeport from '@/lib/demo/lab-nodeport.capture.json'
import egressReply from '@/lib/demo/lab-egress-reply.capture.json'
import g4 from './fixtures/captures/g4-tkng-cilium19-vxlan-pod-to-pod.capture.json'
import crossNodeReply from '@/lib/demo/lab-cross-node-reply.capture.json'

function walk(json: unknown, reply = false): Walk {
  const r = validateCapture(structuredClone(json))
  if (!r.ok) throw new Error(r.error)
  const w = inferWalk(r.capture as Capture, { reply })
  const v = validateWalk(JSON.parse(JSON.stringify(w)))
  if (!v.ok) throw new Error(v.error)
  return w
}

const shape = (w: Walk) => w.hops.map((h) => `${h.kind}@${h.host}${h.proven ? '' : '?'}`)

describe('lab scenarios', () => {
  it('pod → pod, same node: to-container on the peer lxc, then its veth into the pod and delivery on eth0', () => {
    const w = walk(sameNode)
    expect(shape(w).slice(-3)).toEqual(['bpf@lab-node-1', 'veth@peer', 'deliver@peer'])
    expect(w.hops.at(-2)?.facts).toEqual({ from: 'lxcd51a9f8cfdfa', to: 'eth0', fromHost: 'lab-node-1', toHost: 'peer' })
    expect(w.hops.at(-1)?.facts).toEqual({ device: 'eth0', ip: '10.244.0.170' })
    expect(w.hops.at(-1)?.evidence[0]).toMatchObject({ host: 'peer', command: 'ip addr' })
  })

  it('pod → pod, other node (native routing): the destination node routes the pod to its lxc, and the pod receives it on eth0', () => {
    const w = walk(crossNode)
    expect(shape(w)).toEqual([
      'route@client', 'neighbor@client', 'veth@lab-node-1', 'bpf@lab-node-1', 'conntrack@lab-node-1?', 'conntrack@lab-node-1',
      'route@lab-node-1', 'neighbor@lab-node-1', 'bpf@lab-node-1', 'egress@lab-node-1',
      'bpf@lab-node-2', 'route@lab-node-2', 'bpf@lab-node-2', 'veth@backend', 'deliver@backend',
    ])
    expect(w.hops[11]?.facts).toMatchObject({ destination: '10.244.0.45/32', device: 'lxc6b60a926160f' })
    expect(w.hops.at(-1)?.facts).toEqual({ device: 'eth0', ip: '10.244.0.45' })
    expect(w.needs?.map((n) => `${n.host} ${n.command}`)).toEqual(['cilium-lab-node-1 cilium bpf ct list global'])
  })

  it('pod → ClusterIP (kube-proxy DNAT): the backend comes from the conntrack entry', () => {
    const w = walk(service)
    const lb = w.hops.find((h) => h.kind === 'lb')!
    expect(lb).toMatchObject({ proven: true, facts: { service: '10.245.0.50:80', backend: '10.244.0.45:8080', by: 'iptables' } })
  })

  it('outside → NodePort: enters the node holding the address, DNAT to the backend, masquerade, out to its node, into the pod', () => {
    const w = walk(nodeport)
    expect(shape(w)).toEqual([
      'bpf@lab-node-1', 'conntrack@lab-node-1', 'lb@lab-node-1', 'route@lab-node-1', 'nat@lab-node-1', 'neighbor@lab-node-1', 'bpf@lab-node-1', 'egress@lab-node-1',
      'bpf@lab-node-2', 'route@lab-node-2', 'bpf@lab-node-2', 'veth@backend', 'deliver@backend',
    ])
    expect(w.hops[0]?.facts).toMatchObject({ device: 'eth0', direction: 'ingress', program: 'from-netdev' })
    expect(w.hops[2]?.facts).toMatchObject({ service: '203.0.113.10:30080', backend: '10.244.0.45:8080', by: 'iptables' })
    expect(w.hops[4]?.facts).toMatchObject({ type: 'masquerade', from: '198.51.100.80', to: '10.135.0.6' })
    expect(w.datapath?.basis.join(' ')).toMatch(/arrives on lab-node-1's eth0/)
  })

  it('NodePort --reply: un-masquerade, route towards the client, RevNAT to the NodePort address, out on eth0', () => {
    const w = walk(nodeport, true)
    expect(shape(w)).toEqual(['bpf@lab-node-1', 'conntrack@lab-node-1', 'nat@lab-node-1', 'route@lab-node-1', 'lb@lab-node-1', 'neighbor@lab-node-1', 'egress@lab-node-1'])
    expect(w.hops[2]?.facts).toEqual({ type: 'masquerade', by: 'iptables', from: '10.135.0.6', to: '198.51.100.80', reverse: true })
    expect(w.hops[4]?.facts).toMatchObject({ service: '203.0.113.10:30080', backend: '10.244.0.45:8080', reverse: true })
    expect(w.hops.at(-1)?.facts).toMatchObject({ device: 'eth0', nextHop: '203.0.113.1' })
  })

  it('a capture whose flow is the answer from outside: conntrack reply direction, masquerade undone, delivered on the pod eth0', () => {
    const w = walk(egressReply)
    expect(shape(w)).toEqual(['bpf@lab-node-1', 'conntrack@lab-node-1', 'nat@lab-node-1', 'route@lab-node-1', 'bpf@lab-node-1', 'veth@client', 'deliver@client'])
    expect(w.hops[2]?.facts).toEqual({ type: 'masquerade', by: 'iptables', from: '203.0.113.10', to: '10.244.0.213', reverse: true })
    expect(w.warnings).toEqual([])
  })

  it('a capture whose flow is the backend answering across nodes walks from the backend pod to the client eth0', () => {
    const w = walk(crossNodeReply)
    expect(w.hops[0]?.host).toBe('backend')
    expect(w.hops.at(-1)).toMatchObject({ kind: 'deliver', host: 'client', proven: true, facts: { device: 'eth0', ip: '10.244.0.213' } })
  })

  it('VXLAN (tkng Cilium 1.9): the tunnel hop puts the outer UDP header in the packet, and the peer decapsulates it', () => {
    const w = walk(g4)
    const i = w.hops.findIndex((h) => h.kind === 'tunnel')
    expect(w.hops[i]?.packet?.outer).toEqual({ type: 'vxlan', protocol: 'udp', dstIp: '172.18.0.5', dstPort: 8472 })
    expect(w.hops[i]?.packet).toMatchObject({ srcIp: '10.0.2.99', dstIp: '10.0.1.110' })
    expect(w.hops[i + 1]).toMatchObject({ kind: 'bpf', host: 'k8s-guide-control-plane', facts: { program: 'from-overlay' } })
    expect(w.hops[i + 1]?.packet?.outer).toBeUndefined()
  })
})
