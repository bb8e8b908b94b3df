import { describe, expect, it } from 'vitest'
import { parseIpNeigh } from './ip-neigh'
import ciliumPod from './fixtures/tkng-kind-cilium19-vxlan__pod-ip-neigh.txt?raw'
import calicoPod from './fixtures/tkng-kind-calico-bgp__pod-ip-neigh.txt?raw'
import flannelPerm from './fixtures/tkng-kind-flannel-vxlan__node-ip-neigh-grep-perm.txt?raw'
import labPod from './fixtures/lab-pod-ip-neigh.txt?raw'
import labNode from './fixtures/lab-node-ip-neigh.txt?raw'

describe('parseIpNeigh', () => {
  it('tkng cilium pod: the gateway answered by the BPF ARP responder', () => {
    const { records, diagnostics } = parseIpNeigh(ciliumPod)
    expect(diagnostics).toEqual([])
    expect(records).toEqual([{ line: 2, ip: '10.0.0.215', device: 'eth0', mac: 'da:0c:20:4a:86:f7', state: 'REACHABLE' }])
  })

  it("tkng calico pod: 169.254.1.1 at ee:ee:ee:ee:ee:ee", () => {
    expect(parseIpNeigh(calicoPod).records).toEqual([{ line: 2, ip: '169.254.1.1', device: 'eth0', mac: 'ee:ee:ee:ee:ee:ee', state: 'REACHABLE' }])
  })

  it('tkng flannel `ip neigh | grep PERM`: static VTEP neighbours on flannel.1', () => {
    const { records } = parseIpNeigh(flannelPerm)
    expect(records.map((r) => [r.line, r.ip, r.mac, r.device, r.state])).toEqual([
      [2, '10.244.1.0', 'ce:0a:4f:22:a4:2a', 'flannel.1', 'PERMANENT'],
      [3, '10.244.0.0', '5a:11:99:ab:8c:22', 'flannel.1', 'PERMANENT'],
    ])
  })

  it('lab: DELAY, REACHABLE, PERMANENT (MAC given upper case, printed lower), INCOMPLETE without a MAC', () => {
    expect(parseIpNeigh(labPod).records[0]).toEqual({ line: 1, ip: '10.99.0.1', device: 'eth0', mac: '1a:04:56:40:1b:da', state: 'REACHABLE' })
    const { records, diagnostics } = parseIpNeigh(labNode)
    expect(diagnostics).toEqual([])
    expect(records.map((r) => r.state)).toEqual(['DELAY', 'REACHABLE', 'PERMANENT', 'INCOMPLETE'])
    expect(records[2]!.mac).toBe('02:00:5e:10:00:05')
    expect(records[3]).toEqual({ line: 4, ip: '10.99.0.77', device: 'lxcfx0a1b2c3d4', state: 'INCOMPLETE' })
  })
})
