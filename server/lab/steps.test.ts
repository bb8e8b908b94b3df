/** The lab's construction plan, checked without root: every step acts inside a lab namespace. */
import { describe, expect, it } from 'vitest'
import { batched, clusterSteps, iptablesRules, WEB, type NodeObjects } from '@/server/lab/steps'
import { SCENARIO, SCENARIOS, routingsFor, scenarioFlow } from '@/server/lab/scenarios'
import { clusterNamespaces, clusterSpec, isLabPrefix, kubeProxyHash, labNames, lxcName } from '@/server/lab/topology'

const objects = (overlay: boolean): Record<1 | 2, NodeObjects> => {
  const o = { lxc: '/repo/.lab/bpf/a/bpf_lxc.o', host: '/repo/.lab/bpf/b/bpf_host.o', ...(overlay ? { overlay: '/repo/.lab/bpf/c/bpf_overlay.o' } : {}) }
  return { 1: o, 2: o }
}
const native = clusterSpec('pw', 'native')
const vxlan = clusterSpec('pw', 'vxlan')
const nativeSteps = clusterSteps(native, objects(false))
const vxlanSteps = clusterSteps(vxlan, objects(true))

function nsOf(argv: readonly string[]): string | undefined {
  return argv[1] === '-n' ? argv[2] : argv[1] === 'netns' && argv[2] === 'exec' ? argv[3] : undefined
}

describe('clusterSteps', () => {
  for (const [c, steps] of [[native, nativeSteps], [vxlan, vxlanSteps]] as const) {
    const mine = new Set(clusterNamespaces(c))
    it(`${c.routing}: names a lab namespace in every step, so nothing runs in the root namespace`, () => {
      for (const { argv } of [...steps, ...batched(steps)]) {
        expect(argv[0], argv.join(' ')).toBe('ip')
        expect(mine.has(nsOf(argv) ?? ''), argv.join(' ')).toBe(true)
      }
    })

    it(`${c.routing}: creates every veth inside a lab namespace with its peer in a lab namespace`, () => {
      const veths = steps.filter((s) => s.argv.includes('veth'))
      // underlay, cilium_host pair per node, one per pod, and the internet link of the native cluster
      expect(veths).toHaveLength(1 + 2 + c.pods.length + (c.world ? 1 : 0))
      for (const { argv } of veths) {
        const peerNs = argv.indexOf('netns') > 0 ? argv[argv.indexOf('netns') + 1] : argv[2]
        expect(mine.has(peerNs ?? '')).toBe(true)
      }
    })

    it(`${c.routing}: uses documentation ranges for the internet and never 192.0.2.0/24`, () => {
      const text = [...steps.map((s) => s.argv.join(' ')), ...steps.map((s) => s.stdin ?? '')].join('\n')
      expect(text).not.toMatch(/192\.0\.2\./)
      const publicAddrs = [...text.matchAll(/\b(\d+\.\d+\.\d+\.\d+)\b/g)].map((m) => m[1] as string).filter((ip) => !/^(10|127)\./.test(ip))
      for (const ip of publicAddrs) expect(ip, ip).toMatch(/^(198\.51\.100|203\.0\.113)\.\d+$|^0\.|^0\.50000000000$/)
    })
  }

  it('attaches bpf_lxc.o, bpf_host.o and bpf_overlay.o where Cilium attaches them', () => {
    const filters = vxlanSteps.filter((s) => s.argv.includes('filter')).map((s) => `${s.argv[3]} ${s.argv[8]} ${s.argv[9]} ${s.argv.at(-3)?.split('/').at(-1)} ${s.argv.at(-1)}`)
    const [client, backend] = vxlan.pods
    expect(filters).toEqual([
      `pw-vx-node ${client?.lxc} ingress bpf_lxc.o from-container`,
      `pw-vx-node ${client?.lxc} egress bpf_lxc.o to-container`,
      'pw-vx-node eth1 ingress bpf_host.o from-netdev',
      'pw-vx-node eth1 egress bpf_host.o to-netdev',
      'pw-vx-node cilium_vxlan ingress bpf_overlay.o from-overlay',
      'pw-vx-node cilium_vxlan egress bpf_overlay.o to-overlay',
      `pw-vx-node2 ${backend?.lxc} ingress bpf_lxc.o from-container`,
      `pw-vx-node2 ${backend?.lxc} egress bpf_lxc.o to-container`,
      'pw-vx-node2 eth1 ingress bpf_host.o from-netdev',
      'pw-vx-node2 eth1 egress bpf_host.o to-netdev',
      'pw-vx-node2 cilium_vxlan ingress bpf_overlay.o from-overlay',
      'pw-vx-node2 cilium_vxlan egress bpf_overlay.o to-overlay',
    ])
  })

  it('routes the other node: over the underlay in native routing, via cilium_host with the tunnel MTU in vxlan', () => {
    const route = (steps: typeof nativeSteps, ns: string) =>
      steps.find((s) => s.argv[2] === ns && s.argv[3] === 'route' && s.argv[5] === '10.244.0.0/25')?.argv.slice(5)
    expect(route(nativeSteps, 'pw-node')).toEqual(['10.244.0.0/25', 'via', '10.135.152.71', 'dev', 'eth1'])
    expect(route(vxlanSteps, 'pw-vx-node')).toEqual(['10.244.0.0/25', 'via', '10.244.0.201', 'dev', 'cilium_host', 'mtu', '1450'])
    expect(vxlanSteps.find((s) => s.argv.includes('vxlan'))?.argv.slice(3)).toEqual(['link', 'add', 'cilium_vxlan', 'index', '6', 'address', '02:00:02:11:00:06', 'type', 'vxlan', 'external', 'dstport', '8472'])
  })

  it('batches without changing the order of the commands', () => {
    const b = batched(nativeSteps)
    expect(b.length).toBeLessThan(nativeSteps.length / 3)
    const lines = b.flatMap((s) => {
      if (s.argv.includes('-batch')) return (s.stdin ?? '').trim().split('\n').map((l) => `${nsOf(s.argv)} ${s.argv.includes('tc') ? 'tc ' : ''}${l}`)
      if (s.argv[4] === 'sysctl') return s.argv.slice(7).map((a) => `${nsOf(s.argv)} sysctl ${a}`)
      return [s.stdin !== undefined ? `${nsOf(s.argv)} ${s.argv.slice(4).join(' ')}` : `${nsOf(s.argv)} ${s.argv.slice(s.argv[1] === '-n' ? 3 : 4).join(' ')}`]
    })
    const plain = nativeSteps.map((s) =>
      s.argv[4] === 'sysctl' ? `${nsOf(s.argv)} sysctl ${s.argv.slice(7).join(' ')}` : `${nsOf(s.argv)} ${s.argv.slice(s.argv[1] === '-n' ? 3 : 4).join(' ')}`,
    )
    expect(lines).toEqual(plain)
  })
})

describe('iptables rules', () => {
  const rules = iptablesRules(native.nodes[0])

  it('installs the masquerade rule and puts Cilium feeders before kube-proxy ones', () => {
    expect(rules).toContain('-A CILIUM_POST_nat -s 10.244.0.128/25 ! -d 10.244.0.0/16 ! -o cilium_+ -m comment --comment "cilium masquerade non-cluster" -j MASQUERADE')
    const post = rules.split('\n').filter((l) => l.startsWith('-A POSTROUTING'))
    expect(post.map((l) => l.split(' -j ')[1])).toEqual(['CILIUM_POST_nat', 'KUBE-POSTROUTING'])
  })

  it('writes default/web as kube-proxy does: two endpoints, statistic mode random, a NodePort through KUBE-EXT', () => {
    const svc = `KUBE-SVC-${kubeProxyHash('default/web:http', 'tcp')}`
    expect(WEB.svcChain).toBe(svc)
    expect(rules).toContain(`-A KUBE-SERVICES -d 10.245.0.50/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${svc}`)
    expect(rules).toContain(`-A ${svc} -m comment --comment "default/web:http -> 10.244.0.170:8080" -m statistic --mode random --probability 0.50000000000 -j ${WEB.sepChain('10.244.0.170:8080')}`)
    expect(rules).toContain(`-A ${WEB.sepChain('10.244.0.45:8080')} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.0.45:8080`)
    expect(rules).toContain(`-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 30080 -j ${WEB.extChain}`)
    expect(rules.indexOf('--dst-type LOCAL -j KUBE-NODEPORTS')).toBeGreaterThan(rules.indexOf('--dport 80 -j KUBE-SVC'))
  })
})

describe('scenarios', () => {
  it('needs the native cluster for all but the overlays', () => {
    expect(routingsFor('all')).toEqual(['native', 'vxlan', 'geneve'])
    expect(SCENARIOS.filter((s) => SCENARIO[s].routing === 'native')).toEqual(['egress', 'same-node', 'cross-node', 'service', 'nodeport'])
  })

  it("turns a service probe into the request flow and the backend's reply", () => {
    const local = { ip: '10.244.0.213', port: 40000 }
    expect(scenarioFlow(SCENARIO.service, native, local, false)).toEqual({
      source: { ip: '10.244.0.213', port: 40000, pod: 'default/client', node: 'lab-node-1' },
      destination: { ip: '10.245.0.50', port: 80, protocol: 'tcp', service: 'default/web' },
    })
    expect(scenarioFlow(SCENARIO.service, native, local, true)).toEqual({
      source: { ip: '10.244.0.45', port: 8080, pod: 'default/backend', node: 'lab-node-2' },
      destination: { ip: '10.244.0.213', port: 40000, pod: 'default/client', node: 'lab-node-1', protocol: 'tcp' },
    })
    expect(scenarioFlow(SCENARIO.egress, native, local, true).source).toEqual({ ip: '198.51.100.80', port: 80 })
  })
})

describe('names', () => {
  const names = labNames('pw')
  it('names the veth like Cilium: lxc + 12 hex digits, 15 characters, the same under any prefix', () => {
    expect(names.lxc).toMatch(/^lxc[0-9a-f]{12}$/)
    expect(names.lxc).toHaveLength(15)
    expect(labNames('other').lxc).toBe(names.lxc)
    expect(lxcName('default/client', 'vxlan')).not.toBe(names.lxc)
    expect(names.pod).toBe('pw-pod')
    expect(names.node).toBe('pw-node')
  })

  it('accepts short DNS-1123 prefixes only', () => {
    expect(isLabPrefix('pw')).toBe(true)
    expect(isLabPrefix('pwt')).toBe(true)
    for (const bad of ['', 'PW', '1pw', 'pw-x', 'pw;rm', 'averyveryverylongprefix']) expect(isLabPrefix(bad), bad).toBe(false)
    expect(() => clusterSpec('pw;x', 'native')).toThrow(/refused/)
  })

  it("computes kube-proxy's chain hash (the well-known one of default/kubernetes:https)", () => {
    expect(kubeProxyHash('default/kubernetes:https', 'tcp')).toBe('NPX46M4PTMTKRN6Y')
  })
})
