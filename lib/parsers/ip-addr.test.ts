import { describe, expect, it } from 'vitest'
import { parseIpAddr } from './ip-addr'
import seedPodIpA from './fixtures/seed-pod-ip-a.txt?raw'
import seedNodeGrep from './fixtures/seed-node-ip-a-grep-mac.txt?raw'
import seedNodeGrepWithCommand from './fixtures/seed-node-ip-a-grep-mac-with-command.txt?raw'
import kwxIpCAddr from './fixtures/kwx4957-cilium1181-native-wg__node-ip-addr.txt?raw'
import ipvlan from './fixtures/gh-cilium-7527-ipvlan__node-ip-d-a-excerpt.txt?raw'
import tkngCiliumBr from './fixtures/tkng-kind-cilium19-vxlan__pod-ip-br-addr.txt?raw'
import tkngCalicoBr from './fixtures/tkng-kind-calico-bgp__pod-ip-br-addr.txt?raw'
import tkngCalicoPod1 from './fixtures/tkng-kind-calico-bgp__pod1-ip-addr-show-eth0.txt?raw'
import tkngCalicoNode from './fixtures/tkng-kind-calico-bgp__node-ip-addr-show-dev-ifindex.txt?raw'
import tkngCiliumPod1Link from './fixtures/tkng-kind-cilium19-vxlan__pod1-ip-link-show-eth0.txt?raw'
import acNodemac from './fixtures/arthurchiao-cheatsheet-minikube15__node-ip-link-grep-nodemac.txt?raw'
import acNode1Link from './fixtures/arthurchiao-lop-cilium18__node1-ip-link-grep-mac.txt?raw'
import acPodLink from './fixtures/arthurchiao-lop-cilium18__pod-ip-link.txt?raw'
import labPodAddr from './fixtures/lab-pod-ip-addr.txt?raw'
import labPodColour from './fixtures/lab-pod-ip-c-addr.txt?raw'
import labPodBrLink from './fixtures/lab-pod-ip-br-link.txt?raw'
import labPodBr4 from './fixtures/lab-pod-ip-4-br-addr-dev-eth0.txt?raw'
import labNodeDLink from './fixtures/lab-node-ip-d-link.txt?raw'
import labNodeAddr from './fixtures/lab-node-ip-addr.txt?raw'
import labNodeBr from './fixtures/lab-node-ip-br-addr.txt?raw'
import labNodeSLink from './fixtures/lab-node-ip-s-link.txt?raw'

describe('parseIpAddr — seed', () => {
  it("reads the pod's ip a although the paste lost every indentation", () => {
    const { records, diagnostics } = parseIpAddr(seedPodIpA)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(1)
    const eth0 = records[0]!
    expect(eth0).toMatchObject({
      line: 1,
      lines: [1, 2, 3, 4, 5, 6],
      name: 'eth0',
      ifindex: 24,
      peerIfindex: 25,
      mtu: 1500,
      state: 'UP',
      mac: 'a6:c6:93:71:26:19',
      macLine: 2,
      linkNetnsId: 0,
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    })
    expect(eth0.addresses).toEqual([
      { line: 3, family: 'inet', ip: '10.244.0.213', prefixLength: 32, scope: 'global' },
      { line: 5, family: 'inet6', ip: 'fe80::a4c6:93ff:fe71:2619', prefixLength: 64, scope: 'link' },
    ])
  })

  it("reads the node's `ip a | grep -A1 -B1 <mac>` subset: header, link/ether, inet6", () => {
    const { records, diagnostics } = parseIpAddr(seedNodeGrep)
    expect(diagnostics).toEqual([])
    expect(records).toEqual([
      {
        line: 1,
        lines: [1, 2, 3],
        name: 'lxcf4cd39e34601',
        ifindex: 25,
        peerIfindex: 24,
        flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
        mtu: 1500,
        state: 'UP',
        mac: 'f6:93:7d:11:4d:37',
        macLine: 2,
        linkNetns: 'cni-17945243-a306-236e-f504-5197df7b88d9',
        addresses: [{ line: 3, family: 'inet6', ip: 'fe80::f493:7dff:fe11:4d37', prefixLength: 64, scope: 'link' }],
      },
    ])
  })

  it('skips the echoed command line above the output and keeps line numbers of the given text', () => {
    const { records, diagnostics } = parseIpAddr(seedNodeGrepWithCommand)
    expect(diagnostics).toEqual([])
    expect(records.map((r) => [r.name, r.line, r.macLine])).toEqual([['lxcf4cd39e34601', 2, 3]])
  })
})

describe('parseIpAddr — corpus', () => {
  it('kwx4957 `ip -c addr`: node addresses, altname lines, IPv6, cilium_host/cilium_net parents', () => {
    const { records, diagnostics } = parseIpAddr(kwxIpCAddr)
    expect(diagnostics).toEqual([])
    expect(records.map((r) => r.name)).toEqual(['lo', 'eth0', 'eth1', 'cilium_net', 'cilium_host'])
    const byName = Object.fromEntries(records.map((r) => [r.name, r]))
    expect(byName.eth0!.addresses[0]).toEqual({ line: 11, family: 'inet', ip: '10.0.2.15', prefixLength: 24, broadcast: '10.0.2.255', scope: 'global' })
    expect(byName.eth0!.altnames).toEqual(['enp0s3'])
    expect(byName.eth0!.lines).toContain(10)
    expect(byName.eth0!.addresses.map((a) => a.ip)).toEqual(['10.0.2.15', 'fd17:625c:f037:2:a00:27ff:fe6d:e2c4', 'fe80::a00:27ff:fe6d:e2c4'])
    expect(byName.eth1!.addresses[0]).toMatchObject({ line: 20, ip: '192.168.10.100', prefixLength: 24 })
    expect(byName.cilium_host).toMatchObject({ line: 28, ifindex: 5, parent: 'cilium_net', mac: '7e:9f:cf:26:45:d8', macLine: 29 })
    expect(byName.cilium_host!.addresses[0]).toEqual({ line: 30, family: 'inet', ip: '172.20.0.154', prefixLength: 32, scope: 'global' })
    expect(byName.cilium_net).toMatchObject({ line: 24, ifindex: 4, parent: 'cilium_host', flags: ['BROADCAST', 'MULTICAST', 'NOARP', 'UP', 'LOWER_UP'] })
    expect(byName.cilium_net!.peerIfindex).toBeUndefined()
  })

  it('gh-cilium-7527 `ip -d a`: indented excerpt, cilium_host@bond0 is an ipvlan with a parent device', () => {
    const { records, diagnostics } = parseIpAddr(ipvlan)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      line: 3,
      name: 'cilium_host',
      ifindex: 277,
      parent: 'bond0',
      linkKind: 'ipvlan',
      state: 'UNKNOWN',
      mac: '0c:c4:7a:86:29:f8',
      macLine: 4,
      lines: [3, 4, 5, 6, 7, 8, 9, 10, 11],
    })
    expect(records[0]!.addresses[0]).toEqual({ line: 6, family: 'inet', ip: '10.155.0.1', prefixLength: 32, scope: 'link' })
    expect(records[0]!.addresses).toHaveLength(3)
  })

  it('tkng cilium `ip -4 -br addr show dev eth0`: brief format with peer ifindex 24', () => {
    const { records, diagnostics } = parseIpAddr(tkngCiliumBr)
    expect(diagnostics).toEqual([])
    expect(records).toEqual([
      { line: 2, lines: [2], name: 'eth0', peerIfindex: 24, state: 'UP', flags: [], addresses: [{ line: 2, family: 'inet', ip: '10.0.0.210', prefixLength: 32 }] },
    ])
  })

  it('tkng calico `ip -4 -br addr`: eth0@if2, 10.244.190.5/32', () => {
    const { records } = parseIpAddr(tkngCalicoBr)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ line: 2, name: 'eth0', peerIfindex: 2 })
    expect(records[0]!.addresses[0]).toMatchObject({ ip: '10.244.190.5', prefixLength: 32 })
  })

  it('tkng calico pod1: the command says -br but the output is ip-link style; read as printed', () => {
    const { records, diagnostics } = parseIpAddr(tkngCalicoPod1)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ line: 2, name: 'eth0', ifindex: 3, peerIfindex: 14, mtu: 1410, mac: 'b2:24:13:ec:77:42', linkNetnsId: 0, addresses: [] })
  })

  it('tkng calico node `ip addr show dev if14`: named link-netns instead of a netnsid', () => {
    const { records } = parseIpAddr(tkngCalicoNode)
    expect(records[0]).toMatchObject({
      line: 2,
      name: 'calic8441ae7134',
      ifindex: 14,
      peerIfindex: 3,
      mac: 'ee:ee:ee:ee:ee:ee',
      linkNetns: 'cni-262ff521-1b00-b1c9-f0d5-0943a48a2ddc',
    })
    expect(records[0]!.linkNetnsId).toBeUndefined()
  })

  it('tkng pod1 eth0@if24 has the same indices as the worker2 pod: each output stands alone', () => {
    const pod1 = parseIpAddr(tkngCiliumPod1Link).records[0]!
    const worker2 = parseIpAddr(tkngCiliumBr).records[0]!
    expect(pod1).toMatchObject({ name: 'eth0', ifindex: 23, peerIfindex: 24, mac: 'b2:10:ef:6b:fa:0a' })
    expect(worker2.peerIfindex).toBe(pod1.peerIfindex)
  })

  it('arthurchiao `ip link | grep -B 1 -i <nodemac>`: lxce37f4e5d98ad ifindex 22 peer 21', () => {
    const { records, diagnostics } = parseIpAddr(acNodemac)
    expect(diagnostics).toEqual([])
    expect(records[0]).toMatchObject({ line: 2, name: 'lxce37f4e5d98ad', ifindex: 22, peerIfindex: 21, mac: '62:05:3a:4e:a7:4b', macLine: 3, linkNetnsId: 9 })
  })

  it('arthurchiao life-of-a-packet: node lxc00aa@if698 and pod eth0@if699 pair up', () => {
    const lxc = parseIpAddr(acNode1Link)
    const pod = parseIpAddr(acPodLink)
    expect(lxc.diagnostics).toEqual([])
    expect(pod.diagnostics).toEqual([])
    expect(lxc.records[0]).toMatchObject({ line: 2, name: 'lxc00aa', ifindex: 699, peerIfindex: 698, mac: '3e:74:f2:60:ab:9b', linkNetnsId: 4 })
    expect(pod.records[0]).toMatchObject({ line: 2, name: 'eth0', ifindex: 698, peerIfindex: 699, mac: '5e:d9:e5:0d:a1:ed', linkNetnsId: 0 })
  })
})

describe('parseIpAddr — lab captures (real kernel, lib/parsers/fixtures/capture-lab-fixtures.sh)', () => {
  it('`ip -c addr` gives the same records as `ip addr` once colours are stripped', () => {
    const plain = parseIpAddr(labPodAddr)
    const colour = parseIpAddr(labPodColour)
    expect(colour.diagnostics).toEqual([])
    expect(colour.records).toEqual(plain.records)
    expect(plain.records[1]).toMatchObject({ line: 7, name: 'eth0', ifindex: 2, peerIfindex: 2, linkNetns: 'pwfx-node', mac: '72:d9:17:62:05:1d' })
  })

  it('`ip -d link`: link kinds veth, vxlan, bridge; master on a bridge port', () => {
    const { records, diagnostics } = parseIpAddr(labNodeDLink)
    expect(diagnostics).toEqual([])
    const kinds = Object.fromEntries(records.map((r) => [r.name, r.linkKind]))
    expect(kinds).toEqual({
      lo: undefined,
      lxcfx0a1b2c3d4: 'veth',
      cilium_net: 'veth',
      cilium_host: 'veth',
      eth0: 'veth',
      cilium_vxlan: 'vxlan',
      cni0: 'bridge',
      vethfx1p: 'veth',
      vethfx1: 'veth',
    })
    const port = records.find((r) => r.name === 'vethfx1')!
    expect(port).toMatchObject({ line: 24, master: 'cni0', parent: 'vethfx1p', lines: [24, 25, 26, 27] })
    expect(records.find((r) => r.name === 'lxcfx0a1b2c3d4')).toMatchObject({ line: 3, macLine: 4, linkNetns: 'pwfx-pod', lines: [3, 4, 5] })
  })

  it('`ip addr` on the node: every interface, cilium_host 10.99.0.1/32', () => {
    const { records, diagnostics } = parseIpAddr(labNodeAddr)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(9)
    expect(records.find((r) => r.name === 'cilium_host')!.addresses[0]).toEqual({ line: 17, family: 'inet', ip: '10.99.0.1', prefixLength: 32, scope: 'global' })
  })

  it('`ip -br addr` with names too long for the column, and `ip -br link` with MAC and flags', () => {
    const br = parseIpAddr(labNodeBr)
    expect(br.diagnostics).toEqual([])
    expect(br.records.map((r) => r.name)).toEqual(['lo', 'lxcfx0a1b2c3d4', 'cilium_net', 'cilium_host', 'eth0', 'cilium_vxlan', 'cni0', 'vethfx1p', 'vethfx1'])
    expect(br.records[1]).toMatchObject({ line: 2, peerIfindex: 2, state: 'UP' })
    expect(br.records[3]).toMatchObject({ line: 4, parent: 'cilium_net' })
    expect(br.records[3]!.addresses.map((a) => `${a.ip}/${a.prefixLength}`)).toEqual(['10.99.0.1/32', 'fe80::4ce6:71ff:fe79:a274/64'])
    const link = parseIpAddr(labPodBrLink)
    expect(link.records[1]).toMatchObject({ line: 2, name: 'eth0', peerIfindex: 2, mac: '72:d9:17:62:05:1d', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], addresses: [] })
    expect(parseIpAddr(labPodBr4).records[0]!.addresses).toEqual([{ line: 1, family: 'inet', ip: '10.99.0.13', prefixLength: 32 }])
  })

  it('`ip -s link`: counter lines belong to their interface', () => {
    const { records, diagnostics } = parseIpAddr(labNodeSLink)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(9)
    expect(records[0]!.lines).toEqual([1, 2, 3, 4, 5, 6])
  })
})

describe('parseIpAddr — what it refuses', () => {
  it('lines a grep kept without their header are diagnostics, not guesses', () => {
    // the seed's grep'd block without its first line (a header-less subset)
    const lines = seedNodeGrep.split('\n').slice(1).join('\n')
    const { records, diagnostics } = parseIpAddr(lines)
    expect(records).toEqual([])
    expect(diagnostics.map((d) => d.line)).toEqual([1, 2])
    expect(diagnostics[0]!.message).toMatch(/without an interface header/)
  })
})
