import { describe, expect, it } from 'vitest'
import { parseCiliumMonitor } from './cilium-monitor'
import { HOSTILE_INPUTS } from './hostile-inputs'
// The seed lab: `cilium monitor | grep 1.0.0.1` (seed lines 73-82).
import seedMonitor from './fixtures/seed-cilium-monitor-grep.txt?raw'
import seedMonitorWithPrompt from './fixtures/seed-cilium-monitor-grep-with-prompt.txt?raw'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import minikube15 from './fixtures/arthurchiao-cheatsheet-minikube15__cilium-monitor.txt?raw'
import anonymised9285 from './fixtures/gh-cilium-9285-arthurchiao__agent-cilium-monitor-grep.txt?raw'
// haruband/codebook k8s/networkpolicy/index.md: a policy verdict and a drop; the ` , identity` format.
import verdictAndDrop from './fixtures/haruband-codebook-argocd__agent-cilium-monitor-drop.txt?raw'
import commaIdentity from './fixtures/haruband-codebook-argocd__agent-cilium-monitor-comma-identity.txt?raw'

describe('parseCiliumMonitor', () => {
  it("reads the seed's trace events and skips the agent log line silently", () => {
    const { records, diagnostics } = parseCiliumMonitor(seedMonitor)
    expect(diagnostics).toEqual([])
    expect(records.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
    expect(records[0]).toEqual({
      line: 2,
      text: '-> stack flow 0x8958dbda identity 42837->world state new ifindex 0 orig-ip 0.0.0.0: 10.244.0.213:59242 -> 1.0.0.1:80 tcp SYN',
      arrow: '->',
      point: 'stack',
      flow: '0x8958dbda',
      identitySrc: '42837',
      identityDst: 'world',
      state: 'new',
      ifindex: '0',
      origIp: '0.0.0.0',
      src: '10.244.0.213',
      sport: 59242,
      dst: '1.0.0.1',
      dport: 80,
      protocol: 'tcp',
      tcpFlags: ['SYN'],
    })
    expect(records[1]).toMatchObject({
      line: 3,
      point: 'endpoint',
      endpointId: 762,
      flow: '0x0',
      identitySrc: 'world',
      identityDst: '42837',
      state: 'reply',
      ifindex: 'lxcf4cd39e34601',
      origIp: '1.0.0.1',
      src: '1.0.0.1',
      dst: '10.244.0.213',
      dport: 59242,
      tcpFlags: ['SYN', 'ACK'],
    })
    expect(records[5]?.tcpFlags).toEqual(['ACK', 'FIN'])
    expect(parseCiliumMonitor(seedMonitorWithPrompt).diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('joins the 1.5 event the blog wrapped onto two lines and keeps the last, cut one', () => {
    const { records, diagnostics } = parseCiliumMonitor(minikube15)
    expect(diagnostics.map((d) => d.line)).toEqual([1])
    expect(records.map((r) => [r.line, r.arrow, r.point, r.endpointId, r.src, r.sport, r.dst, r.dport])).toEqual([
      [2, '<-', 'host', undefined, '192.168.99.100', 8443, '10.15.38.236', 36598],
      [4, '->', 'endpoint', 34542, '10.96.0.1', 443, '10.15.38.236', 36598],
      [5, '<-', 'endpoint', 34542, '10.15.38.236', 36598, '10.96.0.1', 443],
      [6, '->', 'stack', undefined, '10.15.38.236', 36598, '192.168.99.100', 8443],
      [7, '<-', 'host', undefined, '192.168.99.100', 8443, undefined, undefined],
    ])
    expect(records[0]?.lines).toEqual([2, 3])
    expect(records[0]).toMatchObject({ flow: '0x6154a2bb', identitySrc: '2', identityDst: '0', state: 'new', protocol: 'tcp', tcpFlags: ['ACK'] })
    expect(records[1]).toMatchObject({ ifindex: 'lxcc2615b8d08d2', identityDst: '104', state: 'reply' })
  })

  it('keeps anonymised IP_A/IP_B addresses as printed (cilium#9285)', () => {
    const { records } = parseCiliumMonitor(anonymised9285)
    expect(records.map((r) => [r.line, r.endpointId, r.src, r.sport, r.dst, r.dport, r.tcpFlags])).toEqual([
      [2, 229, 'IP_A', 59428, 'IP_B', 15020, ['SYN']],
      [3, 1217, 'IP_B', 15020, 'IP_A', 59428, ['SYN', 'ACK']],
      [4, 229, 'IP_A', 59428, 'IP_B', 15020, ['RST']],
      [5, 229, 'IP_A', 59428, 'IP_B', 15020, ['RST']],
    ])
  })

  it('reads a policy verdict and an `xx drop (Policy denied)` notification', () => {
    const { records, diagnostics } = parseCiliumMonitor(verdictAndDrop)
    expect(diagnostics.map((d) => d.line)).toEqual([1])
    expect(records[0]).toMatchObject({
      line: 2,
      point: 'policy-verdict',
      verdict: 'deny',
      flow: '0x48357586',
      endpointId: 211,
      src: '172.26.50.201',
      sport: 60556,
      dst: '10.0.1.185',
      dport: 8082,
      tcpFlags: ['SYN'],
    })
    expect(records[1]).toMatchObject({
      line: 3,
      arrow: 'xx',
      drop: 'Policy denied',
      flow: '0x48357586',
      endpointId: 211,
      identitySrc: 'world',
      identityDst: '15435',
      src: '172.26.50.201',
      dst: '10.0.1.185',
      dport: 8082,
    })
    expect(records[1]?.point).toBeUndefined()
  })

  it('reads the ` , identity` spelling of newer agents', () => {
    const { records } = parseCiliumMonitor(commaIdentity)
    expect(records.map((r) => [r.line, r.point, r.endpointId, r.flow, r.identitySrc, r.identityDst, r.state, r.origIp, r.dport])).toEqual([
      [2, 'endpoint', 1562, '0x76403eb7', 'world', '11803', 'new', '172.26.50.201', 8080],
      [3, 'stack', undefined, '0xe8858480', '11803', 'host', 'reply', '0.0.0.0', 56134],
    ])
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    const r = parseCiliumMonitor(text)
    expect(Array.isArray(r.records)).toBe(true)
  })
})
