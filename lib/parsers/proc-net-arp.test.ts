import { describe, expect, it } from 'vitest'
import { parseProcNetArp } from './proc-net-arp'
import { parseArp } from './arp'
import labPod from './fixtures/lab-pod-proc-net-arp.txt?raw'
import labNode from './fixtures/lab-node-proc-net-arp.txt?raw'
import labNodeArpN from './fixtures/lab-node-arp-n.txt?raw'

describe('parseProcNetArp', () => {
  it("the pod's gateway, header skipped", () => {
    expect(parseProcNetArp(labPod)).toEqual({ records: [{ line: 2, ip: '10.99.0.1', mac: '1a:04:56:40:1b:da', device: 'eth0', state: 'C' }], diagnostics: [] })
  })

  it('ATF flags read like arp -n: 0x2 C, 0x6 CM, 0x0 incomplete (its zero MAC is no MAC)', () => {
    const proc = parseProcNetArp(labNode)
    expect(proc.diagnostics).toEqual([])
    const arp = parseArp(labNodeArpN).records
    expect(proc.records.map((r) => [r.ip, r.mac, r.device, r.state])).toEqual(arp.map((r) => [r.ip, r.mac, r.device, r.state]))
    expect(proc.records[3]).toEqual({ line: 5, ip: '10.99.0.77', device: 'lxcfx0a1b2c3d4', state: 'incomplete' })
  })
})
