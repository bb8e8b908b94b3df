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

  it('says where the gateway lives (cilium_host, ip addr) and whose MAC answered (the lxc, ip -d link)', () => {
    const h = walk.hops[1]!
    const gwIp = gw.m[1] as string
    const host = find(c, nodeHost, 'ip addr', /^\d+: (cilium_host)[@:]/)
    const inet = find(c, nodeHost, 'ip addr', new RegExp(`^\\s+inet ${gwIp.replace(/\./g, '\\.')}/\\d+ .*cilium_host$`))
    expect(h.facts).toMatchObject({ ip: gwIp, gatewayDevice: 'cilium_host', answeredBy: lxc.m[1] })
    expect(h.evidence.find((e) => e.host === nodeHost && e.command === 'ip addr')?.lines).toEqual([host.line, inet.line])
    expect(h.evidence.find((e) => e.host === nodeHost && e.command === 'ip -d link')?.lines).toEqual([lxc.line, lxc.line + 1])
    expect(h.summary).toContain(`the MAC that answered belongs to ${lxc.m[1]}: Cilium answers the pod's ARP for the gateway from the lxc side`)
  })

  it('rewrites the frame at the node: pod MACs up to the routing hop, then eth0 → next hop from ip -d link and ip neigh', () => {
    const podMac = find(c, podHost, 'ip addr', /^\s+link\/ether (\S+)/)
    const route = find(c, nodeHost, 'ip route show table all', /^default via (\S+) dev (\S+)/)
    const dev = route.m[2] as string
    const devHead = find(c, nodeHost, 'ip -d link', new RegExp(`^\\d+: ${dev}[@:]`))
    // the MAC is on the line after the device's header
    const devMac = find(c, nodeHost, 'ip -d link', new RegExp(`^\\s+link/ether (\\S+) brd \\S+ link-netns`))
    const neigh = find(c, nodeHost, 'ip neigh', new RegExp(`^${(route.m[1] as string).replace(/\./g, '\\.')} dev ${dev} lladdr (\\S+)`))
    expect(devMac.line).toBe(devHead.line + 1)
    const kinds = walk.hops.map((h) => `${h.kind}@${h.place}`)
    const nodeRoute = kinds.indexOf('route@node')
    for (const h of walk.hops.slice(1, nodeRoute)) expect(h.packet).toMatchObject({ srcMac: podMac.m[1], dstMac: gw.m[2]?.toLowerCase() })
    expect(walk.hops[nodeRoute]?.packet?.srcMac).toBeUndefined()
    expect(walk.hops[nodeRoute]?.packet?.dstMac).toBeUndefined()
    const n = walk.hops[8]!
    expect(n.kind).toBe('neighbor')
    expect(n.facts).toMatchObject({ ip: route.m[1], mac: neigh.m[1], device: dev, srcMac: devMac.m[1] })
    expect(n.packet).toMatchObject({ srcMac: devMac.m[1], dstMac: neigh.m[1], changed: ['srcMac', 'dstMac'] })
    expect(n.evidence.find((e) => e.command === 'ip neigh')?.lines).toEqual([neigh.line])
    expect(n.evidence.find((e) => e.command === 'ip -d link')?.lines).toEqual([devMac.line])
    expect(walk.hops[9]?.packet).toMatchObject({ srcMac: devMac.m[1], dstMac: neigh.m[1], changed: [] })
  })

  it('quotes the MASQUERADE rule that matched, without its comment', () => {
    const nat = walk.hops[7]!
    const quoted = masq.m[0].replace(/^-A CILIUM_POST_nat /, '').replace(/ -m comment --comment "[^"]*"/, '')
    expect(nat.summary).toContain(`POSTROUTING L`)
    expect(nat.summary).toContain(`CILIUM_POST_nat L${masq.line} matches ("${quoted}")`)
    expect(nat.facts.assumes).toBeUndefined()
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

describe('lab capture, tcp flow to a pod range across eth1 (the NAT verdict rests on kube-proxy\'s mark)', () => {
  const c = lab()
  c.flow = { ...c.flow, destination: { ip: '10.244.0.5', port: 80, protocol: 'tcp' } }
  const walk = inferWalk(c)
  const nodeHost = Object.keys(c.hosts).find((h) => c.hosts[h]?.role === 'node') as string
  const ret = find(c, nodeHost, 'iptables-save', /^-A KUBE-POSTROUTING -m mark ! --mark 0x4000\/0x4000 -j RETURN$/)

  it('says "no masquerade" only together with the assumption that the 0x4000 bit is clear', () => {
    expect(validateWalk(JSON.parse(JSON.stringify(walk))).ok).toBe(true)
    expect(walk.hops.some((h) => h.kind === 'nat')).toBe(false)
    const basis = walk.datapath?.basis ?? []
    const assumption = basis.find((b) => b.startsWith('assumption: the NAT verdict'))
    expect(assumption).toContain(`KUBE-POSTROUTING L${ret.line} of \`iptables-save\` ("-m mark ! --mark 0x4000/0x4000 -j RETURN")`)
    expect(basis).toContain(
      `no masquerade: no rule of nat POSTROUTING in \`iptables-save\` translates 10.244.0.213 → 10.244.0.5 out of eth1 (assuming the packet lacks kube-proxy's mark 0x4000, which KUBE-POSTROUTING L${ret.line} tests)`,
    )
  })

  it('writes the new frame from eth1 and leaves its destination MAC unknown (no neighbour entry)', () => {
    const n = walk.hops.find((h) => h.kind === 'neighbor' && h.place === 'node')!
    expect(n.proven).toBe(false)
    const eth1 = find(c, nodeHost, 'ip -d link', /^\d+: eth1@/)
    const mac = c.hosts[nodeHost]!.runs.find((r) => r.command === 'ip -d link')!.stdout.split('\n')[eth1.line]!.trim().split(/\s+/)[1]
    expect(n.packet?.srcMac).toBe(mac)
    expect(n.packet?.dstMac).toBeUndefined()
    expect(walk.hops.at(-1)?.packet?.dstMac).toBeUndefined()
  })
})
