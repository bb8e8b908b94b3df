import { describe, expect, it } from 'vitest'
import { parseBpftoolNet } from './bpftool-net'
import { HOSTILE_INPUTS } from './hostile-inputs'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import pr14895 from './fixtures/gh-cilium-14895__agent-bpftool-net-show.txt?raw'
import tcx1175 from './fixtures/kwx4957-cilium1175-native__agent-bpftool-net-show-tcx.txt?raw'
import vxlan19 from './fixtures/tkng-kind-cilium19-vxlan__agent-bpftool-net-show.txt?raw'
import grepIfindex from './fixtures/tkng-kind-cilium19-vxlan__agent1-bpftool-net-show-grep-ifindex.txt?raw'
import grepVxlan from './fixtures/tkng-kind-cilium19-vxlan__agent3-bpftool-net-show-grep-vxlan.txt?raw'

describe('parseBpftoolNet', () => {
  it('reads clsact attachments with object:[section] names under the tc: section (Cilium 1.9)', () => {
    const { records, diagnostics } = parseBpftoolNet(vxlan19)
    expect(diagnostics.map((d) => d.line)).toEqual([1])
    expect(records).toHaveLength(11)
    const hooks = records.map((r) => `${r.line} ${r.device}(${r.ifindex}) ${r.direction} ${r.object} ${r.program} ${r.id}`)
    expect(hooks).toEqual([
      '5 cilium_net(9) ingress bpf_host_cilium_net.o to-host 2746',
      '6 cilium_host(10) ingress bpf_host.o to-host 2734',
      '7 cilium_host(10) egress bpf_host.o from-host 2740',
      '8 cilium_vxlan(11) ingress bpf_overlay.o from-overlay 2291',
      '9 cilium_vxlan(11) egress bpf_overlay.o to-overlay 2719',
      '10 eth0(17) ingress bpf_netdev_eth0.o from-netdev 2754',
      '11 eth0(17) egress bpf_netdev_eth0.o to-netdev 2775',
      '12 lxc_health(18) ingress bpf_lxc.o from-container 2794',
      '13 lxcdae72534e167(20) ingress bpf_lxc.o from-container 2806',
      '14 lxcb79e11918044(22) ingress bpf_lxc.o from-container 2828',
      '15 lxc473b3117af85(24) ingress bpf_lxc.o from-container 2895',
    ])
    expect(records.every((r) => r.attachType === 'clsact' && r.section === 'tc')).toBe(true)
    // no to-container on lxc egress in this lab
    expect(records.some((r) => r.program === 'to-container')).toBe(false)
  })

  it('reads bpf_network.o on eth0 and to-container on every lxc egress (cilium#14895)', () => {
    const { records } = parseBpftoolNet(pr14895)
    expect(records).toHaveLength(12)
    expect(records[0]).toEqual({
      line: 5,
      device: 'eth0',
      ifindex: 2,
      attachType: 'clsact',
      direction: 'ingress',
      section: 'tc',
      name: 'bpf_network.o:[from-network]',
      object: 'bpf_network.o',
      program: 'from-network',
      id: 221,
    })
    const lxcEgress = records.filter((r) => r.device.startsWith('lxc') && r.direction === 'egress')
    expect(lxcEgress.map((r) => [r.line, r.program])).toEqual([
      [10, 'to-container'],
      [12, 'to-container'],
      [14, 'to-container'],
      [16, 'to-container'],
    ])
    expect(records.find((r) => r.device === 'cilium_host' && r.direction === 'egress')?.program).toBe('from-host')
  })

  it('reads tcx attachments with prog_id and link_id (Cilium 1.17, kernel 6.8)', () => {
    const { records, diagnostics } = parseBpftoolNet(tcx1175)
    expect(records).toHaveLength(11)
    expect(records.find((r) => r.line === 13)).toEqual({
      line: 13,
      device: 'lxc016a899bb2f4',
      ifindex: 15,
      attachType: 'tcx',
      direction: 'ingress',
      section: 'tc',
      name: 'cil_from_container',
      program: 'cil_from_container',
      id: 1998,
      linkId: 30,
    })
    expect(records.find((r) => r.line === 14)).toMatchObject({ program: 'cil_to_container', direction: 'egress', id: 2003, linkId: 31 })
    expect(records.filter((r) => r.device === 'eth0').map((r) => r.program)).toEqual(['cil_from_netdev', 'cil_to_netdev'])
    expect(records.some((r) => r.device === 'cilium_vxlan')).toBe(false)
    // `c0bpf net show` (an alias) is not output
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it("reads grep'd subsets without section headers and with a leading blank line", () => {
    const one = parseBpftoolNet(grepIfindex)
    expect(one.records).toEqual([
      {
        line: 3,
        device: 'lxcda722d56d553',
        ifindex: 24,
        attachType: 'clsact',
        direction: 'ingress',
        name: 'bpf_lxc.o:[from-container]',
        object: 'bpf_lxc.o',
        program: 'from-container',
        id: 2901,
      },
    ])
    const vx = parseBpftoolNet(grepVxlan)
    expect(vx.records.map((r) => [r.line, r.device, r.ifindex, r.direction, r.program, r.id])).toEqual([
      [3, 'cilium_vxlan', 5, 'ingress', 'from-overlay', 2729],
      [4, 'cilium_vxlan', 5, 'egress', 'to-overlay', 2842],
    ])
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    const r = parseBpftoolNet(text)
    expect(Array.isArray(r.records)).toBe(true)
  })
})
