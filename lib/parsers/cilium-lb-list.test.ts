import { describe, expect, it } from 'vitest'
import { parseCiliumLbList } from './cilium-lb-list'
import { HOSTILE_INPUTS } from './hostile-inputs'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import minikube15 from './fixtures/arthurchiao-cheatsheet-minikube15__cilium-bpf-lb-list.txt?raw'
import week4Grep from './fixtures/kwx4957-cilium118-week4__agent-bpf-lb-list-grep.txt?raw'

describe('parseCiliumLbList', () => {
  it('reads the 1.5 format: service on its first row only, (rev-NAT id), 0.0.0.0:0 master slots', () => {
    const { records, diagnostics } = parseCiliumLbList(minikube15)
    expect(records).toEqual([
      { line: 3, service: '10.96.0.10:53', backend: '0.0.0.0:0', revNat: 0, master: true },
      { line: 4, service: '10.96.0.10:53', backend: '10.15.38.236:53', revNat: 3 },
      { line: 5, service: '10.96.0.10:53', backend: '10.15.35.129:53', revNat: 3 },
      { line: 6, service: '10.102.163.245:80', backend: '10.15.49.158:9090', revNat: 4 },
      { line: 7, service: '10.102.163.245:80', backend: '0.0.0.0:0', revNat: 0, master: true },
    ])
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it("reads the 1.18 grep'd slots: (rev-NAT) (slot), /TCP, the [ClusterIP, non-routable] master", () => {
    const { records } = parseCiliumLbList(week4Grep)
    expect(records.map((r) => [r.line, r.service, r.slot, r.backend, r.revNat, r.master ?? false])).toEqual([
      [2, '10.96.48.145:80', 2, '172.20.1.219:80', 20, false],
      [3, '10.96.48.145:80', 3, '172.20.2.77:80', 20, false],
      [4, '10.96.48.145:80', 1, '172.20.0.158:80', 20, false],
      [5, '10.96.48.145:80', 0, '0.0.0.0:0', 20, true],
    ])
    expect(records[3]).toMatchObject({ protocol: 'TCP', flags: 'ClusterIP, non-routable' })
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    expect(Array.isArray(parseCiliumLbList(text).records)).toBe(true)
  })
})
