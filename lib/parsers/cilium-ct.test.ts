import { describe, expect, it } from 'vitest'
import { parseCiliumCt } from './cilium-ct'
import { HOSTILE_INPUTS } from './hostile-inputs'
// The seed lab: `cilium bpf ct list global | grep 1.0.0.1` (seed lines 66-70).
import seedCt from './fixtures/seed-cilium-ct-grep.txt?raw'
import seedCtWithPrompt from './fixtures/seed-cilium-ct-grep-with-prompt.txt?raw'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import minikube15 from './fixtures/arthurchiao-cheatsheet-minikube15__cilium-bpf-ct-list-global.txt?raw'
import ci2018 from './fixtures/gh-cilium-3558-ci2018__agent-bpf-ct-list-endpoint-oldformat.txt?raw'
import kpr from './fixtures/tanjunchen-kind-cilium-kpr__agent-cilium-bpf-ct-list-global-grep.txt?raw'

describe('parseCiliumCt', () => {
  it("reads the seed's four entries (~1.13 format: flag names, RevNAT, IfIndex)", () => {
    const { records, diagnostics } = parseCiliumCt(seedCt)
    expect(diagnostics).toEqual([])
    expect(records.map((r) => [r.line, r.protocol, r.direction, r.src, r.sport, r.dst, r.dport, r.related ?? false])).toEqual([
      [1, 'TCP', 'OUT', '10.244.0.213', 46486, '1.0.0.1', 80, false],
      [2, 'ICMP', 'OUT', '10.244.0.213', 51724, '1.0.0.1', 0, false],
      [3, 'ICMP', 'OUT', '10.244.0.213', 0, '1.0.0.1', 0, true],
      [4, 'ICMP', 'OUT', '10.244.0.213', 41227, '1.0.0.1', 0, false],
    ])
    expect(records[0]).toMatchObject({
      expires: 17755044,
      flagsValue: '0x0013',
      flags: ['RxClosing', 'TxClosing', 'SeenNonSyn'],
      revNat: 0,
      sourceSecurityId: 42837,
      ifIndex: 0,
    })
    expect(records[0]?.text.startsWith('TCP OUT 10.244.0.213:46486 -> 1.0.0.1:80 expires=17755044')).toBe(true)
    expect(records[1]?.flags).toEqual([])
    expect(records[2]?.flags).toEqual(['SeenNonSyn'])
    expect(parseCiliumCt(seedCtWithPrompt).records.map((r) => r.line)).toEqual([2, 3, 4, 5])
  })

  it('reads the 1.5 single-address format without inventing which end the address is', () => {
    const { records, diagnostics } = parseCiliumCt(minikube15)
    expect(diagnostics.map((d) => d.line)).toEqual([1])
    expect(records.map((r) => [r.line, r.protocol, r.direction, r.address, r.sport, r.dport, r.related ?? false])).toEqual([
      [2, 'TCP', 'IN', '10.15.0.1', 9090, 34382, false],
      [3, 'TCP', 'IN', '10.15.0.1', 8080, 48346, false],
      [4, 'ICMP', 'IN', '10.15.0.1', 0, 0, true],
    ])
    expect(records.every((r) => r.src === '' && r.dst === '')).toBe(true)
    expect(records[0]).toMatchObject({ expires: 277365, flagsValue: '13', revNat: 0, sourceSecurityId: 2 })
    expect(records[0]?.flags).toBeUndefined()
  })

  it('reads the 2018 lower-case format with bracketed IPv6 and double spaces', () => {
    const { records, diagnostics } = parseCiliumCt(ci2018)
    expect(diagnostics).toEqual([])
    expect(records[0]).toMatchObject({
      line: 1,
      protocol: 'TCP',
      direction: 'IN',
      src: 'f00d::a0f:0:0:4264',
      sport: 12865,
      dst: 'f00d::a0f:0:0:1150',
      dport: 41471,
      expires: 2156,
      flagsValue: '13',
      revNat: 0,
      sourceSecurityId: 55058,
    })
    expect(records[1]).toMatchObject({ line: 2, protocol: 'ICMP', related: true, expires: 2446 })
  })

  it('reads the service entry and the RevNAT=5 flow entries of a kube-proxy-free cluster', () => {
    const { records, diagnostics } = parseCiliumCt(kpr)
    expect(records.map((r) => [r.line, r.direction, `${r.src}:${r.sport}`, `${r.dst}:${r.dport}`, r.service ?? false, r.revNat])).toEqual([
      [5, 'OUT', '10.96.43.209:80', '10.0.1.90:59668', true, 5],
      [6, 'IN', '10.0.1.90:59668', '10.0.1.108:80', false, 0],
      [7, 'OUT', '10.0.1.90:59668', '10.0.1.108:80', false, 5],
    ])
    expect(records[2]).toMatchObject({ sourceSecurityId: 27453, ifIndex: 0, flags: ['SeenNonSyn'] })
    // prompts (1, 3), the pod's netstat line (2), kubectl's "Defaulted container" notice (4)
    expect(diagnostics.map((d) => d.line)).toEqual([1, 2, 3, 4])
  })

  it('fields read on access are still in its JSON, and can be assigned like plain fields', () => {
    const [first] = parseCiliumCt(seedCt).records
    expect(JSON.parse(JSON.stringify(first))).toEqual({
      line: 1,
      text: first?.text,
      protocol: 'TCP',
      direction: 'OUT',
      src: '10.244.0.213',
      sport: 46486,
      dst: '1.0.0.1',
      dport: 80,
      expires: 17755044,
      flagsValue: '0x0013',
      flags: ['RxClosing', 'TxClosing', 'SeenNonSyn'],
      revNat: 0,
      sourceSecurityId: 42837,
      ifIndex: 0,
    })
    if (!first) throw new Error('no record')
    first.revNat = 7
    first.src = '10.0.0.9'
    expect([first.revNat, first.src, first.dst]).toEqual([7, '10.0.0.9', '1.0.0.1'])
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    const r = parseCiliumCt(text)
    expect(Array.isArray(r.records)).toBe(true)
  })
})
