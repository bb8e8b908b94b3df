/**
 * Engine steps on real outputs: the lab's namespaces on a real kernel (lib/parsers/fixtures/lab-*),
 * the corpus groups G1 (arthurchiao, Cilium 1.8 direct routing) and G4 (tkng, Cilium 1.9 VXLAN),
 * and single corpus samples for NAT rules, conntrack and cilium status.
 */
import { describe, expect, it } from 'vitest'
import { validateWalk } from '@/lib/formats/walk-schema'
import { parseIpRoute } from '@/lib/parsers/ip-route'
import { parseIpRule } from '@/lib/parsers/ip-rule'
import { parseIptablesSave } from '@/lib/parsers/iptables-save'
import { parseIptablesList } from '@/lib/parsers/iptables-list'
import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
import { parseCiliumCt } from '@/lib/parsers/cilium-ct'
import { classifyCommand } from '@/lib/commands/classify'
import type { Walk } from '@/lib/model/walk'
import { captureFrom, fixture } from './test-helpers'
import { inferWalk } from './walk'
import { buildFacts, type Source } from './facts'
import { lookupRoute } from './route-lookup'
import { evaluateNat } from './iptables-eval'
import { matchCiliumCt, matchNfConntrack } from './flow-match'
import { detectDatapath } from './datapath'

function source(command: string): Source {
  return { host: 'h', run: 0, command, info: classifyCommand(command), stream: 'stdout', exitCode: 0, empty: false }
}

function expectValid(walk: Walk) {
  const v = validateWalk(JSON.parse(JSON.stringify(walk)))
  expect(v.ok ? 'ok' : v.error).toBe('ok')
}

describe('lookupRoute on the lab node (ip route show table all + ip rule, real kernel)', () => {
  const routes = [{ source: source('ip route show table all'), ...parseIpRoute(fixture('lab-node-ip-route-table-all.txt')) }]
  const rules = [{ source: source('ip rule'), ...parseIpRule(fixture('lab-node-ip-rule.txt')) }]
  const look = (dst: string) => lookupRoute({ routes, rules, dst, src: '10.99.0.13' }).decision

  it('skips the fwmark rule (table 2004 would catch everything) and takes main via `not to 10.99.0.0/16`', () => {
    const d = look('1.0.0.1')!
    expect(d.route).toMatchObject({ line: 2, destination: '0.0.0.0/0', gateway: '192.0.2.1', device: 'eth0' })
    expect(d.rule?.rule.line).toBe(3)
    expect(d.skippedRules.map((s) => s.rule.line)).toEqual([2])
  })
  it('finds a local address in the local table first (rule 0)', () => {
    const d = look('10.99.0.1')!
    expect(d.table).toBe('local')
    expect(d.route).toMatchObject({ type: 'local', device: 'cilium_host' })
    expect(d.rule?.rule.line).toBe(1)
  })
  it('routes a pod on this node to its lxc (endpoint route, line 3) through rule 32766', () => {
    const d = look('10.99.0.13')!
    expect(d.route).toMatchObject({ line: 3, device: 'lxcfx0a1b2c3d4' })
    expect(d.rule?.rule.line).toBe(4)
  })
  it('returns blackhole and multipath routes as printed', () => {
    expect(look('10.99.2.7')?.route).toMatchObject({ line: 5, type: 'blackhole' })
    expect(look('198.51.100.7')?.route).toMatchObject({ line: 10, destination: '198.51.100.0/24' })
  })
})

describe('evaluateNat', () => {
  it('lab iptables-save -c: POSTROUTING jumps to CILIUM_POST_nat whose MASQUERADE rule matches pod → outside', () => {
    const { records } = parseIptablesSave(fixture('lab-netns-iptables-save-c.txt'))
    const v = evaluateNat(records, { src: '10.244.0.213', dst: '1.0.0.1', outInterface: 'eth0', protocol: 'tcp', dport: 80 })!
    expect(v.verdict).toBe('masquerade')
    expect(v.rule?.line).toBe(23)
    expect(v.path.map((r) => r.line)).toEqual([21])
  })
  it('lab: pod → pod of the cluster (! -d 10.244.0.0/16 fails) is not translated', () => {
    const { records } = parseIptablesSave(fixture('lab-netns-iptables-save-c.txt'))
    const v = evaluateNat(records, { src: '10.244.0.213', dst: '10.244.3.4', outInterface: 'eth1', protocol: 'tcp' })!
    expect(v.verdict).toBe('accept')
    expect(v.rule).toBeUndefined()
  })
  it('lab: ! -o cilium_+ keeps traffic to cilium_host out of MASQUERADE; host traffic gets the SNAT rule', () => {
    const { records } = parseIptablesSave(fixture('lab-netns-iptables-save-c.txt'))
    expect(evaluateNat(records, { src: '10.244.0.213', dst: '1.0.0.1', outInterface: 'cilium_host', protocol: 'udp' })?.verdict).toBe('accept')
    const v = evaluateNat(records, { src: '192.0.2.10', dst: '10.244.0.5', outInterface: 'cilium_host', protocol: 'udp' })!
    expect(v).toMatchObject({ verdict: 'snat' })
    expect(v.rule?.line).toBe(24)
  })
  it('tanjunchen iptables-save (4.19 node): CILIUM_POST_nat L142 masquerades the pod CIDR 100.64.64.0/24', () => {
    const { records } = parseIptablesSave(fixture('tanjunchen-cilium-iptables-419__node-iptables-save-annotated.txt'))
    const v = evaluateNat(records, { src: '100.64.64.7', dst: '1.0.0.1', outInterface: 'eth0', protocol: 'tcp', dport: 443 })!
    expect(v.verdict).toBe('masquerade')
    expect(v.rule?.line).toBe(142)
    expect(v.path.map((r) => r.line)).toEqual([125])
  })
  it('tkng iptables -t nat -vnL CILIUM_POST_nat: evaluates the listed chain alone', () => {
    const { records } = parseIptablesList(fixture('tkng-kind-cilium19-vxlan__node2-iptables-nat-CILIUM_POST_nat.txt'), { table: 'nat' })
    expect(evaluateNat(records, { src: '10.0.0.210', dst: '1.0.0.1', outInterface: 'eth0', protocol: 'icmp' })).toBeUndefined()
    const v = evaluateNat(records, { src: '10.0.0.210', dst: '1.0.0.1', outInterface: 'eth0', protocol: 'icmp' }, 'CILIUM_POST_nat')!
    expect(v.verdict).toBe('masquerade')
    expect(v.rule?.line).toBe(4)
    expect(evaluateNat(records, { src: '10.0.0.210', dst: '10.0.0.99', outInterface: 'eth0', protocol: 'icmp' }, 'CILIUM_POST_nat')?.verdict).toBe('accept')
  })
  it('tkng KUBE-POSTROUTING: "mark match ! 0x4000/0x4000" RETURN decides only under kubeMarkClear, and says so', () => {
    const { records } = parseIptablesList(fixture('tkng-kind-kubeproxy-iptables__node-iptables-nat-KUBE-POSTROUTING.txt'), { table: 'nat' })
    const pkt = { src: '10.244.1.7', dst: '1.1.1.1', outInterface: 'eth0', protocol: 'tcp' as const }
    const assumed = evaluateNat(records, { ...pkt, kubeMarkClear: true }, 'KUBE-POSTROUTING')!
    expect(assumed).toMatchObject({ verdict: 'accept', unevaluated: [], shadowedBy: [] })
    expect(assumed.assumedMarkClear.map((r) => r.line)).toEqual([4])
    // without the assumption the RETURN is unknown and the MASQUERADE of line 6 is reached
    const open = evaluateNat(records, pkt, 'KUBE-POSTROUTING')!
    expect(open.verdict).toBe('masquerade')
    expect(open.rule?.line).toBe(6)
    expect(open.assumedMarkClear).toEqual([])
    expect(open.shadowedBy.map((r) => r.line)).toEqual([4])
  })
  it('tanjunchen: 100.65.0.0/16 masquerades at L136 only if the marks of L144,133,134 do not match and 0x4000 is clear (L162)', () => {
    const { records } = parseIptablesSave(fixture('tanjunchen-cilium-iptables-419__node-iptables-save-annotated.txt'))
    const v = evaluateNat(records, { src: '100.65.1.2', dst: '8.8.8.8', outInterface: 'eth0', protocol: 'tcp', dport: 443, kubeMarkClear: true })!
    expect(v.verdict).toBe('masquerade')
    expect(v.rule?.line).toBe(136)
    expect(v.shadowedBy.map((r) => r.line)).toEqual([144, 133, 134])
    expect(v.assumedMarkClear.map((r) => r.line)).toEqual([162])
    expect(v.hiddenTranslations).toEqual([])
  })
})

describe('flow matching on real conntrack outputs', () => {
  it('netfilter (lab conntrack -L): udp by addresses and dport, icmp without ports', () => {
    const { records } = parseNfConntrack(fixture('lab-netns-conntrack-L.txt'))
    expect(matchNfConntrack(records, { protocol: 'udp', src: '127.0.0.1', dst: '127.0.0.2', dport: 9 }).map((r) => r.line)).toEqual([2, 4])
    expect(matchNfConntrack(records, { protocol: 'icmp', src: '127.0.0.1', dst: '127.0.0.1' }).map((r) => r.line)).toEqual([3, 6])
    expect(matchNfConntrack(records, { protocol: 'tcp', src: '127.0.0.1', dst: '127.0.0.1', dport: 8080 }).map((r) => r.line)).toEqual([5])
    expect(matchNfConntrack(records, { protocol: 'tcp', src: '127.0.0.1', dst: '127.0.0.1', dport: 80 })).toEqual([])
  })
  it('Cilium CT (tanjunchen, KPR): the OUT entry to the backend, not the service or IN entries', () => {
    const { records } = parseCiliumCt(fixture('tanjunchen-kind-cilium-kpr__agent-cilium-bpf-ct-list-global-grep.txt'))
    const hits = matchCiliumCt(records, { protocol: 'tcp', src: '10.0.1.90', dst: '10.0.1.108', dport: 80 })
    expect(hits.map((r) => r.line)).toEqual([7])
  })
})

describe('detectDatapath from cilium status (hcloud-talos before/after)', () => {
  const text = fixture('gh-hcloud-talos-34__agent-cilium-status-before-after-hostrouting.txt')
  const cut = text.indexOf('**After:**')
  const agentWith = (stdout: string) => {
    const c = captureFrom({}, { source: { ip: '10.0.16.5' }, destination: { ip: '1.0.0.1', protocol: 'icmp' } })
    c.hosts.agent = { role: 'agent', name: 'kube-system/cilium-x', runs: [{ command: 'cilium status --verbose', stdout, stderr: '', exitCode: 0 }] }
    return buildFacts(c).hosts.agent
  }
  it('before: legacy host routing, iptables masquerade', () => {
    const c = captureFrom({}, { source: { ip: '10.0.16.5' }, destination: { ip: '1.0.0.1', protocol: 'icmp' } })
    const d = detectDatapath(c, { agent: agentWith(text.slice(0, cut)) })
    expect(d.mode).toMatchObject({ hostRouting: 'legacy', masquerade: 'iptables' })
    expect(d.evidence.hostRouting[0]?.lines).toEqual([4]) // line 4: "Host Routing: Legacy"
  })
  it('after: BPF host routing, BPF masquerade, and the native CIDR from the Masquerading line', () => {
    const c = captureFrom({}, { source: { ip: '10.0.16.5' }, destination: { ip: '1.0.0.1', protocol: 'icmp' } })
    const d = detectDatapath(c, { agent: agentWith(text.slice(cut)) })
    expect(d.mode).toMatchObject({ hostRouting: 'bpf', masquerade: 'bpf' })
    expect(d.nativeCidr).toBe('10.0.16.0/20')
  })
  it('config against status: the status wins and the disagreement is a warning', () => {
    const c = captureFrom({}, { source: { ip: '10.0.16.5' }, destination: { ip: '1.0.0.1', protocol: 'icmp' } }, { 'enable-bpf-masquerade': 'true', 'enable-host-legacy-routing': 'false' })
    const d = detectDatapath(c, { agent: agentWith(text.slice(0, cut)) })
    expect(d.mode.masquerade).toBe('iptables')
    expect(d.warnings.some((w) => w.includes('masquerade iptables') && w.includes('bpf'))).toBe(true)
  })
})

describe('lab capture (real kernel namespaces shaped like a Cilium pod and node)', () => {
  const capture = captureFrom(
    {
      'pwfx-pod': {
        role: 'pod',
        name: 'default/lab-pod',
        node: 'pwfx-node',
        runs: [
          ['ip addr', 'lab-pod-ip-addr.txt'],
          ['ip route show table all', 'lab-pod-ip-route-table-all.txt'],
          ['ip rule', 'lab-pod-ip-rule.txt'],
          ['ip neigh', 'lab-pod-ip-neigh.txt'],
        ],
      },
      'pwfx-node': {
        role: 'node',
        runs: [
          ['ip -d link', 'lab-node-ip-d-link.txt'],
          ['ip addr', 'lab-node-ip-addr.txt'],
          ['ip route show table all', 'lab-node-ip-route-table-all.txt'],
          ['ip rule', 'lab-node-ip-rule.txt'],
          ['ip neigh', 'lab-node-ip-neigh.txt'],
        ],
      },
    },
    { source: { ip: '10.99.0.13', pod: 'default/lab-pod', node: 'pwfx-node' }, destination: { ip: '1.0.0.1', port: 80, protocol: 'tcp' } },
  )
  const walk = inferWalk(capture)

  it('proves the pod and node halves, and names the commands for the Cilium half', () => {
    expectValid(walk)
    expect(walk.hops.map((h) => `${h.kind}:${h.proven}`)).toEqual([
      'route:true',
      'neighbor:true',
      'veth:true',
      'bpf:false',
      'conntrack:false',
      'route:true',
      'neighbor:true',
      'egress:true',
    ])
    expect(walk.hops[3]?.prove).toEqual({
      host: 'pwfx-node',
      role: 'node',
      node: 'pwfx-node',
      inCapture: true,
      command: 'tc filter show dev lxcfx0a1b2c3d4 ingress',
      why: 'no `tc filter show dev lxcfx0a1b2c3d4 ingress` output was captured',
    })
  })
  it('pairs eth0@if2 with the node ifindex 2 (lxcfx0a1b2c3d4), never with the node eth0@if2', () => {
    const veth = walk.hops[2]!
    expect(veth.facts.to).toBe('lxcfx0a1b2c3d4')
    expect(veth.evidence).toEqual([
      { host: 'pwfx-pod', command: 'ip addr', lines: [7], run: 0 },
      { host: 'pwfx-node', command: 'ip -d link', lines: [3, 4], run: 0 },
      // the endpoint route `10.99.0.13 dev lxcfx0a1b2c3d4` corroborates the pairing
      { host: 'pwfx-node', command: 'ip route show table all', lines: [3], run: 2 },
    ])
  })
  it('routes with ip rule on the node and resolves the gateway MAC', () => {
    const route = walk.hops[5]!
    expect(route.evidence).toEqual([
      { host: 'pwfx-node', command: 'ip route show table all', lines: [2], run: 2 },
      { host: 'pwfx-node', command: 'ip rule', lines: [3], run: 3 },
    ])
    expect(walk.hops[6]?.facts).toEqual({ ip: '192.0.2.1', mac: 'f6:ad:01:47:b7:44', device: 'eth0', state: 'REACHABLE', srcMac: '6a:59:ed:50:b0:73' })
    expect(walk.hops[6]?.packet).toMatchObject({ srcMac: '6a:59:ed:50:b0:73', dstMac: 'f6:ad:01:47:b7:44', changed: ['srcMac', 'dstMac'] })
    // eth0's MAC is line 13 of `ip -d link`; the pod's MACs stop at the routing hop
    expect(walk.hops[6]?.evidence.find((e) => e.command === 'ip -d link')?.lines).toEqual([13])
    expect(walk.hops[5]?.packet?.srcMac).toBeUndefined()
    expect(walk.hops[5]?.facts.assumes).toBe('ip rule L2 (fwmark 0x200/0xf00) not applying to this packet')
  })
  it('says the pod gateway 10.99.0.1 is held by cilium_host (ip addr L15,17) and answered by lxcfx0a1b2c3d4 (ip -d link L3,4)', () => {
    const n = walk.hops[1]!
    expect(n.facts).toMatchObject({ ip: '10.99.0.1', gatewayDevice: 'cilium_host', answeredBy: 'lxcfx0a1b2c3d4', srcMac: '72:d9:17:62:05:1d' })
    expect(n.evidence.filter((e) => e.host === 'pwfx-node').map((e) => [e.command, e.lines])).toEqual([
      ['ip addr', [15, 17]],
      ['ip -d link', [3, 4]],
    ])
  })
  it('reads tunnel routing from the cilium_vxlan device and says masquerading is unknown', () => {
    expect(walk.datapath?.routing).toBe('tunnel')
    expect(walk.warnings.some((w) => w.startsWith('Whether pwfx-node masquerades'))).toBe(true)
    expect(walk.warnings.some((w) => w.includes('fwmark') || w.includes('L2 selects on a mark'))).toBe(true)
  })
})

describe('corpus G1 (arthurchiao, Cilium 1.8 direct routing over bond0)', () => {
  const capture = captureFrom(
    {
      pod1: {
        role: 'pod',
        node: 'NODE1',
        runs: [
          ['nsenter-ctn pod1 -n ip link', 'arthurchiao-lop-cilium18__pod-ip-link.txt'],
          ['nsenter-ctn pod1 -n route -n', 'arthurchiao-lop-cilium18__pod-route-n.txt'],
          ['nsenter-ctn pod1 -n arp -n', 'arthurchiao-lop-cilium18__pod-arp-n.txt'],
        ],
      },
      NODE1: {
        role: 'node',
        runs: [
          ['ip link | grep 3e:74:f2:60:ab:9b -B 1', 'arthurchiao-lop-cilium18__node1-ip-link-grep-mac.txt'],
          ['ifconfig cilium_host', 'arthurchiao-lop-cilium18__node1-ifconfig-cilium_host.txt'],
          ['route -n', 'arthurchiao-lop-cilium18__node1-route-n.txt'],
          ['tc filter show dev lxc00aa ingress', 'arthurchiao-lop-cilium18__node1-tc-filter-lxc-ingress.txt'],
          ['tc filter show dev bond0 egress', 'arthurchiao-lop-cilium18__node1-tc-filter-bond0-egress.txt'],
          ['arp -n', 'arthurchiao-lop-cilium18__node1-arp-n.txt'],
        ],
      },
    },
    { source: { ip: '10.1.1.96', node: 'NODE1' }, destination: { ip: '1.0.0.1', port: 80, protocol: 'tcp' } },
  )
  const walk = inferWalk(capture)

  it('walks pod → lxc00aa → from-container → bond0 with to-netdev', () => {
    expectValid(walk)
    expect(walk.hops.map((h) => h.kind)).toEqual(['route', 'neighbor', 'veth', 'bpf', 'conntrack', 'route', 'neighbor', 'bpf', 'egress'])
    expect(walk.hops[2]?.facts).toMatchObject({ from: 'eth0', to: 'lxc00aa' })
    expect(walk.hops[3]?.facts).toEqual({ device: 'lxc00aa', direction: 'ingress', program: 'from-container', object: 'bpf_lxc.o' })
    expect(walk.hops[3]?.evidence[0]?.lines).toEqual([3])
    expect(walk.hops[7]?.facts).toEqual({ device: 'bond0', direction: 'egress', program: 'to-netdev', object: 'bpf_netdev_bond0.o' })
    expect(walk.hops[6]?.facts).toMatchObject({ ip: '10.255.255.1', mac: '00:00:5e:00:01:0c', device: 'bond0' })
    expect(walk.hops[8]?.facts).toEqual({ device: 'bond0', nextHop: '10.255.255.1' })
  })
  it('finds no router-IP contradiction: cilium_host 10.1.1.1 is the pod gateway and the node route target', () => {
    expect(walk.warnings.some((w) => w.includes('different nodes'))).toBe(false)
  })
})

describe('corpus G4 (tkng, Cilium 1.9 VXLAN on kind, worker2): pod + agent bpftool + one nat chain', () => {
  const capture = captureFrom(
    {
      netshoot: {
        role: 'pod',
        node: 'k8s-guide-worker2',
        runs: [
          ['ip -4 -br addr show dev eth0', 'tkng-kind-cilium19-vxlan__pod-ip-br-addr.txt'],
          ['ip route', 'tkng-kind-cilium19-vxlan__pod-ip-route.txt'],
          ['ip neigh', 'tkng-kind-cilium19-vxlan__pod-ip-neigh.txt'],
        ],
      },
      'k8s-guide-worker2': {
        role: 'node',
        runs: [['iptables -t nat -vnL CILIUM_POST_nat | head -n3', 'tkng-kind-cilium19-vxlan__node2-iptables-nat-CILIUM_POST_nat.txt']],
      },
      cilium: { role: 'agent', name: 'cilium/cilium-worker2', node: 'k8s-guide-worker2', runs: [['bpftool net show', 'tkng-kind-cilium19-vxlan__agent-bpftool-net-show.txt']] },
    },
    { source: { ip: '10.0.0.210', node: 'k8s-guide-worker2' }, destination: { ip: '1.0.0.1', protocol: 'icmp' } },
  )
  const walk = inferWalk(capture)

  it('finds the lxc by ifindex 24 in bpftool and its from-container program there', () => {
    expectValid(walk)
    const veth = walk.hops.find((h) => h.kind === 'veth')!
    expect(veth.facts.to).toBe('lxc473b3117af85')
    expect(veth.evidence.find((e) => e.command === 'bpftool net show')?.lines).toEqual([15]) // lxc473b3117af85(24)
    const bpf = walk.hops.find((h) => h.kind === 'bpf')!
    expect(bpf.facts).toEqual({ device: 'lxc473b3117af85', direction: 'ingress', program: 'from-container', object: 'bpf_lxc.o' })
  })
  it('reads tunnel routing from cilium_vxlan and iptables masquerade from the CILIUM_POST_nat rule', () => {
    expect(walk.datapath).toMatchObject({ routing: 'tunnel', tunnelType: 'vxlan', masquerade: 'iptables' })
  })
  it('without a node route the NAT cannot be evaluated: unproven hops that name their commands', () => {
    const route = walk.hops.filter((h) => h.kind === 'route')[1]!
    expect(route.prove).toMatchObject({ host: 'k8s-guide-worker2', command: 'ip route show table all' })
    const nat = walk.hops.find((h) => h.kind === 'nat')!
    expect(nat.proven).toBe(false)
  })
})

describe('modes on the lab outputs: BPF host routing + BPF masquerade, tunnel to a remote pod', () => {
  const labHosts = () => ({
    'pwfx-pod': {
      role: 'pod' as const,
      name: 'default/lab-pod',
      node: 'pwfx-node',
      runs: [
        ['ip addr', 'lab-pod-ip-addr.txt'],
        ['ip route show table all', 'lab-pod-ip-route-table-all.txt'],
        ['ip neigh', 'lab-pod-ip-neigh.txt'],
      ] as [string, string][],
    },
    'pwfx-node': {
      role: 'node' as const,
      runs: [
        ['ip -d link', 'lab-node-ip-d-link.txt'],
        ['ip route show table all', 'lab-node-ip-route-table-all.txt'],
        ['ip neigh', 'lab-node-ip-neigh.txt'],
      ] as [string, string][],
    },
  })

  it('BPF host routing (cilium status "after"): no netfilter hop, to-netdev required, NAT by BPF unproven', () => {
    const status = fixture('gh-hcloud-talos-34__agent-cilium-status-before-after-hostrouting.txt')
    const c = captureFrom(labHosts(), { source: { ip: '10.99.0.13', pod: 'default/lab-pod', node: 'pwfx-node' }, destination: { ip: '1.0.0.1', port: 443, protocol: 'tcp' } })
    c.hosts.agent = { role: 'agent', name: 'kube-system/cilium-x', node: 'pwfx-node', runs: [{ command: 'cilium status --verbose', stdout: status.slice(status.indexOf('**After:**')), stderr: '', exitCode: 0 }] }
    const walk = inferWalk(c)
    expectValid(walk)
    expect(walk.datapath).toMatchObject({ hostRouting: 'bpf', masquerade: 'bpf' })
    expect(walk.hops.some((h) => h.facts.table === 'netfilter')).toBe(false)
    expect(walk.datapath?.basis.some((b) => b.startsWith('BPF host routing'))).toBe(true)
    const kinds = walk.hops.map((h) => h.kind)
    expect(kinds.slice(-4)).toEqual(['neighbor', 'bpf', 'nat', 'egress'])
    const egressBpf = walk.hops.at(-3)!
    expect(egressBpf.prove).toMatchObject({ host: 'pwfx-node', command: 'tc filter show dev eth0 egress' })
    const nat = walk.hops.at(-2)!
    expect(nat.facts).toMatchObject({ type: 'masquerade', by: 'bpf', from: '10.99.0.13' })
    expect(nat.prove).toMatchObject({ host: 'agent', command: 'cilium bpf nat list' })
  })

  it('tunnel mode (cilium_vxlan on the node) to a pod on another node: a tunnel hop, no node route, no NAT', () => {
    const c = captureFrom(labHosts(), {
      source: { ip: '10.99.0.13', pod: 'default/lab-pod', node: 'pwfx-node' },
      destination: { ip: '10.99.1.7', pod: 'default/remote', port: 80, protocol: 'tcp' },
    })
    const walk = inferWalk(c)
    expectValid(walk)
    expect(walk.hops.map((h) => h.kind)).toEqual(['route', 'neighbor', 'veth', 'bpf', 'conntrack', 'tunnel'])
    const t = walk.hops.at(-1)!
    expect(t.facts).toEqual({ device: 'cilium_vxlan', type: 'vxlan' })
    expect(t.proven).toBe(false)
    expect(t.evidence[0]).toMatchObject({ host: 'pwfx-node', command: 'ip -d link', lines: [15] })
    expect(walk.datapath?.basis).toContain('no masquerade: the destination is the pod default/remote')
  })
})
