import { describe, expect, it } from 'vitest'
import { parseCiliumStatus } from './cilium-status'
import { HOSTILE_INPUTS } from './hostile-inputs'
// Corpus: `cilium status --verbose` before and after enabling BPF host routing/masquerade, in one
// markdown block with fences and [...] elisions (hcloud-talos/terraform-hcloud-talos#34).
import beforeAfter from './fixtures/gh-hcloud-talos-34__agent-cilium-status-before-after-hostrouting.txt?raw'

describe('parseCiliumStatus', () => {
  it('keeps both outputs in entries and lets the last one win for the summary fields', () => {
    const { status, diagnostics } = parseCiliumStatus(beforeAfter)
    expect(status.hostRouting).toEqual({ value: 'BPF', line: 16 })
    expect(status.masquerading).toEqual({ value: 'BPF [eth0, eth1] 10.0.16.0/20 [IPv4: Enabled, IPv6: Disabled]', line: 17 })
    expect(status.kubeProxyReplacement).toBeUndefined()
    expect(status.entries.filter((e) => e.key === 'Host Routing')).toEqual([
      { line: 4, key: 'Host Routing', value: 'Legacy' },
      { line: 16, key: 'Host Routing', value: 'BPF' },
    ])
    expect(status.entries.find((e) => e.line === 5)).toEqual({ line: 5, key: 'Masquerading', value: 'IPTables [IPv4: Enabled, IPv6: Disabled]' })
    expect(status.entries.find((e) => e.line === 20)).toEqual({
      line: 20,
      key: 'XDP Acceleration',
      value: 'Native',
      parent: 'KubeProxyReplacement Details',
    })
    expect(status.entries.find((e) => e.line === 22)?.value.startsWith('Wireguard [NodeEncryption: Disabled')).toBe(true)
    expect(status.entries).toHaveLength(10)
    // "**Before:**" / "**After:**" and the two echoed commands; fences and [...] pass silently
    expect(diagnostics.map((d) => d.line)).toEqual([1, 3, 13, 15])
  })

  it('reads only the "before" half as legacy host routing with iptables masquerading', () => {
    const before = beforeAfter.split('\n').slice(0, 11).join('\n')
    const { status } = parseCiliumStatus(before)
    expect(status.hostRouting).toEqual({ value: 'Legacy', line: 4 })
    expect(status.masquerading?.value.startsWith('IPTables')).toBe(true)
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    expect(Array.isArray(parseCiliumStatus(text).status.entries)).toBe(true)
  })
})
