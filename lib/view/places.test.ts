import { describe, expect, it } from 'vitest'
import { groupOf, placeOf } from './places'
import { seedWalk } from './seed-walk.fixture'

describe('placeOf and groupOf on the seed walk', () => {
  const { walk, hosts } = seedWalk()
  const at = (kind: string, n = 0) => walk.hops.filter((h) => h.kind === kind)[n]!

  it('gives each place a one-line detail short enough for a 184-px box (≤ 25 mono characters)', () => {
    const details = walk.hops.map((h) => placeOf(h).detail)
    expect(details).toEqual([
      'default via 10.244.0.201',
      '→ f6:93:7d:11:4d:37',
      'eth0 → lxcf4cd39e34601',
      'lxcf4cd39e34601 ingress',
      'TCP OUT',
      'tcp TIME_WAIT',
      'default via 165.22.16.1',
      'src → 164.92.138.123',
      '165.22.16.1',
      '→ 165.22.16.1',
    ])
    for (const d of details) expect([...d].length, d).toBeLessThanOrEqual(25)
  })

  it('keys the titles by place', () => {
    expect(placeOf(at('veth'))).toMatchObject({ key: 'veth', params: { device: 'lxcf4cd39e34601' } })
    expect(placeOf(at('bpf'))).toMatchObject({ key: 'bpf', params: { program: 'from-container' } })
    expect(placeOf(at('conntrack', 0)).key).toBe('ctCilium')
    expect(placeOf(at('conntrack', 1)).key).toBe('ctNetfilter')
    expect(placeOf(at('nat')).key).toBe('natIptables')
    expect(placeOf(at('egress'))).toMatchObject({ key: 'nic', params: { device: 'eth0' } })
  })

  it('draws the egress interface in its node’s box, though the engine files the hop under world', () => {
    const egress = at('egress')
    expect(egress.place).toBe('world')
    expect(groupOf(egress, hosts)).toEqual({ id: 'node:node-7o7xd', kind: 'node', name: 'node-7o7xd' })
    expect(groupOf(at('bpf'), hosts)).toEqual({ id: 'node:node-7o7xd', kind: 'node', name: 'node-7o7xd' })
    expect(groupOf(at('route'), hosts, '10.244.0.213')).toEqual({ id: 'pod:pod', kind: 'pod', name: '10.244.0.213' })
  })
})
