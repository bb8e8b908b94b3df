import { describe, expect, it } from 'vitest'
import { parseCiliumServiceList } from './cilium-service-list'
import { HOSTILE_INPUTS } from './hostile-inputs'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import old2017 from './fixtures/gh-cilium-744-2017__agent-cilium-service-list-oldformat.txt?raw'
import minikube15 from './fixtures/arthurchiao-cheatsheet-minikube15__cilium-service-list.txt?raw'
import ci16776 from './fixtures/gh-cilium-16776-ci__agent-cilium-service-list-excerpt.txt?raw'
import week4 from './fixtures/kwx4957-cilium118-week4__agent-cilium-dbg-service-list.txt?raw'
import get24136 from './fixtures/gh-cilium-24136__agent-cilium-service-get-after.txt?raw'

describe('parseCiliumServiceList', () => {
  it('reads the 2017 `frontend =>` format: tab-indented backends with their rev-NAT id', () => {
    const { records, diagnostics } = parseCiliumServiceList(old2017)
    expect(records.map((r) => [r.line, r.id, r.frontend, r.backends.map((b) => [b.line, b.index, b.address, b.revNat])])).toEqual([
      [2, undefined, '10.0.0.10:53', [[3, 1, '10.1.0.3:53', 1]]],
      [4, undefined, '10.0.0.131:80', [[5, 1, '10.15.148.179:80', 4], [6, 2, '10.15.226.3:80', 4]]],
      [7, undefined, '10.0.0.1:443', [[8, 1, '10.0.2.15:8443', 2]]],
    ])
    expect(records[1]?.lines).toEqual([4, 5, 6])
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('reads the 1.5 format without a type column; service 3 has two backends', () => {
    const { records } = parseCiliumServiceList(minikube15)
    expect(records.map((r) => [r.line, r.id, r.frontend, r.type, r.backends.map((b) => b.address)])).toEqual([
      [3, 1, '10.108.128.131:32379', undefined, ['10.0.2.15:32379']],
      [4, 2, '10.108.128.131:32380', undefined, ['10.0.2.15:32380']],
      [5, 3, '10.96.0.10:53', undefined, ['10.15.35.129:53', '10.15.38.236:53']],
      [7, 4, '10.102.163.245:80', undefined, ['10.15.49.158:9090']],
    ])
    expect(records[2]?.backends.map((b) => b.line)).toEqual([5, 6])
  })

  it('reads the tab-prefixed 1.10 CI log, with a service that has no backend', () => {
    const { records, diagnostics } = parseCiliumServiceList(ci16776)
    expect(records.map((r) => [r.line, r.id, r.frontend, r.type, r.backends.length])).toEqual([
      [5, 1, '10.107.224.229:3000', 'ClusterIP', 0],
      [6, 2, '10.108.181.175:9090', 'ClusterIP', 1],
      [7, 3, '10.96.0.1:443', 'ClusterIP', 1],
      [8, 4, '10.96.0.10:9153', 'ClusterIP', 1],
      [9, 5, '10.96.0.10:53', 'ClusterIP', 1],
    ])
    expect(records[2]?.backends[0]).toEqual({ line: 7, index: 1, address: '192.168.36.11:6443' })
    // "cmd: …", "Exitcode: 0", "Stdout:" of the CI log
    expect(diagnostics.map((d) => d.line)).toEqual([1, 2, 3])
  })

  it('reads 1.18 `/TCP` frontends, NodePort/LoadBalancer types and multi-line (active) backends', () => {
    const { records } = parseCiliumServiceList(week4)
    expect(records.map((r) => r.id)).toEqual([1, 4, 5, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 28, 29])
    expect(records.find((r) => r.id === 20)).toEqual({
      line: 19,
      lines: [19, 20, 21],
      id: 20,
      frontend: '10.96.48.145:80',
      protocol: 'TCP',
      type: 'ClusterIP',
      backends: [
        { line: 19, index: 1, address: '172.20.0.158:80', protocol: 'TCP', state: 'active' },
        { line: 20, index: 2, address: '172.20.1.219:80', protocol: 'TCP', state: 'active' },
        { line: 21, index: 3, address: '172.20.2.77:80', protocol: 'TCP', state: 'active' },
      ],
    })
    expect(records.find((r) => r.id === 17)).toMatchObject({ frontend: '10.96.0.10:53', protocol: 'UDP', line: 14 })
    expect(records.find((r) => r.id === 21)).toMatchObject({ frontend: '0.0.0.0:32050', type: 'NodePort' })
    expect(records.filter((r) => r.type === 'LoadBalancer').map((r) => r.frontend)).toEqual(['192.168.10.211:80', '192.168.10.212:80'])
  })

  it('reads `cilium service get` with active and maintenance backends', () => {
    const { records } = parseCiliumServiceList(get24136)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ line: 3, id: 3043, frontend: '10.32.95.217:6379', type: 'NodePort' })
    expect(records[0]?.backends.map((b) => [b.line, b.address, b.state])).toEqual([
      [3, '10.246.1.34:42069', 'active'],
      [4, '10.249.92.40:42069', 'maintenance'],
      [5, '10.246.3.34:42069', 'active'],
    ])
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    expect(Array.isArray(parseCiliumServiceList(text).records)).toBe(true)
  })
})
