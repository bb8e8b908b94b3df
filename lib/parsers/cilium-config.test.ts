import { describe, expect, it } from 'vitest'
import { parseCiliumConfig } from './cilium-config'
import { HOSTILE_INPUTS } from './hostile-inputs'
// The seed lab: `cilium config view | grep -i masq` (cilium-cli, seed lines 88-90).
import seedMasq from './fixtures/seed-cilium-config-masq.txt?raw'
import seedMasqWithPrompt from './fixtures/seed-cilium-config-masq-with-prompt.txt?raw'
// The seed lab: `kubectl get cm/cilium-config -o yaml` (seed lines 123-243, as pasted: indentation lost).
import seedConfigMap from './fixtures/seed-cilium-configmap-yaml.txt?raw'

describe('parseCiliumConfig', () => {
  it('reads the two-column cilium-cli view of the seed', () => {
    expect(parseCiliumConfig(seedMasq)).toEqual({
      records: [
        { line: 1, key: 'enable-bpf-masquerade', value: 'false' },
        { line: 2, key: 'masquerade', value: 'true' },
      ],
      diagnostics: [],
    })
    const prompted = parseCiliumConfig(seedMasqWithPrompt)
    expect(prompted.records.map((r) => [r.line, r.key, r.value])).toEqual([
      [2, 'enable-bpf-masquerade', 'false'],
      [3, 'masquerade', 'true'],
    ])
    expect(prompted.diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('reads `key: "value"` ConfigMap lines, unquoted', () => {
    const { records, diagnostics } = parseCiliumConfig(seedConfigMap)
    expect(diagnostics).toEqual([])
    const byKey = new Map(records.map((r) => [r.key, r]))
    expect(byKey.get('routing-mode')).toEqual({ line: 92, key: 'routing-mode', value: 'native' })
    expect(byKey.get('enable-ipv4-masquerade')).toEqual({ line: 39, key: 'enable-ipv4-masquerade', value: 'true' })
    expect(byKey.get('enable-host-legacy-routing')?.value).toBe('true')
    expect(byKey.get('kube-proxy-replacement')?.value).toBe('partial')
    expect(byKey.get('kube-proxy-replacement-healthz-bind-address')?.value).toBe('')
    expect(byKey.get('enable-bpf-masquerade')).toBeUndefined()
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    expect(Array.isArray(parseCiliumConfig(text).records)).toBe(true)
  })
})
