import { describe, expect, it } from 'vitest'
import { isIpAddress, isIPv6Strict } from './ipv6'

describe('isIPv6Strict', () => {
  it.each([
    '2606:4700:4700::1111', '::1', '::', 'fe80::a4c6:93ff:fe71:2619', '1:2:3:4:5:6:7:8', '::ffff:10.0.0.1', '64:ff9b::198.51.100.7', '1::',
  ])('accepts %s', (s) => expect(isIPv6Strict(s)).toBe(true))
  it.each([
    '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::1', 'a:b', 'g::1', '1:2:3:4:5:6:7::8', '::10.0.0.300', 'eth0', ':1', '1:',
  ])('rejects %s', (s) => expect(isIPv6Strict(s)).toBe(false))
})

describe('isIpAddress', () => {
  it('takes IPv4 and IPv6, nothing else', () => {
    expect(['10.0.0.1', '::1', '10.0.0.300', 'client-pod', '010.0.0.1', '', '10.0.0.1/32'].map(isIpAddress)).toEqual([true, true, false, false, false, false, false])
  })
})
