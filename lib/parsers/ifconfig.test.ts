import { describe, expect, it } from 'vitest'
import { parseIfconfig } from './ifconfig'
import seedNode from './fixtures/seed-node-ifconfig-cilium_host.txt?raw'
import acNode from './fixtures/arthurchiao-lop-cilium18__node1-ifconfig-cilium_host.txt?raw'
import labNode from './fixtures/lab-node-ifconfig.txt?raw'
import labPod from './fixtures/lab-pod-ifconfig.txt?raw'

describe('parseIfconfig', () => {
  it('seed `ifconfig cilium_host`, every detail line at column 0: the gateway IP and its MAC', () => {
    const { records, diagnostics } = parseIfconfig(seedNode)
    expect(diagnostics).toEqual([])
    expect(records).toEqual([
      {
        line: 1,
        lines: [1, 2, 3, 4, 5, 6, 7, 8],
        name: 'cilium_host',
        flags: ['UP', 'BROADCAST', 'RUNNING', 'NOARP', 'MULTICAST'],
        mtu: 1500,
        mac: 'a2:a3:02:88:07:34',
        macLine: 4,
        addresses: [
          { line: 2, family: 'inet', ip: '10.244.0.201', prefixLength: 32, broadcast: '0.0.0.0' },
          { line: 3, family: 'inet6', ip: 'fe80::a0a3:2ff:fe88:734', prefixLength: 64, scope: 'link' },
        ],
      },
    ])
  })

  it('arthurchiao: NOARP cilium_host 10.1.1.1/32, output cut by the author ("...")', () => {
    const { records, diagnostics } = parseIfconfig(acNode)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ line: 2, name: 'cilium_host', mtu: 1500, mac: '3e:7d:6b:32:44:8e', macLine: 4, lines: [2, 3, 4] })
    expect(records[0]!.flags).toContain('NOARP')
    expect(records[0]!.addresses).toEqual([{ line: 3, family: 'inet', ip: '10.1.1.1', prefixLength: 32, broadcast: '0.0.0.0' }])
  })

  it('lab: blank-line separated blocks, netmask → prefix length, loopback', () => {
    const { records, diagnostics } = parseIfconfig(labNode)
    expect(diagnostics).toEqual([])
    expect(records.map((r) => r.name)).toEqual(['cilium_host', 'cilium_net', 'cilium_vxlan', 'cni0', 'eth0', 'lo', 'lxcfx0a1b2c3d4', 'vethfx1', 'vethfx1p'])
    const cni0 = records[3]!
    expect(cni0.addresses[0]).toEqual({ line: 27, family: 'inet', ip: '10.99.10.1', prefixLength: 24, broadcast: '0.0.0.0' })
    const lo = parseIfconfig(labPod).records[1]!
    expect(lo).toMatchObject({ line: 10, name: 'lo', mtu: 65536, flags: ['UP', 'LOOPBACK', 'RUNNING'] })
    expect(lo.mac).toBeUndefined()
    expect(lo.addresses[0]).toMatchObject({ ip: '127.0.0.1', prefixLength: 8 })
  })
})
