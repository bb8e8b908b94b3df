import { describe, expect, it } from 'vitest'
import { parseIflink } from './iflink'
import labPod from './fixtures/lab-pod-iflink-eth0.txt?raw'
import labNode from './fixtures/lab-node-iflink-lxc.txt?raw'
import { parseIpAddr } from './ip-addr'
import labNodeAddr from './fixtures/lab-node-ip-addr.txt?raw'

describe('parseIflink', () => {
  it("pod eth0's iflink is the ifindex of the node's lxc veth", () => {
    expect(parseIflink(labPod)).toEqual({ records: [{ line: 1, ifindex: 2 }], diagnostics: [] })
    const lxc = parseIpAddr(labNodeAddr).records.find((r) => r.ifindex === 2)
    expect(lxc?.name).toBe('lxcfx0a1b2c3d4')
    expect(parseIflink(labNode).records[0]!.ifindex).toBe(2)
  })

  it('an error instead of a number is a diagnostic', () => {
    const r = parseIflink('cat: /sys/class/net/eth9/iflink: No such file or directory\n')
    expect(r.records).toEqual([])
    expect(r.diagnostics[0]!.line).toBe(1)
  })
})
