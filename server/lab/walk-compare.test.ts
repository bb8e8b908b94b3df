/** What the golden comparison of lab walks removes, and what it keeps. */
import { describe, expect, it } from 'vitest'
import { normaliseText, walkShape } from '@/server/lab/walk-compare'
import type { Walk } from '@/lib/model/walk'

describe('normaliseText', () => {
  it('removes ephemeral ports, conntrack timers, ids and use counts', () => {
    const a = 'ipv4     2 tcp      6 47 TIME_WAIT src=10.244.0.213 dst=198.51.100.80 sport=44236 dport=80 src=198.51.100.80 dst=203.0.113.10 sport=80 dport=44236 [ASSURED] mark=0 zone=0 use=2'
    const b = 'ipv4     2 tcp      6 112 TIME_WAIT src=10.244.0.213 dst=198.51.100.80 sport=51000 dport=80 src=198.51.100.80 dst=203.0.113.10 sport=80 dport=51000 [ASSURED] mark=0 zone=0 use=1'
    expect(normaliseText(a)).toBe(normaliseText(b))
    expect(normaliseText('10.135.0.6:61194')).toBe('10.135.0.6:<port>')
    expect(normaliseText('bpftool map dump id 242')).toBe(normaliseText('bpftool map dump id 7'))
  })

  it('keeps what must match: addresses, fixed ports, states, other entries', () => {
    const a = 'tcp 6 47 TIME_WAIT src=10.244.0.213 dst=10.244.0.45 sport=44236 dport=8080'
    expect(normaliseText(a)).toContain('dport=8080')
    expect(normaliseText(a)).not.toBe(normaliseText(a.replace('10.244.0.45', '10.244.0.170')))
    expect(normaliseText(a)).not.toBe(normaliseText(a.replace('TIME_WAIT', 'ESTABLISHED')))
    expect(normaliseText('10.244.0.45:8080')).toBe('10.244.0.45:8080')
  })
})

describe('walkShape', () => {
  const walk = (state: string, device: string): Walk =>
    ({
      format: 'packetwalk/walk@1',
      flow: { source: { ip: '10.244.0.213' }, destination: { ip: '198.51.100.80', protocol: 'tcp' } },
      hops: [{ kind: 'neighbor', host: 'client', summary: `via ${device} (${state})`, facts: { ip: '10.244.0.201', device, state }, evidence: [], proven: true }],
      warnings: [],
    }) as unknown as Walk

  it('treats the NUD states of a resolved neighbour alike, but not a failed one or another device', () => {
    expect(walkShape(walk('REACHABLE', 'eth0'))).toEqual(walkShape(walk('STALE', 'eth0')))
    expect(walkShape(walk('REACHABLE', 'eth0'))).not.toEqual(walkShape(walk('FAILED', 'eth0')))
    expect(walkShape(walk('REACHABLE', 'eth0'))).not.toEqual(walkShape(walk('REACHABLE', 'eth1')))
  })
})
