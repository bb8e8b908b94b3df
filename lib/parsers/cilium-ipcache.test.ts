import { describe, expect, it } from 'vitest'
import { parseCiliumIpcache } from './cilium-ipcache'
import { classifyCommand } from '@/lib/commands/classify'
import { HOSTILE_INPUTS } from './hostile-inputs'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import minikube15 from './fixtures/arthurchiao-cheatsheet-minikube15__cilium-map-get-cilium_ipcache.txt?raw'
import native1175 from './fixtures/kwx4957-cilium1175-native__agent-map-get-cilium_ipcache.txt?raw'
import week4v2 from './fixtures/kwx4957-cilium118-week4__agent-map-get-cilium_ipcache_v2.txt?raw'
import bpftoolLookup from './fixtures/tkng-kind-cilium19-vxlan__agent1-bpftool-map-lookup-ipcache.txt?raw'

describe('parseCiliumIpcache', () => {
  it('reads the 1.5 format (identity only) and skips the echoed command', () => {
    const { records, diagnostics } = parseCiliumIpcache(minikube15)
    expect(records).toEqual([
      { line: 3, prefix: '10.15.38.236/32', identity: 104, state: 'sync' },
      { line: 4, prefix: '10.0.2.15/32', identity: 1, state: 'sync' },
      { line: 5, prefix: '10.15.86.181/32', identity: 4, state: 'sync' },
      { line: 6, prefix: '10.15.71.253/32', identity: 44531, state: 'sync' },
    ])
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('reads 1.17 native routing entries: tunnelendpoint is the node IP even without a tunnel', () => {
    const { records, diagnostics } = parseCiliumIpcache(native1175)
    expect(records).toHaveLength(19)
    expect(records[0]).toEqual({ line: 3, prefix: '172.20.1.230/32', identity: 6, encryptKey: 0, tunnelEndpoint: '192.168.10.101', flags: [], state: 'sync' })
    expect(records.find((r) => r.prefix === '172.20.1.99/32')).toMatchObject({ line: 7, identity: 19327, tunnelEndpoint: '192.168.10.101' })
    expect(records.find((r) => r.prefix === '0.0.0.0/0')).toMatchObject({ line: 6, identity: 2, tunnelEndpoint: '0.0.0.0' })
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('reads cilium_ipcache_v2 with flags=hastunnel (tunnel mode, 1.18)', () => {
    const { records } = parseCiliumIpcache(week4v2)
    expect(records.find((r) => r.prefix === '172.20.2.77/32')).toEqual({
      line: 18,
      prefix: '172.20.2.77/32',
      identity: 2219,
      encryptKey: 0,
      tunnelEndpoint: '192.168.20.100',
      flags: ['hastunnel'],
      state: 'sync',
    })
    expect(records.find((r) => r.prefix === '172.20.1.219/32')).toMatchObject({ line: 11, tunnelEndpoint: '0.0.0.0', flags: [] })
  })

  it('decodes a raw bpftool lookup: 10.0.1.110/32 → identity 0xd1e3, tunnel endpoint 172.18.0.5', () => {
    const { records, diagnostics } = parseCiliumIpcache(bpftoolLookup)
    expect(records).toEqual([{ line: 2, lines: [2, 3, 4, 5, 6], prefix: '10.0.1.110/32', identity: 0xd1e3, tunnelEndpoint: '172.18.0.5' }])
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('is what classifyCommand sends `cilium map get cilium_ipcache[_v2]` and raw bpftool ipcache reads to', () => {
    expect(classifyCommand('cilium-dbg map get cilium_ipcache_v2')).toMatchObject({ kind: 'cilium-ipcache', complete: true, ciliumBinary: 'cilium-dbg' })
    expect(classifyCommand('kubectl -n cilium exec -it $cilium1 -- bpftool map lookup pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex 40 00')).toMatchObject({
      kind: 'cilium-ipcache',
      complete: false,
    })
    expect(classifyCommand('bpftool map dump pinned /sys/fs/bpf/tc/globals/cilium_lxc').kind).toBe('unknown')
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    expect(Array.isArray(parseCiliumIpcache(text).records)).toBe(true)
  })
})
