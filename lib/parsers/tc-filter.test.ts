import { describe, expect, it } from 'vitest'
import { parseTcFilter } from './tc-filter'
import { HOSTILE_INPUTS } from './hostile-inputs'
// The seed lab (DOKS): `tc filter show dev lxcf4cd39e34601 ingress`, lines 43-44 of the seed.
import seedLxcIngress from './fixtures/seed-tc-filter-lxc-ingress.txt?raw'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import cilium18LxcIngress from './fixtures/arthurchiao-lop-cilium18__node1-tc-filter-lxc-ingress.txt?raw'
import cilium18Bond0Egress from './fixtures/arthurchiao-lop-cilium18__node1-tc-filter-bond0-egress.txt?raw'
import cilium18Bond0Ingress from './fixtures/arthurchiao-lop-cilium18__node2-tc-filter-bond0-ingress.txt?raw'
import kind17468 from './fixtures/gh-cilium-17468__kind-tc-filter-show-lxc.txt?raw'
import foreign21345 from './fixtures/gh-cilium-21345__node-tc-filter-show-lxc-ingress-egress.txt?raw'

describe('parseTcFilter', () => {
  it('reads the seed lxc ingress filter and skips the per-priority header line', () => {
    const { records, diagnostics } = parseTcFilter(seedLxcIngress)
    expect(diagnostics).toEqual([])
    expect(records).toEqual([
      {
        line: 2,
        protocol: 'all',
        pref: 1,
        chain: 0,
        handle: '0x1',
        kind: 'bpf',
        name: 'bpf_lxc.o:[from-container]',
        object: 'bpf_lxc.o',
        program: 'from-container',
        directAction: true,
        id: 13245,
        tag: '7febdcdfe7cdd86f',
        jited: true,
      },
    ])
  })

  it('reads Cilium 1.8 per-device objects (no chain, no id) and takes device/direction from the echoed command', () => {
    const lxc = parseTcFilter(cilium18LxcIngress)
    expect(lxc.records).toHaveLength(1)
    expect(lxc.records[0]).toMatchObject({
      line: 3,
      object: 'bpf_lxc.o',
      program: 'from-container',
      directAction: true,
      tag: '3855f578c6616972',
      device: 'lxc00aa',
      direction: 'ingress',
    })
    expect(lxc.records[0]?.id).toBeUndefined()
    expect(lxc.records[0]?.chain).toBeUndefined()
    expect(lxc.diagnostics.map((d) => d.line)).toEqual([1])

    expect(parseTcFilter(cilium18Bond0Egress).records[0]).toMatchObject({
      line: 3,
      object: 'bpf_netdev_bond0.o',
      program: 'to-netdev',
      tag: 'b536a7e2744a4cdb',
      device: 'bond0',
      direction: 'egress',
    })
    expect(parseTcFilter(cilium18Bond0Ingress).records[0]).toMatchObject({
      line: 3,
      object: 'bpf_netdev_bond0.o',
      program: 'from-netdev',
      device: 'bond0',
      direction: 'ingress',
    })
  })

  it('tolerates trailing spaces and an empty egress listing after a second echoed command (cilium#17468)', () => {
    const { records, diagnostics } = parseTcFilter(kind17468)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      line: 3,
      chain: 0,
      handle: '0x1',
      program: 'from-container',
      id: 15843,
      tag: 'a7a920f725fab0ef',
      jited: true,
      device: 'lxc5869b5857a3d',
      direction: 'ingress',
    })
    // both echoed commands are accounted for; nothing follows the egress one: an empty hook
    expect(diagnostics.map((d) => d.line)).toEqual([1, 4])
    expect(records.some((r) => r.direction === 'egress')).toBe(false)
  })

  it('keeps a foreign classifier next to Cilium at the same priority (cilium#21345)', () => {
    const { records, diagnostics } = parseTcFilter(foreign21345)
    expect(records.map((r) => [r.line, r.handle, r.program, r.object, r.id])).toEqual([
      [4, '0x2', 'classifier_ingress_security380_4026531992_2115', undefined, 4491],
      [5, '0x1', 'from-container', 'bpf_lxc.o', 4481],
    ])
    // the egress listing (line 1) is empty: no record carries egress
    expect(records.every((r) => r.direction === 'ingress' && r.device === 'lxcb187183beddd')).toBe(true)
    expect(diagnostics.map((d) => d.line)).toEqual([1, 2])
  })

  // The name as quoted from a Cilium 1.13 node in research/datapath.md §1.3 [S16]; no corpus file has it.
  it('splits the 1.13+ program-device name', async () => {
    const { splitBpfProgramName } = await import('./bpf-program-name')
    expect(splitBpfProgramName('cil_from_container-lxc84a447e034a3')).toEqual({
      program: 'cil_from_container',
      device: 'lxc84a447e034a3',
    })
    expect(splitBpfProgramName('bpf_host_cilium_net.o:[to-host]')).toEqual({ object: 'bpf_host_cilium_net.o', program: 'to-host' })
  })

  it('returns nothing for an empty output', () => {
    expect(parseTcFilter('')).toEqual({ records: [], diagnostics: [] })
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    const r = parseTcFilter(text)
    expect(Array.isArray(r.records)).toBe(true)
    expect(Array.isArray(r.diagnostics)).toBe(true)
  })
})
