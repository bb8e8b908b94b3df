/**
 * The engine on the seed lab (lib/demo/seed-doks.capture.json: the French DOKS TP, outputs
 * verbatim). Every hop, fact, line number and warning below is checked against the seed text.
 */
import { describe, expect, it } from 'vitest'
import seedJson from '@/lib/demo/seed-doks.capture.json'
import { validateCapture } from '@/lib/formats/capture-schema'
import { validateWalk } from '@/lib/formats/walk-schema'
import type { Capture } from '@/lib/model/capture'
import type { Hop, Walk } from '@/lib/model/walk'
import { inferWalk } from './walk'

function seed(): Capture {
  const r = validateCapture(structuredClone(seedJson))
  if (!r.ok) throw new Error(r.error)
  return r.capture
}

function lines(h: Hop, host: string, command: string): number[] | undefined {
  return h.evidence.find((e) => e.host === host && e.command === command)?.lines
}

describe('seed walk (pod 10.244.0.213 → 1.0.0.1:80/tcp)', () => {
  const walk: Walk = inferWalk(seed())
  const hops = walk.hops

  it('validates as walk@1', () => {
    const v = validateWalk(JSON.parse(JSON.stringify(walk)))
    expect(v.ok ? 'ok' : v.error).toBe('ok')
  })

  it('meets the hops in datapath order', () => {
    expect(hops.map((h) => `${h.kind}@${h.host}`)).toEqual([
      'route@pod',
      'neighbor@pod',
      'veth@node-7o7xd',
      'bpf@node-7o7xd',
      'conntrack@node-7o7xd',
      'conntrack@node-7o7xd',
      'route@node-7o7xd',
      'nat@node-7o7xd',
      'neighbor@node-7o7xd',
      'egress@node-7o7xd',
    ])
    expect(hops.map((h) => h.place)).toEqual(['pod', 'pod', 'node', 'node', 'node', 'node', 'node', 'node', 'node', 'world'])
    expect(hops.map((h) => h.proven)).toEqual([true, true, true, true, true, true, true, true, false, true])
  })

  it('1 · pod route: default via 10.244.0.201 on eth0, route -n line 3', () => {
    const h = hops[0]!
    expect(h.facts).toEqual({ destination: '0.0.0.0/0', gateway: '10.244.0.201', device: 'eth0', assumes: 'no policy routing (`ip rule` not captured)' })
    expect(h.evidence).toEqual([{ host: 'pod', command: 'route -n', lines: [3], run: 0 }])
    expect(h.packet).toMatchObject({ srcIp: '10.244.0.213', dstIp: '1.0.0.1', dstPort: 80, protocol: 'tcp' })
  })

  it('2 · pod neighbour: the gateway resolves to the lxc MAC (arp -an line 1), the frame leaves from eth0 (ip a line 2)', () => {
    const h = hops[1]!
    expect(h.facts).toMatchObject({ ip: '10.244.0.201', mac: 'f6:93:7d:11:4d:37', device: 'eth0', srcMac: 'a6:c6:93:71:26:19' })
    expect(lines(h, 'pod', 'arp -an')).toEqual([1])
    expect(lines(h, 'pod', 'ip a')).toEqual([2])
    expect(h.packet?.dstMac).toBe('f6:93:7d:11:4d:37')
    expect(h.packet?.srcMac).toBe('a6:c6:93:71:26:19')
    expect(h.packet?.changed).toEqual(['srcMac', 'dstMac'])
  })

  it('2 · the teaching point: the gateway IP is on cilium_host, the MAC that answered is the lxc end', () => {
    const h = hops[1]!
    expect(h.facts.gatewayDevice).toBe('cilium_host')
    expect(h.facts.answeredBy).toBe('lxcf4cd39e34601')
    // `cilium_host: flags=…NOARP…` (L1) and `inet 10.244.0.201 netmask …` (L2)
    expect(lines(h, 'node-7o7xd', 'ifconfig cilium_host')).toEqual([1, 2])
    // `25: lxcf4cd39e34601@if24: …` (L1) and `link/ether f6:93:7d:11:4d:37 …` (L2)
    expect(lines(h, 'node-7o7xd', 'ip a | grep -A1 -B1 f6:93:7d:11:4d:37')).toEqual([1, 2])
    expect(h.summary).toContain("The gateway IP lives on the node's cilium_host (NOARP: it never answers ARP itself)")
    expect(h.summary).toContain("the MAC that answered belongs to lxcf4cd39e34601: Cilium answers the pod's ARP for the gateway from the lxc side")
  })

  it('3 · veth: eth0@if25 ↔ lxcf4cd39e34601 (ifindex 25, MAC line 2)', () => {
    const h = hops[2]!
    expect(h.facts).toEqual({ from: 'eth0', to: 'lxcf4cd39e34601', fromHost: 'pod', toHost: 'node-7o7xd' })
    expect(lines(h, 'pod', 'ip a')).toEqual([1])
    expect(lines(h, 'node-7o7xd', 'ip a | grep -A1 -B1 f6:93:7d:11:4d:37')).toEqual([1, 2])
  })

  it('4 · bpf: from-container of bpf_lxc.o on the lxc ingress, and the monitor says -> stack', () => {
    const h = hops[3]!
    expect(h.facts).toMatchObject({ device: 'lxcf4cd39e34601', direction: 'ingress', program: 'from-container', object: 'bpf_lxc.o', monitor: '-> stack' })
    expect(lines(h, 'node-7o7xd', 'tc filter show dev lxcf4cd39e34601 ingress')).toEqual([2])
    expect(lines(h, 'cilium-r7ffp', 'cilium monitor | grep 1.0.0.1')).toEqual([2, 4, 5, 7, 9])
  })

  it('5 · Cilium conntrack: the TCP OUT entry (line 1), not the ICMP ones', () => {
    const h = hops[4]!
    expect(h.facts.table).toBe('cilium')
    expect(h.facts.entry).toMatch(/^TCP OUT 10\.244\.0\.213:46486 -> 1\.0\.0\.1:80 expires=17755044 /)
    expect(lines(h, 'cilium-r7ffp', 'cilium bpf ct list global | grep 1.0.0.1')).toEqual([1])
  })

  it('6 · netfilter conntrack: legacy host routing, /proc/net/nf_conntrack line 1', () => {
    const h = hops[5]!
    expect(h.facts.table).toBe('netfilter')
    expect(h.facts.entry).toMatch(/^ipv4 2 tcp 6 117 TIME_WAIT src=10\.244\.0\.213 dst=1\.0\.0\.1 sport=41708 dport=80 src=1\.0\.0\.1 dst=164\.92\.138\.123/)
    expect(lines(h, 'node-7o7xd', 'grep 1.0.0.1 /proc/net/nf_conntrack')).toEqual([1])
  })

  it('7 · node route: default via 165.22.16.1 on eth0 (route -n line 3 of the node)', () => {
    const h = hops[6]!
    expect(h.facts).toEqual({ destination: '0.0.0.0/0', gateway: '165.22.16.1', device: 'eth0', assumes: 'no policy routing (`ip rule` not captured)' })
    expect(h.evidence).toEqual([{ host: 'node-7o7xd', command: 'route -n', lines: [3], run: 3 }])
  })

  it('7 · the node routes the packet: the pod frame ends, its MACs are not carried further', () => {
    const h = hops[6]!
    expect(h.packet?.srcMac).toBeUndefined()
    expect(h.packet?.dstMac).toBeUndefined()
    expect(h.packet?.changed).toEqual(['srcMac', 'dstMac'])
    expect(h.summary).toMatch(/the Ethernet header the packet came with ends here: a new one is written for 165\.22\.16\.1$/)
    for (const later of hops.slice(6)) {
      expect(later.packet?.srcMac).toBeUndefined()
      expect(later.packet?.dstMac).toBeUndefined()
    }
    // before the routing hop the frame is the pod's
    for (const before of hops.slice(1, 6)) expect(before.packet).toMatchObject({ srcMac: 'a6:c6:93:71:26:19', dstMac: 'f6:93:7d:11:4d:37' })
  })

  it('8 · nat: iptables masquerade to 164.92.138.123, proven by conntrack, no rule fact', () => {
    const h = hops[7]!
    expect(h.facts).toEqual({ type: 'masquerade', by: 'iptables', from: '10.244.0.213', to: '164.92.138.123' })
    expect(h.proven).toBe(true)
    expect(lines(h, 'node-7o7xd', 'grep 1.0.0.1 /proc/net/nf_conntrack')).toEqual([1])
    // the configuration lines and the missing BPF NAT map (stderr) back the choice of iptables
    expect(lines(h, 'cilium-r7ffp', 'cilium config view | grep -i masq')).toEqual([1, 2])
    const stderr = h.evidence.find((e) => e.command === 'cilium bpf nat list')
    expect(stderr).toMatchObject({ stream: 'stderr', lines: [1, 2] })
    expect(h.packet).toMatchObject({ srcIp: '164.92.138.123', changed: ['srcIp'] })
    expect(h.facts.assumes).toBeUndefined()
    expect(h.summary).toBe(
      'iptables MASQUERADE rewrites the source 10.244.0.213 to 164.92.138.123: the conntrack entry (L1) expects the reply at 164.92.138.123; the rule itself was not captured',
    )
    expect(walk.warnings.some((w) => w.includes('iptables-save -t nat') && w.includes('node-7o7xd') && w.includes('grep -c KUBE'))).toBe(true)
  })

  it('9 · node neighbour: not captured, so unproven with `ip neigh` on node-7o7xd; eth0\'s MAC is unknown too', () => {
    const h = hops[8]!
    expect(h.facts).toEqual({ ip: '165.22.16.1', device: 'eth0' })
    expect(h.summary).toContain("eth0's own MAC is not captured either: both MACs of the new frame are unknown")
    expect(h.prove).toMatchObject({ host: 'node-7o7xd', command: 'ip neigh' })
    expect(walk.warnings.some((w) => w.includes('`ip neigh` on node-7o7xd'))).toBe(true)
  })

  it('10 · no eth0 egress program was captured: a warning, not a hop', () => {
    expect(hops.filter((h) => h.kind === 'bpf')).toHaveLength(1)
    expect(walk.warnings.some((w) => w.includes('tc filter show dev eth0 egress'))).toBe(true)
  })

  it('11 · egress: eth0 towards 165.22.16.1, with the masqueraded source', () => {
    const h = hops[9]!
    expect(h.facts).toEqual({ device: 'eth0', nextHop: '165.22.16.1' })
    expect(h.packet?.srcIp).toBe('164.92.138.123')
  })

  it('warns that the node route table and the pod/cilium_host outputs disagree on the router IP', () => {
    const w = walk.warnings.find((x) => x.includes('10.244.0.148'))
    expect(w).toBeDefined()
    expect(w).toContain('10.244.0.201')
    expect(w).toContain('L7,8')
    expect(w).toMatch(/different nodes/)
  })

  it('says the matched entries come from different connections (ports 46486, 59242, 41708)', () => {
    const w = walk.warnings.find((x) => x.includes('different connections'))
    expect(w).toBeDefined()
    for (const p of ['46486', '59242', '41708']) expect(w).toContain(p)
  })

  it('reads the datapath: native, iptables masquerade, legacy host routing', () => {
    expect(walk.datapath).toMatchObject({ routing: 'native', masquerade: 'iptables', hostRouting: 'legacy', kubeProxyReplacement: 'partial' })
    expect(walk.datapath?.basis.some((b) => b.includes('cilium_snat_v4_external'))).toBe(true)
    expect(walk.datapath?.basis).toContain('kube-proxy-replacement partial: cluster.config kube-proxy-replacement=partial')
  })

  it('states the routing assumption: no `ip rule` output, so the kernel default rules, in pod and node', () => {
    const b = walk.datapath?.basis.filter((x) => x.startsWith('assumption:')) ?? []
    expect(b).toEqual([
      "assumption: pod's route to 1.0.0.1 takes the kernel's default rules (local, main, default tables) since `ip rule` was not captured; a policy rule (fwmark, source) could pick another table",
      "assumption: node-7o7xd's route to 1.0.0.1 takes the kernel's default rules (local, main, default tables) since `ip rule` was not captured; a policy rule (fwmark, source) could pick another table",
    ])
  })

  it('explains in words: the veth pairing, the lxc ingress program, the reply address of conntrack', () => {
    expect(hops[2]?.summary).toBe(
      "The packet crosses the veth pair from the pod's eth0 to lxcf4cd39e34601 on node-7o7xd: eth0@if25 says its peer is interface 25 of the node, lxcf4cd39e34601, which also carries the gateway MAC f6:93:7d:11:4d:37",
    )
    expect(hops[3]?.summary).toContain('so it runs on every packet the pod sends')
    expect(hops[3]?.summary).toContain('"-> stack", the packet is handed to the host network stack')
    expect(hops[4]?.summary).toContain('"TCP OUT 10.244.0.213:46486 -> 1.0.0.1:80"')
    expect(hops[5]?.summary).toContain('replies are expected at 164.92.138.123:41708, not at the pod: the source is translated (see the nat hop)')
  })
})

describe('seed capture with an ICMP flow (ping 1.0.0.1)', () => {
  const c = seed()
  c.flow = { ...c.flow, destination: { ip: '1.0.0.1', protocol: 'icmp' } }
  const walk = inferWalk(c)

  it('matches the ICMP CT entry (line 2, not the related one on line 3)', () => {
    const ct = walk.hops.find((h) => h.kind === 'conntrack' && h.facts.table === 'cilium')!
    expect(ct.proven).toBe(true)
    expect(ct.facts.entry).toMatch(/^ICMP OUT 10\.244\.0\.213:51724 -> 1\.0\.0\.1:0 /)
    expect(ct.evidence[0]?.lines).toEqual([2])
  })

  it('has no netfilter entry for ICMP, so that hop and the NAT address are unproven', () => {
    const nf = walk.hops.find((h) => h.kind === 'conntrack' && h.facts.table === 'netfilter')!
    expect(nf.proven).toBe(false)
    expect(nf.prove?.command).toBe('conntrack -L -s 10.244.0.213')
    const nat = walk.hops.find((h) => h.kind === 'nat')!
    expect(nat.proven).toBe(false)
    expect(nat.facts.to).toBeUndefined()
    expect(nat.prove).toMatchObject({ host: 'node-7o7xd', command: 'iptables-save -t nat' })
    expect(validateWalk(JSON.parse(JSON.stringify(walk))).ok).toBe(true)
  })

  it('does not cite the TCP monitor events for an ICMP flow', () => {
    const bpf = walk.hops.find((h) => h.kind === 'bpf')!
    expect(bpf.facts.monitor).toBeUndefined()
    expect(bpf.evidence.some((e) => e.command.startsWith('cilium monitor'))).toBe(false)
  })
})

describe('seed capture to a destination inside the native routing CIDR', () => {
  const c = seed()
  c.cluster = { ...c.cluster, config: { ...c.cluster.config, 'ipv4-native-routing-cidr': '10.244.0.0/16' } }
  c.flow = { ...c.flow, destination: { ip: '10.244.0.5', port: 80, protocol: 'tcp' } }
  const walk = inferWalk(c)

  it('routes via eth1 to the other node and does not masquerade', () => {
    const nodeRoute = walk.hops.filter((h) => h.kind === 'route')[1]!
    expect(nodeRoute.facts).toMatchObject({ destination: '10.244.0.0/25', gateway: '10.135.152.71', device: 'eth1' })
    expect(nodeRoute.evidence[0]?.lines).toEqual([6])
    expect(walk.hops.some((h) => h.kind === 'nat')).toBe(false)
    expect(walk.datapath?.basis.some((b) => b.includes('no masquerade') && b.includes('10.244.0.0/16'))).toBe(true)
    expect(walk.hops.at(-1)?.facts).toEqual({ device: 'eth1', nextHop: '10.135.152.71' })
  })
})
