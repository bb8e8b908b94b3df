/**
 * The engine on the lab capture (lib/demo/lab.capture.json): network namespaces on a real kernel
 * shaped like the seed node, collected by the netns collector. Names, MACs and ports change when
 * the lab is rebuilt, so the expected values are looked up in the capture's raw outputs with
 * plain regular expressions — independent of the parsers and the engine.
 */
import { describe, expect, it } from 'vitest'
import labJson from '@/lib/demo/lab.capture.json'
import { validateCapture } from '@/lib/formats/capture-schema'
import { validateWalk } from '@/lib/formats/walk-schema'
import type { Capture } from '@/lib/model/capture'
import { inferWalk } from './walk'

function lab(): Capture {
  const r = validateCapture(structuredClone(labJson))
  if (!r.ok) throw new Error(r.error)
  return r.capture
}

/** The 1-based line of `host`'s `command` output matching `re`, and the match. */
function find(c: Capture, host: string, command: string, re: RegExp): { line: number; m: RegExpExecArray } {
  const run = c.hosts[host]?.runs.find((r) => r.command === command)
  if (!run) throw new Error(`no ${command} on ${host}`)
  const lines = run.stdout.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = re.exec(lines[i] ?? '')
    if (m) return { line: i + 1, m }
  }
  throw new Error(`${re} not in ${host}: ${command}`)
}

describe('lab capture, tcp flow', () => {
  const c = lab()
  const walk = inferWalk(c)
  const podHost = Object.keys(c.hosts).find((h) => c.hosts[h]?.role === 'pod') as string
  const nodeHost = Object.keys(c.hosts).find((h) => c.hosts[h]?.role === 'node') as string
  const eth0 = find(c, podHost, 'ip addr', /^\d+: eth0@if(\d+):/)
  const lxc = find(c, nodeHost, 'ip -d link', new RegExp(`^${eth0.m[1]}: (lxc\\w+)@if\\d+:`))
  const gw = find(c, podHost, 'ip neigh', /^(\S+) dev eth0 lladdr (\S+)/)
  const nf = find(c, nodeHost, 'conntrack -L', new RegExp(`^tcp .*src=${c.flow.source.ip.replace(/\./g, '\\.')} dst=${c.flow.destination.ip.replace(/\./g, '\\.')} .* src=\\S+ dst=(\\S+)`))
  const masq = find(c, nodeHost, 'iptables-save', /^-A CILIUM_POST_nat .*-j MASQUERADE.*$/)

  it('validates and proves everything but the Cilium CT entry (no agent binary in the lab)', () => {
    const v = validateWalk(JSON.parse(JSON.stringify(walk)))
    expect(v.ok ? 'ok' : v.error).toBe('ok')
    expect(walk.hops.map((h) => `${h.kind}:${h.proven}`)).toEqual([
      'route:true',
      'neighbor:true',
      'veth:true',
      'bpf:true',
      'conntrack:false',
      'conntrack:true',
      'route:true',
      'nat:true',
      'neighbor:true',
      'egress:true',
    ])
    const ct = walk.hops[4]!
    expect(ct.prove?.command).toBe('cilium bpf ct list global')
    expect(ct.prove?.why).toMatch(/failed on .*exec of "cilium" failed/)
  })

  it('pairs the pod eth0 with the node lxc by ifindex and gateway MAC', () => {
    const veth = walk.hops[2]!
    expect(veth.facts.to).toBe(lxc.m[1])
    expect(veth.evidence.find((e) => e.host === podHost)?.lines).toEqual([eth0.line])
    expect(veth.evidence.find((e) => e.host === nodeHost)?.lines).toEqual([lxc.line, lxc.line + 1])
    expect(walk.hops[1]?.facts.mac).toBe(gw.m[2]?.toLowerCase())
  })

  it('cites the real MASQUERADE rule and the translated source from conntrack', () => {
    const nat = walk.hops[7]!
    expect(nat.facts).toMatchObject({ type: 'masquerade', by: 'iptables', from: c.flow.source.ip, to: nf.m[1] })
    expect(nat.facts.rule).toBe(masq.m[0].trim())
    expect(nat.evidence.find((e) => e.command === 'iptables-save')?.lines).toContain(masq.line)
    expect(nat.evidence.find((e) => e.command === 'conntrack -L')?.lines).toEqual([nf.line])
    expect(walk.hops[9]?.packet?.srcIp).toBe(nf.m[1])
  })

  it('reads an empty `tc filter show dev eth0 egress` as "no program", not as a missing output', () => {
    expect(walk.hops.filter((h) => h.kind === 'bpf')).toHaveLength(1)
    expect(walk.datapath?.basis.some((b) => b.includes('no BPF program on eth0 egress'))).toBe(true)
    expect(walk.warnings.some((w) => w.includes('tc filter show dev eth0 egress'))).toBe(false)
  })
})

describe('lab capture, icmp flow (the lab pinged the same destination)', () => {
  const c = lab()
  c.flow = { ...c.flow, destination: { ip: c.flow.destination.ip, protocol: 'icmp' } }
  const walk = inferWalk(c)
  const nodeHost = Object.keys(c.hosts).find((h) => c.hosts[h]?.role === 'node') as string
  const nf = find(c, nodeHost, 'conntrack -L', /^icmp .* type=8 .* src=\S+ dst=(\S+) type=0/)

  it('matches the icmp conntrack entry (type/id, no ports) and masquerades to its reply address', () => {
    const ct = walk.hops.find((h) => h.kind === 'conntrack' && h.facts.table === 'netfilter')!
    expect(ct.proven).toBe(true)
    expect(ct.evidence[0]?.lines).toEqual([nf.line])
    expect(walk.hops.find((h) => h.kind === 'nat')?.facts.to).toBe(nf.m[1])
    expect(walk.warnings.some((w) => w.includes('different connections'))).toBe(false)
  })
})
