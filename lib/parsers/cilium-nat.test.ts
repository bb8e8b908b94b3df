import { describe, expect, it } from 'vitest'
import { findMissingMaps, parseCiliumNat } from './cilium-nat'
import { HOSTILE_INPUTS } from './hostile-inputs'
// The seed lab: `cilium bpf nat list` printed only these two lines, on stderr (seed lines 85-86).
import seedStderr from './fixtures/seed-cilium-nat-stderr.txt?raw'
// Corpus: a Cilium NAT46/64 gateway (cilium-dbg), leading blank line.
import nat64 from './fixtures/netops2devops-nat64gw__cilium-dbg-bpf-nat-list.txt?raw'

describe('parseCiliumNat', () => {
  it('reads XLATE_SRC/XLATE_DST entries with bracketed IPv4 and IPv6 addresses', () => {
    const { records, diagnostics } = parseCiliumNat(nat64)
    expect(records).toEqual([
      {
        line: 3,
        text: 'TCP IN [64:ff9b::8c52:7104]:80 -> [192.168.64.2]:33388 XLATE_DST [2001:db8:dead:beef::2]:33388 Created=155sec ago NeedsCT=0',
        protocol: 'TCP',
        direction: 'IN',
        src: '64:ff9b::8c52:7104',
        sport: 80,
        dst: '192.168.64.2',
        dport: 33388,
        xlate: 'XLATE_DST',
        to: '2001:db8:dead:beef::2',
        toPort: 33388,
      },
      {
        line: 4,
        text: 'TCP OUT [2001:db8:dead:beef::2]:33388 -> [64:ff9b::8c52:7204]:80 XLATE_SRC [192.168.64.2]:33388 Created=155sec ago NeedsCT=0',
        protocol: 'TCP',
        direction: 'OUT',
        src: '2001:db8:dead:beef::2',
        sport: 33388,
        dst: '64:ff9b::8c52:7204',
        dport: 80,
        xlate: 'XLATE_SRC',
        to: '192.168.64.2',
        toPort: 33388,
      },
    ])
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it("finds the seed's missing SNAT maps on stderr: BPF masquerading is off", () => {
    expect(findMissingMaps(seedStderr, 'stderr')).toEqual([
      { line: 1, map: 'cilium_snat_v4_external', stream: 'stderr' },
      { line: 2, map: 'cilium_snat_v6_external', stream: 'stderr' },
    ])
    expect(findMissingMaps('', 'stdout')).toEqual([])
    expect(findMissingMaps(nat64, 'stdout')).toEqual([])
    // the same lines handed to the entry parser are explained, not records
    const asEntries = parseCiliumNat(seedStderr)
    expect(asEntries.records).toEqual([])
    expect(asEntries.diagnostics).toEqual([
      { line: 1, message: 'map cilium_snat_v4_external does not exist (BPF masquerading off)' },
      { line: 2, message: 'map cilium_snat_v6_external does not exist (BPF masquerading off)' },
    ])
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    expect(Array.isArray(parseCiliumNat(text).records)).toBe(true)
    expect(Array.isArray(findMissingMaps(text, 'stderr'))).toBe(true)
  })
})
