import { describe, expect, it } from 'vitest'
import { parseArp } from './arp'
import seedPod from './fixtures/seed-pod-arp-an.txt?raw'
import acNode from './fixtures/arthurchiao-lop-cilium18__node1-arp-n.txt?raw'
import acPod from './fixtures/arthurchiao-lop-cilium18__pod-arp-n.txt?raw'
import labNodeAn from './fixtures/lab-node-arp-an.txt?raw'
import labNodeN from './fixtures/lab-node-arp-n.txt?raw'

describe('parseArp', () => {
  it("seed `arp -an`: the pod's gateway 10.244.0.201 at f6:93:7d:11:4d:37 on eth0", () => {
    expect(parseArp(seedPod)).toEqual({ records: [{ line: 1, ip: '10.244.0.201', mac: 'f6:93:7d:11:4d:37', device: 'eth0' }], diagnostics: [] })
  })

  it('arthurchiao `arp -n` tables: node VRRP next hop, pod gateway (flag C)', () => {
    const node = parseArp(acNode)
    expect(node.diagnostics).toEqual([])
    expect(node.records).toEqual([{ line: 3, ip: '10.255.255.1', mac: '00:00:5e:00:01:0c', device: 'bond0', state: 'C' }])
    const pod = parseArp(acPod)
    expect(pod.diagnostics).toEqual([])
    expect(pod.records).toEqual([{ line: 3, ip: '10.1.1.1', mac: '3e:74:f2:60:ab:9b', device: 'eth0', state: 'C' }])
  })

  it('lab: PERM and <incomplete> in -an, CM and (incomplete) in -n', () => {
    const an = parseArp(labNodeAn)
    expect(an.diagnostics).toEqual([])
    expect(an.records[2]).toEqual({ line: 3, ip: '192.0.2.5', mac: '02:00:5e:10:00:05', device: 'eth0', state: 'PERM' })
    expect(an.records[3]).toEqual({ line: 4, ip: '10.99.0.77', device: 'lxcfx0a1b2c3d4', state: 'incomplete' })
    const n = parseArp(labNodeN)
    expect(n.diagnostics).toEqual([])
    expect(n.records.map((r) => [r.line, r.ip, r.state])).toEqual([
      [2, '10.99.0.13', 'C'],
      [3, '192.0.2.1', 'C'],
      [4, '192.0.2.5', 'CM'],
      [5, '10.99.0.77', 'incomplete'],
    ])
    expect(n.records[3]!.mac).toBeUndefined()
  })
})
