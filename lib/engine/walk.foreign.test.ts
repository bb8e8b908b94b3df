/**
 * The engine on captures from other clusters and kernels (lib/engine/fixtures/captures/*.json,
 * built by make-captures.mjs from verbatim corpus outputs): Cilium 1.5/1.8/1.9/1.17/1.18, Calico,
 * kube-proxy. Names, addresses and line numbers below are read off the corpus files.
 */
import { describe, expect, it } from 'vitest'
import { validateCapture } from '@/lib/formats/capture-schema'
import { validateWalk } from '@/lib/formats/walk-schema'
import type { Capture } from '@/lib/model/capture'
import type { Hop, Walk } from '@/lib/model/walk'
import { inferWalk } from './walk'
import g1 from './fixtures/captures/g1-arthurchiao-cilium18-service.capture.json'
import g3 from './fixtures/captures/g3-arthurchiao-minikube15-service.capture.json'
import g3single from './fixtures/captures/g3-arthurchiao-minikube15-single-backend.capture.json'
import g4 from './fixtures/captures/g4-tkng-cilium19-vxlan-pod-to-pod.capture.json'
import g5pod from './fixtures/captures/g5-tkng-calico-bgp-pod-to-pod.capture.json'
import g5out from './fixtures/captures/g5-tkng-calico-bgp-pod-to-outside.capture.json'
import g7 from './fixtures/captures/g7-tkng-kubeproxy-iptables-service.capture.json'
import g11 from './fixtures/captures/g11-kwx-cilium1175-native-tcx.capture.json'
import g14 from './fixtures/captures/g14-kwx-cilium1181-native-endpoint-routes.capture.json'
import kpr from './fixtures/captures/tanjunchen-kind-cilium-kpr-service.capture.json'
import kubeProxy from './fixtures/captures/tanjunchen-kind-kubeproxy-service.capture.json'

function walkOf(json: unknown): Walk {
  const r = validateCapture(structuredClone(json))
  if (!r.ok) throw new Error(r.error)
  const walk = inferWalk(r.capture as Capture)
  const v = validateWalk(JSON.parse(JSON.stringify(walk)))
  if (!v.ok) throw new Error(v.error)
  return walk
}

const shape = (w: Walk) => w.hops.map((h) => `${h.kind}@${h.host}${h.proven ? '' : '?'}`)
const hop = (w: Walk, kind: string, n = 0): Hop => {
  const h = w.hops.filter((x) => x.kind === kind)[n]
  if (!h) throw new Error(`no ${kind} hop #${n}`)
  return h
}
const lines = (h: Hop, host: string, command: string) => h.evidence.find((e) => e.host === host && e.command === command)?.lines

describe('G1 arthurchiao: Cilium 1.8 direct routing, pod1 → ServiceIP 10.224.1.1:80 (no service table captured)', () => {
  const w = walkOf(g1)
  it('walks pod → lxc00aa → from-container, then stops at an unproven lb hop', () => {
    expect(shape(w)).toEqual(['route@pod1', 'neighbor@pod1', 'veth@NODE1', 'bpf@NODE1', 'lb@NODE1?'])
    expect(hop(w, 'route').evidence).toEqual([{ host: 'pod1', command: 'nsenter-ctn pod1 -n route -n', lines: [4], run: 0 }])
    expect(hop(w, 'neighbor').facts).toMatchObject({ ip: '10.1.1.1', mac: '3e:74:f2:60:ab:9b', device: 'eth0' })
    expect(hop(w, 'veth').facts).toMatchObject({ from: 'eth0', to: 'lxc00aa' })
    expect(lines(hop(w, 'veth'), 'NODE1', 'ip link | grep 3e:74:f2:60:ab:9b -B 1')).toEqual([2, 3])
    expect(hop(w, 'bpf').facts).toEqual({ device: 'lxc00aa', direction: 'ingress', program: 'from-container', object: 'bpf_lxc.o' })
    expect(lines(hop(w, 'bpf'), 'NODE1', 'tc filter show dev lxc00aa ingress')).toEqual([3])
  })
  it('shows the same teaching point as the seed: 10.1.1.1 on cilium_host (ifconfig L2,3), answered by lxc00aa (ip link L2,3)', () => {
    const n = hop(w, 'neighbor')
    expect(n.facts).toMatchObject({ gatewayDevice: 'cilium_host', answeredBy: 'lxc00aa', srcMac: '5e:d9:e5:0d:a1:ed' })
    expect(lines(n, 'NODE1', 'ifconfig cilium_host')).toEqual([2, 3])
    expect(lines(n, 'NODE1', 'ip link | grep 3e:74:f2:60:ab:9b -B 1')).toEqual([2, 3])
    expect(lines(n, 'pod1', 'nsenter-ctn pod1 -n ip link')).toEqual([3])
    expect(n.summary).toContain("the MAC that answered belongs to lxc00aa: Cilium answers the pod's ARP for the gateway from the lxc side")
    // the walk stops at the service: no routing hop, so the pod's frame is still the packet's
    expect(hop(w, 'lb').packet).toMatchObject({ srcMac: '5e:d9:e5:0d:a1:ed', dstMac: '3e:74:f2:60:ab:9b' })
  })
  it('never invents the backend: the lb hop names `cilium service list` and the walk says why it stops', () => {
    const lb = hop(w, 'lb')
    expect(lb.facts).toEqual({ service: '10.224.1.1:80' })
    expect(lb.prove).toMatchObject({ command: 'cilium service list' })
    expect(w.warnings.some((x) => x.startsWith('The walk stops after the service translation'))).toBe(true)
    expect(w.warnings.some((x) => x.includes('10.1.1.96 appears in no output'))).toBe(true)
    expect(w.warnings.some((x) => x.includes('different nodes'))).toBe(false)
  })
})

describe('G4 tkng: Cilium 1.9 VXLAN, Pod-1 10.0.2.99 (worker) → Pod-3 10.0.1.110 (control-plane)', () => {
  const w = walkOf(g4)
  it('goes pod → lxc → from-container → cilium_vxlan towards 172.18.0.5 → from-overlay on the peer', () => {
    expect(shape(w)).toEqual([
      'route@pod1',
      'neighbor@pod1?',
      'veth@k8s-guide-worker',
      'bpf@k8s-guide-worker',
      'conntrack@k8s-guide-worker?',
      'tunnel@k8s-guide-worker',
      'bpf@k8s-guide-control-plane',
      'deliver@k8s-guide-control-plane?',
    ])
    expect(hop(w, 'route').facts).toEqual({ destination: '10.0.1.110/32', gateway: '10.0.2.184', device: 'eth0' })
    expect(hop(w, 'veth').facts.to).toBe('lxcda722d56d553')
    expect(lines(hop(w, 'veth'), 'cilium1', 'bpftool net show | grep 24')).toEqual([3])
  })
  it('fills the tunnel remote from the raw ipcache lookup (key 10.0.1.110, value tunnel endpoint ac 12 00 05)', () => {
    const t = hop(w, 'tunnel')
    expect(t.facts).toEqual({ device: 'cilium_vxlan', type: 'vxlan', remote: '172.18.0.5', identity: '53731' })
    expect(t.evidence.find((e) => e.host === 'cilium1')?.lines).toEqual([2, 3, 4, 5, 6])
    expect(w.datapath).toMatchObject({ routing: 'tunnel', tunnelType: 'vxlan' })
    const peer = hop(w, 'bpf', 1)
    expect(peer.facts).toEqual({ device: 'cilium_vxlan', direction: 'ingress', program: 'from-overlay', object: 'bpf_overlay.o' })
    expect(lines(peer, 'cilium3', 'bpftool net show | grep vxlan')).toEqual([3])
    expect(hop(w, 'deliver').prove).toMatchObject({ host: 'cilium3', command: 'cilium endpoint list' })
    expect(w.hops.some((h) => h.kind === 'nat')).toBe(false)
  })
  it("drops the pod's MAC at encapsulation: the inner frame is rewritten, not carried to the peer", () => {
    expect(hop(w, 'neighbor').packet?.srcMac).toBe('b2:10:ef:6b:fa:0a')
    const t = hop(w, 'tunnel')
    expect(t.packet?.srcMac).toBeUndefined()
    expect(t.packet?.changed).toEqual(['srcMac', 'outer'])
    expect(w.hops.slice(w.hops.indexOf(t)).every((h) => h.packet?.srcMac === undefined && h.packet?.dstMac === undefined)).toBe(true)
  })
})

describe('G11 kwx: Cilium 1.17 native, tcx, agents only (no pod, no node outputs)', () => {
  const w = walkOf(g11)
  it('says what it cannot prove and shows the only pod device as a candidate, not a fact', () => {
    expect(shape(w)).toEqual(['route@default/curl-pod?', 'veth@k8s-ctr?', 'bpf@k8s-ctr?', 'conntrack@k8s-ctr?', 'route@k8s-ctr?'])
    expect(hop(w, 'veth').facts).toMatchObject({ candidate: 'lxc016a899bb2f4' })
    expect(hop(w, 'veth').facts.to).toBeUndefined()
    const bpf = hop(w, 'bpf')
    expect(bpf.facts).toEqual({ device: 'lxc016a899bb2f4', direction: 'ingress', program: 'cil_from_container' })
    expect(lines(bpf, 'cilium-k8s-ctr', 'bpftool net show')).toEqual([13])
    expect(w.datapath).toMatchObject({ routing: 'native', masquerade: 'bpf', kubeProxyReplacement: 'true' })
    expect(w.datapath?.basis).toContain('no masquerade: the destination is the pod default/webpod-697b545f57-mbghv')
  })
})

describe('G14 kwx: Cilium 1.18 native routing with endpoint routes and fwmark ip rules (node outputs only)', () => {
  const w = walkOf(g14)
  it('pairs the pod with its lxc by the endpoint route and leaves on eth1 towards 192.168.10.101', () => {
    expect(shape(w)).toEqual([
      'route@default/curl-pod?',
      'veth@k8s-ctr',
      'bpf@k8s-ctr?',
      'conntrack@k8s-ctr?',
      'route@k8s-ctr',
      'neighbor@k8s-ctr?',
      'egress@k8s-ctr',
    ])
    expect(hop(w, 'veth').facts.to).toBe('lxc5d64df0db676')
    expect(lines(hop(w, 'veth'), 'k8s-ctr', 'ip -c route')).toEqual([6])
    const route = hop(w, 'route', 1)
    expect(route.facts).toEqual({
      destination: '172.20.1.0/24',
      gateway: '192.168.10.101',
      device: 'eth1',
      assumes: 'ip rule L2 (fwmark 0x200/0xf00), L3 (fwmark 0xa00/0xf00) not applying to this packet',
    })
    expect(route.summary).toContain(', assuming ip rule L2 (fwmark 0x200/0xf00), L3 (fwmark 0xa00/0xf00) not applying to this packet')
    expect(lines(route, 'k8s-ctr', 'ip -c route')).toEqual([14])
    expect(lines(route, 'k8s-ctr', 'ip rule show')).toEqual([5])
    expect(hop(w, 'egress').facts).toEqual({ device: 'eth1', nextHop: '192.168.10.101' })
    expect(w.warnings).toContain('k8s-ctr: `ip rule show` L2,3 select on a mark or output interface the engine cannot know; assumed not to apply to this packet.')
    expect(w.datapath?.basis).toContain(
      "assumption: k8s-ctr's route to 172.20.1.145 holds only if `ip rule show` L2 (fwmark 0x200/0xf00 → table 2004), L3 (fwmark 0xa00/0xf00 → table 2005) do not select it: the packet's mark and output device are not in the capture",
    )
  })
  it("writes the new frame from eth1's MAC (ip -c addr L18); the next hop's MAC is not captured", () => {
    const n = hop(w, 'neighbor')
    expect(n.proven).toBe(false)
    expect(n.facts).toEqual({ ip: '192.168.10.101', device: 'eth1', srcMac: '08:00:27:b5:e6:c4' })
    expect(lines(n, 'k8s-ctr', 'ip -c addr')).toEqual([18])
    expect(n.packet?.srcMac).toBe('08:00:27:b5:e6:c4')
    expect(n.packet?.dstMac).toBeUndefined()
    expect(hop(w, 'egress').packet?.srcMac).toBe('08:00:27:b5:e6:c4')
  })
})

describe('G5 tkng: Calico, iptables dataplane, BGP', () => {
  it('pod → pod: 169.254.1.1 by proxy ARP (ee:ee:ee:ee:ee:ee), cali veth by the host route, bird route out of eth0; no Cilium hop', () => {
    const w = walkOf(g5pod)
    expect(shape(w)).toEqual([
      'route@netshoot',
      'neighbor@netshoot',
      'veth@k8s-guide-worker2',
      'conntrack@k8s-guide-worker2?',
      'route@k8s-guide-worker2',
      'neighbor@k8s-guide-worker2?',
      'egress@k8s-guide-worker2',
    ])
    expect(hop(w, 'route').facts).toEqual({ destination: '0.0.0.0/0', gateway: '169.254.1.1', device: 'eth0', assumes: 'no policy routing (`ip rule` not captured)' })
    expect(hop(w, 'neighbor').facts).toMatchObject({ ip: '169.254.1.1', mac: 'ee:ee:ee:ee:ee:ee' })
    expect(hop(w, 'neighbor').summary).toMatch(/proxy ARP/)
    // no node interface holds 169.254.1.1, and ee:ee:… names no single device
    expect(hop(w, 'neighbor').facts.gatewayDevice).toBeUndefined()
    expect(hop(w, 'neighbor').facts.answeredBy).toBeUndefined()
    expect(hop(w, 'route', 1).packet?.dstMac).toBeUndefined()
    expect(hop(w, 'veth').facts.to).toBe('cali0ad20b06c15')
    expect(lines(hop(w, 'veth'), 'k8s-guide-worker2', 'docker exec k8s-guide-worker2 ip route')).toEqual([10])
    expect(hop(w, 'route', 1).facts).toMatchObject({ destination: '10.244.236.0/24', gateway: '172.18.0.5', device: 'eth0' })
    expect(lines(hop(w, 'route', 1), 'k8s-guide-worker2', 'docker exec k8s-guide-worker2 ip route')).toEqual([11])
    expect(w.hops.some((h) => h.kind === 'bpf' || h.facts.table === 'cilium')).toBe(false)
  })
  it('pod → outside: cali-nat-outgoing MASQUERADE matches on ipsets, so the nat hop is unproven, never "no masquerade"', () => {
    const w = walkOf(g5out)
    const nat = hop(w, 'nat')
    expect(nat.proven).toBe(false)
    expect(nat.facts).toMatchObject({ type: 'masquerade', by: 'iptables', from: '10.244.190.5' })
    expect(nat.facts.rule).toMatch(/MASQUERADE .*match-set cali40masq-ipam-pools src ! match-set cali40all-ipam-pools dst/)
    expect(lines(nat, 'k8s-guide-worker2', 'iptables -t nat -vnL')).toEqual([14])
    expect(nat.prove).toMatchObject({ command: 'conntrack -L -s 10.244.190.5' })
    expect(w.datapath?.basis.some((b) => b.startsWith('no masquerade'))).toBe(false)
    expect(hop(w, 'egress').facts).toEqual({ device: 'eth0', nextHop: '172.18.0.1' })
  })
})

describe('G3 arthurchiao: Cilium 1.5 on minikube, services', () => {
  it('10.15.38.236 → 10.96.0.1:443: the monitor traces the same flow id to the backend 192.168.99.100:8443', () => {
    const w = walkOf(g3)
    expect(shape(w)).toEqual(['route@pod?', 'veth@minikube', 'bpf@minikube?', 'lb@minikube', 'conntrack@minikube?', 'route@minikube?'])
    expect(hop(w, 'veth').facts.to).toBe('lxcc2615b8d08d2')
    expect(lines(hop(w, 'veth'), 'cilium', 'cilium monitor')).toEqual([4])
    const lb = hop(w, 'lb')
    expect(lb.facts).toEqual({ service: '10.96.0.1:443', backend: '192.168.99.100:8443', by: 'bpf' })
    expect(lines(lb, 'cilium', 'cilium monitor')).toEqual([5, 6])
    expect(lb.packet).toMatchObject({ dstIp: '192.168.99.100', dstPort: 8443, changed: ['dstIp', 'dstPort'] })
  })
  it('10.15.117.125 → 10.102.163.245:80: a service with a single backend (service list L7, lb list L6)', () => {
    const w = walkOf(g3single)
    const lb = hop(w, 'lb')
    expect(lb.proven).toBe(true)
    expect(lb.facts).toEqual({ service: '10.102.163.245:80', backend: '10.15.49.158:9090', by: 'bpf', revNat: '4' })
    expect(lines(lb, 'cilium', 'cilium service list')).toEqual([7])
    expect(lines(lb, 'cilium', 'cilium bpf lb list')).toEqual([6, 7])
    expect(hop(w, 'veth').facts).toMatchObject({ candidate: 'lxce37f4e5d98ad' })
    expect(hop(w, 'bpf').summary).toMatch(/only a guess/)
  })
})

describe('services proven by conntrack', () => {
  it('Cilium KPR (tanjunchen): the service CT entry (RevNAT=5, L5) and the flow entry L7 pick 10.0.1.108:80', () => {
    const w = walkOf(kpr)
    const agent = 'cilium-bb22l'
    const cmd = 'kubectl exec -ti cilium-bb22l -n kube-system -- cilium bpf ct list global|grep 59668'
    const lb = hop(w, 'lb')
    expect(lb.facts).toEqual({ service: '10.96.43.209:80', backend: '10.0.1.108:80', by: 'bpf', revNat: '5' })
    expect(lines(lb, agent, cmd)).toEqual([5, 7])
    const ct = hop(w, 'conntrack')
    expect(ct.facts.entry).toMatch(/^TCP OUT 10\.0\.1\.90:59668 -> 10\.0\.1\.108:80 /)
    expect(lines(ct, agent, cmd)).toEqual([7])
    expect(w.hops.indexOf(lb)).toBeLessThan(w.hops.indexOf(ct))
    expect(lb.summary).toContain('Cilium\'s CT entry L7 ("TCP OUT 10.0.1.90:59668 -> 10.0.1.108:80") carries RevNAT=5, the service\'s id, so this connection went to 10.0.1.108:80')
    // the only agent names no node: the pairing is stated, not silent
    expect(w.datapath?.basis).toContain('assumption: cilium-bb22l is the Cilium agent of the source node: it is the only agent and names no node')
  })
  it('kube-proxy (tanjunchen): netfilter conntrack L4 — reply from 10.244.0.6 — proves the DNAT, and no SNAT', () => {
    const w = walkOf(kubeProxy)
    expect(shape(w)).toEqual([
      'route@default/client?',
      'veth@tanjunchen-control-plane?',
      'conntrack@tanjunchen-control-plane',
      'lb@tanjunchen-control-plane',
      'route@tanjunchen-control-plane?',
    ])
    const lb = hop(w, 'lb')
    expect(lb.facts).toEqual({ service: '10.96.72.53:80', backend: '10.244.0.6:80', by: 'iptables' })
    expect(lines(lb, 'tanjunchen-control-plane', 'conntrack -L | grep 52372')).toEqual([4])
    expect(w.datapath?.basis.some((b) => b.startsWith('no masquerade: netfilter conntrack L4'))).toBe(true)
  })
  it('kube-proxy (tkng G7): two endpoints and no conntrack — candidates listed, backend not chosen', () => {
    const w = walkOf(g7)
    const lb = hop(w, 'lb')
    expect(lb.proven).toBe(false)
    expect(lb.facts).toEqual({ service: '10.96.94.225:80', by: 'iptables', candidates: '10.244.1.3:80, KUBE-SEP-ZA2JI7K7LSQNKDOS (chain not captured)' })
    expect(lines(lb, 'k8s-guide-worker', 'iptables -t nat -nvL KUBE-SERVICES | grep 10.96.94.225')).toEqual([3])
    expect(lines(lb, 'k8s-guide-worker', 'iptables -t nat -nvL KUBE-SVC-LOLE4ISW44XBNF3G')).toEqual([4, 5])
    expect(lines(lb, 'k8s-guide-worker', 'iptables -t nat -nvL KUBE-SEP-MHDQ23KUGG7EGFMW')).toEqual([5])
    expect(lb.prove).toMatchObject({ host: 'k8s-guide-worker', command: 'conntrack -L -d 10.96.94.225' })
    expect(w.hops.at(-1)).toBe(lb)
  })
})
