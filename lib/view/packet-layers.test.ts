import { describe, expect, it } from 'vitest'
import { buildWalkView } from './evidence-windows'
import { packetLayers } from './packet-layers'
import { distinctPorts, proofPorts, sourcePortIn } from './proof-ports'
import { seedWalk } from './seed-walk.fixture'

describe('the layered packet on the seed walk', () => {
  const { capture, walk } = seedWalk()
  const view = buildWalkView(capture, walk, { id: 'seed', title: 'seed', embedded: true, capturedAt: capture.capturedAt })
  const ports = proofPorts(view)
  const at = (kind: string) => walk.hops.findIndex((h) => h.kind === kind)
  const row = (step: number, id: string) => packetLayers(walk, step, ports).find((r) => r.id === id)!

  it('reads the source ports the proving lines show, and sees three connections', () => {
    expect(distinctPorts(ports).map((p) => [p.port, walk.hops[p.hop]?.kind])).toEqual([
      [59242, 'bpf'],
      [46486, 'conntrack'],
      [41708, 'conntrack'],
    ])
  })

  it('shows the port of the hop’s own proof line, with where it was read', () => {
    const ct = at('conntrack')
    expect(row(ct, 'l4').src).toMatchObject({ value: '46486', seenIn: { command: 'cilium bpf ct list global | grep 1.0.0.1', line: 1 } })
    expect(row(0, 'l4').src.value).toBeUndefined()
  })

  it('strikes the pod address through at masquerade and shows the node address', () => {
    const nat = at('nat')
    expect(row(nat, 'ip').src).toEqual({ value: '164.92.138.123', before: '10.244.0.213', changed: true })
    expect(row(nat, 'ip').dst).toMatchObject({ value: '1.0.0.1', changed: false })
  })

  it('gives the frame the gateway MAC at the pod’s ARP lookup (nothing to strike: it was unknown)', () => {
    const arp = at('neighbor')
    expect(row(arp, 'eth').dst).toEqual({ value: 'f6:93:7d:11:4d:37', changed: true, before: undefined })
  })

  it('finds ports in Cilium and netfilter conntrack lines only for the flow’s own addresses', () => {
    expect(sourcePortIn('TCP OUT 10.244.0.213:46486 -> 1.0.0.1:80 expires=1', '10.244.0.213', '1.0.0.1')).toBe(46486)
    expect(sourcePortIn('ipv4 2 tcp 6 117 TIME_WAIT src=10.244.0.213 dst=1.0.0.1 sport=41708 dport=80', '10.244.0.213', '1.0.0.1')).toBe(41708)
    expect(sourcePortIn('TCP OUT 10.244.0.21:46486 -> 1.0.0.1:80', '10.244.0.213', '1.0.0.1')).toBeUndefined()
  })
})
