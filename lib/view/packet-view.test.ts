import { describe, expect, it } from 'vitest'
import { packetTimeline } from './packet-view'
import { seedWalk } from './seed-walk.fixture'

describe('packetTimeline on the seed lab', () => {
  const { walk } = seedWalk()
  const timeline = packetTimeline(walk)
  const at = (kind: string, nth = 0) => walk.hops.map((h, i) => (h.kind === kind ? i : -1)).filter((i) => i >= 0)[nth]!
  const value = (step: number, field: string) => timeline[step]?.find((f) => f.field === field)
  const changed = (step: number) => timeline[step]?.filter((f) => f.changed).map((f) => f.field)

  it('starts as the flow says: pod IP to 1.0.0.1:80 tcp, MACs unknown', () => {
    expect(value(0, 'srcIp')?.value).toBe('10.244.0.213')
    expect(value(0, 'dstIp')?.value).toBe('1.0.0.1')
    expect(value(0, 'dstPort')?.value).toBe('80')
    expect(value(0, 'dstMac')?.value).toBeUndefined()
    expect(changed(0)).toEqual([])
  })

  it('gets the gateway MAC after the pod ARP lookup', () => {
    const arp = at('neighbor')
    expect(value(arp, 'dstMac')).toEqual({ field: 'dstMac', value: 'f6:93:7d:11:4d:37', changed: true })
    expect(changed(arp)).toEqual(['srcMac', 'dstMac'])
  })

  it('takes the node address as source after masquerade, and only that changes', () => {
    const nat = at('nat')
    expect(value(nat, 'srcIp')).toEqual({ field: 'srcIp', value: '164.92.138.123', changed: true })
    expect(changed(nat)).toEqual(['srcIp'])
    expect(value(nat - 1, 'srcIp')?.value).toBe('10.244.0.213')
  })
})

describe('packetTimeline past the node routing hop', () => {
  const { walk } = seedWalk()
  const timeline = packetTimeline(walk)
  const nodeRoute = walk.hops.findIndex((h) => h.kind === 'route' && h.place === 'node')

  it("forgets the pod's MACs once the node routes the packet: the seed never shows the node's own", () => {
    expect(nodeRoute).toBeGreaterThan(0)
    const mac = (step: number, f: string) => timeline[step]?.find((x) => x.field === f)
    expect(mac(nodeRoute - 1, 'dstMac')?.value).toBe('f6:93:7d:11:4d:37')
    expect(mac(nodeRoute, 'srcMac')).toEqual({ field: 'srcMac', value: undefined, changed: true })
    expect(mac(nodeRoute, 'dstMac')).toEqual({ field: 'dstMac', value: undefined, changed: true })
    expect(mac(timeline.length - 1, 'srcIp')?.value).toBe('164.92.138.123')
  })
})
