import { describe, expect, it } from 'vitest'
import {
  cidrContains,
  cidrFromNetmask,
  cidrsOverlap,
  formatCidr,
  formatIPv4,
  longestPrefixMatch,
  netmaskToPrefixLength,
  parseCidr,
  parseIPv4,
} from './ipv4'

describe('parseIPv4', () => {
  it('reads dotted quads', () => {
    expect(parseIPv4('10.244.0.213')).toBe(0x0af400d5)
    expect(parseIPv4('0.0.0.0')).toBe(0)
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff)
    expect(formatIPv4(parseIPv4('164.92.138.123')!)).toBe('164.92.138.123')
  })
  it('refuses what is not an address', () => {
    for (const s of ['', '1.1', '1.0.0.1.', '256.0.0.1', '1.2.3', '1..2.3', 'a.b.c.d', '01.2.3.4', '1.2.3.4/32', ' 1.2.3.4'])
      expect(parseIPv4(s), s).toBeUndefined()
  })
})

describe('netmasks and prefixes', () => {
  it('turns route -n netmasks into prefix lengths', () => {
    expect(netmaskToPrefixLength('255.255.255.128')).toBe(25)
    expect(netmaskToPrefixLength('255.255.240.0')).toBe(20)
    expect(netmaskToPrefixLength('0.0.0.0')).toBe(0)
    expect(netmaskToPrefixLength('255.255.255.255')).toBe(32)
    expect(netmaskToPrefixLength('255.0.255.0')).toBeUndefined()
  })
  it('parses CIDRs, bare hosts and default, masking the host bits', () => {
    expect(formatCidr(parseCidr('10.244.0.128/25')!)).toBe('10.244.0.128/25')
    expect(formatCidr(parseCidr('10.0.0.7/24')!)).toBe('10.0.0.0/24')
    expect(formatCidr(parseCidr('10.244.0.148')!)).toBe('10.244.0.148/32')
    expect(formatCidr(parseCidr('default')!)).toBe('0.0.0.0/0')
    expect(parseCidr('10.0.0.0/33')).toBeUndefined()
    expect(parseCidr('fe80::1/64')).toBeUndefined()
    expect(formatCidr(cidrFromNetmask('165.22.16.0', '255.255.240.0')!)).toBe('165.22.16.0/20')
  })
  it('tests containment and overlap', () => {
    expect(cidrContains('10.244.0.128/25', '10.244.0.213')).toBe(true)
    expect(cidrContains('10.244.0.0/25', '10.244.0.213')).toBe(false)
    expect(cidrContains('0.0.0.0/0', '1.0.0.1')).toBe(true)
    expect(cidrContains('bad', '1.0.0.1')).toBe(false)
    expect(cidrsOverlap(parseCidr('10.244.0.0/16')!, parseCidr('10.244.0.128/25')!)).toBe(true)
    expect(cidrsOverlap(parseCidr('10.244.0.0/25')!, parseCidr('10.244.0.128/25')!)).toBe(false)
  })
})

describe('longestPrefixMatch', () => {
  // the seed node's routing table (route -n), as destination/prefix pairs
  const routes = [
    { p: '0.0.0.0/0', dev: 'eth0' },
    { p: '10.19.0.0/16', dev: 'eth0' },
    { p: '10.135.0.0/16', dev: 'eth1' },
    { p: '10.244.0.0/25', dev: 'eth1' },
    { p: '10.244.0.128/25', dev: 'cilium_host' },
    { p: '10.244.0.148/32', dev: 'cilium_host', host: true },
    { p: '165.22.16.0/20', dev: 'eth0' },
  ]
  it('picks the most specific prefix', () => {
    expect(longestPrefixMatch(routes, (r) => r.p, '1.0.0.1')?.p).toBe('0.0.0.0/0')
    expect(longestPrefixMatch(routes, (r) => r.p, '10.244.0.213')?.p).toBe('10.244.0.128/25')
    expect(longestPrefixMatch(routes, (r) => r.p, '10.244.0.148')?.p).toBe('10.244.0.148/32')
    expect(longestPrefixMatch(routes, (r) => r.p, '10.244.0.5')?.dev).toBe('eth1')
    expect(longestPrefixMatch(routes, (r) => r.p, '165.22.31.255')?.p).toBe('165.22.16.0/20')
  })
  it('breaks ties by metric, then by order', () => {
    const tied = [
      { p: '0.0.0.0/0', m: 200, id: 'a' },
      { p: '0.0.0.0/0', m: 100, id: 'b' },
      { p: '0.0.0.0/0', m: 100, id: 'c' },
    ]
    expect(longestPrefixMatch(tied, (r) => r.p, '8.8.8.8', (r) => r.m)?.id).toBe('b')
  })
  it('finds nothing when no prefix contains the address', () => {
    expect(longestPrefixMatch([{ p: '10.0.0.0/8' }], (r) => r.p, '1.0.0.1')).toBeUndefined()
    expect(longestPrefixMatch([{ p: '10.0.0.0/8' }], (r) => r.p, 'not-an-ip')).toBeUndefined()
  })
})
