import { describe, expect, it } from 'vitest'
import { parseHubbleFlows } from './hubble-flows'
// imroc/tke-guide, Hubble 1.19.1 flow lines (GetFlowsResponse shape); cilium/hubble#641, the older flat shape;
// microsoft/retina#1426, the compact text format (not JSON). Sources in fixtures/SOURCES.md.
import tke from './fixtures/imroc-tke-guide-cilium1191__hubble-flows-json.txt?raw'
import flat from './fixtures/gh-hubble-641-2021__hubble-observe-json-oldformat.txt?raw'
import compact from './fixtures/gh-retina-1426__hubble-observe-to-stack-snat.txt?raw'

const FIXTURES: Record<string, string> = {
  'imroc-tke-guide-cilium1191__hubble-flows-json.txt': tke,
  'gh-hubble-641-2021__hubble-observe-json-oldformat.txt': flat,
  'gh-retina-1426__hubble-observe-to-stack-snat.txt': compact,
}
const fixture = (name: string) => FIXTURES[name] as string

describe('parseHubbleFlows', () => {
  it('reads GetFlowsResponse lines (Hubble 1.19): observation point, device, reply, node', () => {
    const { records, diagnostics } = parseHubbleFlows(fixture('imroc-tke-guide-cilium1191__hubble-flows-json.txt'))
    expect(diagnostics).toEqual([])
    expect(records.map((r) => [r.line, r.src, r.dst, r.observationPoint, r.device, r.isReply, r.verdict])).toEqual([
      [1, '169.254.128.9', '10.20.0.4', 'TO_ENDPOINT', 'eni07eaad73233', true, 'FORWARDED'],
      [2, '10.10.21.241', '9.134.108.44', 'TO_NETWORK', 'eth0', false, 'FORWARDED'],
      [3, '10.10.21.241', '183.47.117.75', 'TO_NETWORK', 'eth0', false, 'FORWARDED'],
    ])
    expect(records[1]).toMatchObject({ protocol: 'tcp', sport: 58012, dport: 9922, node: '10.10.21.241', traceReason: 'NEW', direction: 'EGRESS' })
    expect(records[0]?.dstPod).toBe('kube-system/csi-cbs-controller-7788964bc-lsfw5')
  })

  it('reads the older flat Flow shape (hubble#641)', () => {
    const { records, diagnostics } = parseHubbleFlows(fixture('gh-hubble-641-2021__hubble-observe-json-oldformat.txt'))
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ line: 1, src: '22.26.54.134', dst: '10.0.0.171', sport: 443, dport: 36836, isReply: true, observationPoint: 'TO_ENDPOINT', device: 'lxcddb869735f50', node: 'dev-controlplain1' })
  })

  it('says the compact text format is not JSON, line by line, and returns no record', () => {
    const { records, diagnostics } = parseHubbleFlows(fixture('gh-retina-1426__hubble-observe-to-stack-snat.txt'))
    expect(records).toEqual([])
    expect(diagnostics.length).toBeGreaterThan(3)
    expect(diagnostics[1]?.message).toMatch(/^not a JSON flow \(run hubble observe with -o json\)/)
  })

  it('keeps line numbers when a line is broken', () => {
    const lines = fixture('imroc-tke-guide-cilium1191__hubble-flows-json.txt').split('\n')
    const broken = [lines[0], (lines[1] ?? '').slice(0, 200), lines[2]].join('\n')
    const { records, diagnostics } = parseHubbleFlows(broken)
    expect(records.map((r) => r.line)).toEqual([1, 3])
    expect(diagnostics).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/^invalid JSON/) })])
  })
})
