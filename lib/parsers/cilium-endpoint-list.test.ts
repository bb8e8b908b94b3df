import { describe, expect, it } from 'vitest'
import { parseCiliumEndpointList } from './cilium-endpoint-list'
import { HOSTILE_INPUTS } from './hostile-inputs'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import minikube15 from './fixtures/arthurchiao-cheatsheet-minikube15__cilium-endpoint-list.txt?raw'
import cilium1175 from './fixtures/kwx4957-cilium1175-native__agent-cilium-dbg-endpoint-list.txt?raw'

describe('parseCiliumEndpointList', () => {
  it('reads the 1.5 table with multi-line label cells', () => {
    const { records, diagnostics } = parseCiliumEndpointList(minikube15)
    expect(records).toEqual([
      { line: 4, lines: [4, 5], id: 10916, identity: 44531, ipv4: '10.15.43.62', labels: ['k8s:class=deathstar', 'k8s:org=empire'], status: 'ready' },
      {
        line: 6,
        lines: [6, 7, 8],
        id: 12041,
        identity: 104,
        ipv4: '10.15.35.129',
        labels: ['k8s:io.cilium.k8s.policy.cluster=default', 'k8s:io.cilium.k8s.policy.serviceaccount=coredns', 'k8s:k8s-app=kube-dns'],
        status: 'ready',
      },
    ])
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('reads the 1.17 table: health endpoint, and the host endpoint without any IP', () => {
    const { records } = parseCiliumEndpointList(cilium1175)
    expect(records.map((r) => [r.line, r.id, r.identity, r.ipv4, r.status, r.labels.length])).toEqual([
      [4, 865, 21894, '172.20.2.23', 'ready', 5],
      [9, 2997, 4, '172.20.2.242', 'ready', 1],
      [10, 4079, 1, undefined, 'ready', 3],
    ])
    expect(records[0]?.labels[0]).toBe('k8s:app=curl')
    expect(records[0]?.lines).toEqual([4, 5, 6, 7, 8])
    expect(records[1]?.labels).toEqual(['reserved:health'])
    expect(records[2]?.labels).toContain('reserved:host')
    expect(records[2]?.ipv6).toBeUndefined()
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    expect(Array.isArray(parseCiliumEndpointList(text).records)).toBe(true)
  })
})
