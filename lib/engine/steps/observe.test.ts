import { describe, expect, it } from 'vitest'
import type { Capture } from '@/lib/model/capture'
import type { Hop } from '@/lib/model/walk'
import type { WalkContext } from '../context'
import { observeStep, type Observation } from './observe'
// Hubble 1.19.1 flows (imroc/tke-guide) and a reply from cilium/hubble#641: see lib/parsers/fixtures/SOURCES.md
import tke from '@/lib/parsers/fixtures/imroc-tke-guide-cilium1191__hubble-flows-json.txt?raw'
import flat from '@/lib/parsers/fixtures/gh-hubble-641-2021__hubble-observe-json-oldformat.txt?raw'

const hop = (kind: Hop['kind'], host: string, facts: Record<string, string>): Hop => ({ kind, host, summary: kind, facts, evidence: [], proven: true })

/** The few fields of a walk context the step reads, around real hubble output in a capture. */
function context(o: { src: string; dst: string; port?: number; node: string; hubble: string; hops: Hop[] }): WalkContext {
  const capture: Capture = {
    format: 'packetwalk/capture@1',
    capturedAt: '2026-02-24T08:50:00Z',
    cluster: { cni: 'cilium' },
    flow: { source: { ip: o.src }, destination: { ip: o.dst, protocol: 'tcp', ...(o.port ? { port: o.port } : {}) } },
    hosts: {
      [o.node]: { role: 'node', name: o.node, runs: [] },
      other: { role: 'node', name: 'other-node', runs: [] },
      agent: { role: 'agent', name: 'kube-system/cilium-abcde', node: o.node, runs: [{ command: `hubble observe --last 1000 -o json --ip ${o.src}`, stdout: o.hubble, stderr: '', exitCode: 0 }] },
    },
  }
  return { capture, hops: o.hops, warnings: [], srcIp: o.src, dstIp: o.dst, flowDstIp: o.dst, dstPort: o.port, flowDstPort: o.port, protocol: 'tcp' } as unknown as WalkContext
}

describe('observeStep', () => {
  it('cites a TO_NETWORK flow as evidence of the egress hop on the same node and device, with what Hubble said', () => {
    const egress = hop('egress', '10.10.21.241', { device: 'eth0' })
    const elsewhere = hop('egress', 'other', { device: 'eth0' })
    const ctx = context({ src: '10.10.21.241', dst: '9.134.108.44', port: 9922, node: '10.10.21.241', hubble: tke, hops: [elsewhere, egress] })
    observeStep(ctx)
    expect(egress.evidence).toEqual([{ host: 'agent', command: 'hubble observe --last 1000 -o json --ip 10.10.21.241', lines: [2] }])
    expect(egress.observed).toEqual([{ host: 'agent', command: 'hubble observe --last 1000 -o json --ip 10.10.21.241', line: 2, point: 'TO_NETWORK', verdict: 'FORWARDED', isReply: false, device: 'eth0' }] satisfies Observation[])
    // another node's hop, and the other flow of the output (to 183.47.117.75), are left alone
    expect(elsewhere.evidence).toEqual([])
    expect(ctx.warnings).toEqual([])
  })

  it('marks a reply delivered to the endpoint (is_reply) on the delivery hop of the reply walk', () => {
    const deliver = hop('deliver', 'dev-controlplain1', { device: 'lxcddb869735f50', ip: '10.0.0.171' })
    const ctx = context({ src: '22.26.54.134', dst: '10.0.0.171', port: 36836, node: 'dev-controlplain1', hubble: flat, hops: [deliver] })
    observeStep(ctx)
    expect(deliver.evidence).toEqual([expect.objectContaining({ host: 'agent', lines: [1] })])
    expect(deliver.observed).toEqual([expect.objectContaining({ point: 'TO_ENDPOINT', isReply: true, verdict: 'FORWARDED', device: 'lxcddb869735f50' })])
  })

  it('adds nothing for another flow, a port that differs, or a failed hubble run', () => {
    const egress = hop('egress', '10.10.21.241', { device: 'eth0' })
    const wrongPort = context({ src: '10.10.21.241', dst: '9.134.108.44', port: 443, node: '10.10.21.241', hubble: tke, hops: [egress] })
    observeStep(wrongPort)
    expect(egress.evidence).toEqual([])
    const failed = context({ src: '10.10.21.241', dst: '9.134.108.44', port: 9922, node: '10.10.21.241', hubble: tke, hops: [egress] })
    const run = failed.capture.hosts.agent?.runs[0]
    if (run) run.exitCode = 1
    observeStep(failed)
    expect(egress.evidence).toEqual([])
  })
})
