/**
 * The lab's construction, as a list of argument vectors run one by one (each time-bounded) by
 * lab.ts. Every step names the namespace it acts in (`ip -n <ns>` or `ip netns exec <ns>`): no
 * step touches the machine's own (root) network namespace. The veth pairs are created inside a
 * lab namespace with the peer sent straight to another lab namespace, so no end ever exists in
 * the root namespace, not even for a moment.
 *
 * The iptables rules are those Cilium (≤1.13, iptables masquerade) and kube-proxy (iptables mode)
 * install on such a node, written by us from their documented shapes and loaded with
 * iptables-restore (one process per node instead of seventy); the outputs the lab captures are
 * then what the real kernel and the real iptables print about them.
 */
import {
  ADDR,
  NODE_IFINDEX,
  TUNNEL,
  TUNNEL_ROUTE_MTU,
  kubeProxyHash,
  nodeOf,
  type ClusterSpec,
  type NodeSpec,
  type PodSpec,
} from '@/server/lab/topology'

export interface Step {
  argv: string[]
  why: string
  /** written to the command's stdin (iptables-restore) */
  stdin?: string
}

/** The BPF objects each node loads (paths of bpf_lxc.o, bpf_host.o, bpf_overlay.o). */
export interface NodeObjects {
  lxc: string
  host: string
  overlay?: string
}

const ipn = (ns: string, ...args: string[]): string[] => ['ip', '-n', ns, ...args]
const inNs = (ns: string, ...argv: string[]): string[] => ['ip', 'netns', 'exec', ns, ...argv]

function podsOf(c: ClusterSpec, n: NodeSpec): PodSpec[] {
  return c.pods.filter((p) => p.node === n.no)
}

function links(c: ClusterSpec): Step[] {
  const [n1, n2] = c.nodes
  const steps: Step[] = [
    {
      argv: ipn(n1.netns, 'link', 'add', 'eth1', 'index', String(NODE_IFINDEX.eth1), 'address', n1.mac(NODE_IFINDEX.eth1), 'type', 'veth',
        'peer', 'name', 'eth1', 'index', String(NODE_IFINDEX.eth1), 'address', n2.mac(NODE_IFINDEX.eth1), 'netns', n2.netns),
      why: 'the underlay: node 1 eth1 ↔ node 2 eth1 (the private network)',
    },
  ]
  if (c.world && n1.publicIp) {
    steps.push({
      argv: ipn(n1.netns, 'link', 'add', 'eth0', 'index', String(NODE_IFINDEX.eth0), 'address', n1.mac(NODE_IFINDEX.eth0), 'type', 'veth',
        'peer', 'name', 'eth0', 'index', String(NODE_IFINDEX.eth0), 'address', '02:00:01:31:00:02', 'netns', c.world),
      why: 'node 1 eth0 ↔ the internet',
    })
  }
  for (const n of c.nodes) {
    steps.push({
      argv: ipn(n.netns, 'link', 'add', 'cilium_host', 'index', String(NODE_IFINDEX.ciliumHost), 'address', n.mac(NODE_IFINDEX.ciliumHost), 'type', 'veth',
        'peer', 'name', 'cilium_net', 'index', String(NODE_IFINDEX.ciliumNet), 'address', n.mac(NODE_IFINDEX.ciliumNet)),
      why: "Cilium's cilium_host/cilium_net pair",
    })
    if (c.routing !== 'native') {
      const t = TUNNEL[c.routing]
      // external (collect-md) as Cilium creates it: the remote comes with each packet from BPF
      const kind = c.routing === 'vxlan' ? ['vxlan', 'external', 'dstport', String(t.port)] : ['geneve', 'external', 'dstport', String(t.port)]
      steps.push({
        argv: ipn(n.netns, 'link', 'add', t.device, 'index', String(NODE_IFINDEX.tunnel), 'address', n.mac(NODE_IFINDEX.tunnel), 'type', ...kind),
        why: `Cilium's ${t.device} tunnel device`,
      })
    }
    for (const p of podsOf(c, n)) {
      steps.push({
        argv: ipn(n.netns, 'link', 'add', p.lxc, 'index', String(p.lxcIfindex), 'address', p.lxcMac, 'type', 'veth',
          'peer', 'name', 'eth0', 'index', String(p.podIfindex), 'address', p.podMac, 'netns', p.netns),
        why: `${p.name}'s veth: lxc… on the node, eth0 in the pod`,
      })
    }
  }
  return steps
}

function pod(p: PodSpec, routerIp: string): Step[] {
  return [
    { argv: ipn(p.netns, 'link', 'set', 'lo', 'up'), why: 'pod loopback' },
    { argv: ipn(p.netns, 'addr', 'add', `${p.ip}/32`, 'dev', 'eth0'), why: 'the pod IP, a /32 as Cilium assigns it' },
    { argv: ipn(p.netns, 'link', 'set', 'eth0', 'up'), why: 'pod eth0 up' },
    { argv: ipn(p.netns, 'route', 'add', routerIp, 'dev', 'eth0', 'scope', 'link'), why: 'the router IP is on-link' },
    { argv: ipn(p.netns, 'route', 'add', 'default', 'via', routerIp, 'dev', 'eth0'), why: "the pod's default route via the router IP" },
  ]
}

function node(c: ClusterSpec, n: NodeSpec): Step[] {
  const up = (dev: string): Step => ({ argv: ipn(n.netns, 'link', 'set', dev, 'up'), why: `node ${dev} up` })
  const pods = podsOf(c, n)
  const steps: Step[] = [
    up('lo'),
    { argv: ipn(n.netns, 'link', 'set', 'cilium_host', 'arp', 'off'), why: 'cilium_host is NOARP, as Cilium sets it' },
    { argv: ipn(n.netns, 'link', 'set', 'cilium_net', 'arp', 'off'), why: 'cilium_net is NOARP' },
    up('cilium_net'),
    up('cilium_host'),
    ...(c.routing !== 'native' ? [up(TUNNEL[c.routing].device)] : []),
    ...pods.map((p) => up(p.lxc)),
    ...(n.publicIp ? [up('eth0')] : []),
    up('eth1'),
    { argv: ipn(n.netns, 'addr', 'add', `${n.routerIp}/32`, 'dev', 'cilium_host'), why: 'the router IP on cilium_host' },
  ]
  if (n.publicIp) {
    steps.push({ argv: ipn(n.netns, 'addr', 'add', `${n.publicIp}/${ADDR.publicPrefixLength}`, 'dev', 'eth0'), why: "the node's public address" })
  }
  steps.push(
    { argv: ipn(n.netns, 'addr', 'add', `${n.underlayIp}/${ADDR.privatePrefixLength}`, 'dev', 'eth1'), why: "the node's private (VPC) address" },
  )
  if (n.publicIp) steps.push({ argv: ipn(n.netns, 'route', 'add', 'default', 'via', ADDR.publicGateway, 'dev', 'eth0'), why: 'default route to the internet' })
  steps.push(
    { argv: ipn(n.netns, 'route', 'add', n.routerIp, 'dev', 'cilium_host', 'scope', 'link'), why: 'router IP on-link on cilium_host' },
    { argv: ipn(n.netns, 'route', 'add', n.podCidr, 'via', n.routerIp, 'dev', 'cilium_host'), why: "this node's pod CIDR via cilium_host" },
    c.routing === 'native'
      ? { argv: ipn(n.netns, 'route', 'add', n.peerPodCidr, 'via', n.peerUnderlayIp, 'dev', 'eth1'), why: "the other node's pod CIDR over the underlay (auto-direct-node-routes)" }
      : {
          argv: ipn(n.netns, 'route', 'add', n.peerPodCidr, 'via', n.routerIp, 'dev', 'cilium_host', 'mtu', String(TUNNEL_ROUTE_MTU)),
          why: "the other node's pod CIDR via cilium_host with the tunnel's MTU, as Cilium installs it in tunnel mode",
        },
    ...pods.map((p) => ({ argv: ipn(n.netns, 'route', 'add', p.ip, 'dev', p.lxc), why: `traffic for ${p.name} goes through its veth` })),
    { argv: inNs(n.netns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'), why: 'the node forwards (inside its own namespace)' },
    ...pods.map((p) => ({
      argv: inNs(n.netns, 'sysctl', '-q', '-w', `net.ipv4.conf.${p.lxc}.proxy_arp=1`),
      why: `answer ${p.name}'s ARP for its gateway with the lxc MAC, like Cilium's ARP responder`,
    })),
  )
  return steps
}

function world(ns: string): Step[] {
  return [
    { argv: ipn(ns, 'link', 'set', 'lo', 'up'), why: 'internet loopback' },
    { argv: ipn(ns, 'addr', 'add', `${ADDR.destinationIp}/32`, 'dev', 'lo'), why: 'the destination host (and the NodePort client)' },
    { argv: ipn(ns, 'addr', 'add', `${ADDR.publicGateway}/${ADDR.publicPrefixLength}`, 'dev', 'eth0'), why: "node 1's gateway" },
    { argv: ipn(ns, 'link', 'set', 'eth0', 'up'), why: 'internet side up (it knows 203.0.113.0/24 only, not the pods)' },
  ]
}

/** tc clsact + one direct-action filter per direction, prio 1 handle 1 as Cilium ≤1.12 attached them. */
function attach(ns: string, dev: string, object: string, ingress: string, egress: string): Step[] {
  const filter = (dir: 'ingress' | 'egress', sec: string): Step => ({
    argv: inNs(ns, 'tc', 'filter', 'add', 'dev', dev, dir, 'prio', '1', 'handle', '1', 'bpf', 'direct-action', 'obj', object, 'sec', sec),
    why: `${sec} on ${dev} ${dir}`,
  })
  return [{ argv: inNs(ns, 'tc', 'qdisc', 'add', 'dev', dev, 'clsact'), why: `clsact qdisc on ${dev}` }, filter('ingress', ingress), filter('egress', egress)]
}

function bpf(c: ClusterSpec, n: NodeSpec, o: NodeObjects): Step[] {
  const steps: Step[] = []
  for (const p of podsOf(c, n)) steps.push(...attach(n.netns, p.lxc, o.lxc, 'from-container', 'to-container'))
  for (const dev of n.publicIp ? ['eth0', 'eth1'] : ['eth1']) steps.push(...attach(n.netns, dev, o.host, 'from-netdev', 'to-netdev'))
  if (c.routing !== 'native') {
    if (!o.overlay) throw new Error('a tunnel node needs bpf_overlay.o')
    steps.push(...attach(n.netns, TUNNEL[c.routing].device, o.overlay, 'from-overlay', 'to-overlay'))
  }
  return steps
}

export const WEB = {
  service: 'default/web:http',
  get svcChain() {
    return `KUBE-SVC-${kubeProxyHash(this.service, 'tcp')}`
  },
  get extChain() {
    return `KUBE-EXT-${kubeProxyHash(this.service, 'tcp')}`
  },
  /** kube-proxy sorts endpoints as strings: 10.244.0.170 before 10.244.0.45 */
  endpoints: [`${ADDR.peerPodIp}:${ADDR.backendPort}`, `${ADDR.backendPodIp}:${ADDR.backendPort}`],
  sepChain(endpoint: string) {
    return `KUBE-SEP-${kubeProxyHash(this.service, 'tcp', endpoint)}`
  },
}

/** The node's netfilter rules as iptables-restore input: kube-proxy's, then Cilium's feeders in front. */
export function iptablesRules(n: NodeSpec): string {
  const q = (s: string) => `"${s}"`
  const svc = 'default/kubernetes:https'
  const svcChain = `KUBE-SVC-${kubeProxyHash(svc, 'tcp')}`
  const apiEndpoint = '10.135.0.2:443'
  const sepChain = `KUBE-SEP-${kubeProxyHash(svc, 'tcp', apiEndpoint)}`
  const dns = 'kube-system/kube-dns:dns'
  const dnsChain = `KUBE-SVC-${kubeProxyHash(dns, 'udp')}`
  const dnsEndpoint = `${ADDR.kubeDnsPodIp}:53`
  const dnsSep = `KUBE-SEP-${kubeProxyHash(dns, 'udp', dnsEndpoint)}`
  const web = WEB.service
  const webSeps = WEB.endpoints.map((e) => WEB.sepChain(e))
  // Cilium's feeder rules come first in each built-in chain (prepend-iptables-chains, the default)
  const feeder = (chain: string, target: string) => `-A ${chain} -m comment --comment ${q(`cilium-feeder: ${target}`)} -j ${target}`
  const filter = [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':CILIUM_FORWARD - [0:0]',
    ':CILIUM_INPUT - [0:0]',
    ':CILIUM_OUTPUT - [0:0]',
    ':KUBE-FIREWALL - [0:0]',
    ':KUBE-FORWARD - [0:0]',
    feeder('INPUT', 'CILIUM_INPUT'),
    '-A INPUT -j KUBE-FIREWALL',
    feeder('FORWARD', 'CILIUM_FORWARD'),
    `-A FORWARD -m comment --comment ${q('kubernetes forwarding rules')} -j KUBE-FORWARD`,
    feeder('OUTPUT', 'CILIUM_OUTPUT'),
    '-A OUTPUT -j KUBE-FIREWALL',
    `-A CILIUM_FORWARD -o cilium_host -m comment --comment ${q('cilium: any->cluster on cilium_host forward accept')} -j ACCEPT`,
    `-A CILIUM_FORWARD -i cilium_host -m comment --comment ${q('cilium: cluster->any on cilium_host forward accept (nodeport)')} -j ACCEPT`,
    `-A CILIUM_FORWARD -i lxc+ -m comment --comment ${q('cilium: cluster->any on lxc+ forward accept')} -j ACCEPT`,
    `-A CILIUM_FORWARD -i cilium_net -m comment --comment ${q('cilium: cluster->any on cilium_net forward accept (nodeport)')} -j ACCEPT`,
    `-A CILIUM_FORWARD -o lxc+ -m comment --comment ${q('cilium: any->cluster on lxc+ forward accept')} -j ACCEPT`,
    `-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment ${q('block incoming localnet connections')} -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
    `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding rules')} -m mark --mark 0x4000/0x4000 -j ACCEPT`,
    `-A KUBE-FORWARD -m comment --comment ${q('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    'COMMIT',
  ]
  const nat = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ':CILIUM_OUTPUT_nat - [0:0]',
    ':CILIUM_POST_nat - [0:0]',
    ':CILIUM_PRE_nat - [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    ':KUBE-NODEPORTS - [0:0]',
    ':KUBE-POSTROUTING - [0:0]',
    ':KUBE-SERVICES - [0:0]',
    `:${svcChain} - [0:0]`,
    `:${sepChain} - [0:0]`,
    `:${dnsChain} - [0:0]`,
    `:${dnsSep} - [0:0]`,
    `:${WEB.svcChain} - [0:0]`,
    `:${WEB.extChain} - [0:0]`,
    ...webSeps.map((s) => `:${s} - [0:0]`),
    feeder('PREROUTING', 'CILIUM_PRE_nat'),
    `-A PREROUTING -m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`,
    feeder('OUTPUT', 'CILIUM_OUTPUT_nat'),
    `-A OUTPUT -m comment --comment ${q('kubernetes service portals')} -j KUBE-SERVICES`,
    feeder('POSTROUTING', 'CILIUM_POST_nat'),
    `-A POSTROUTING -m comment --comment ${q('kubernetes postrouting rules')} -j KUBE-POSTROUTING`,
    `-A CILIUM_POST_nat -s ${n.podCidr} ! -d ${ADDR.nativeRoutingCidr} ! -o cilium_+ -m comment --comment ${q('cilium masquerade non-cluster')} -j MASQUERADE`,
    `-A CILIUM_POST_nat -s 127.0.0.1/32 -o cilium_host -m comment --comment ${q('cilium host->cluster from 127.0.0.1 masquerade')} -j SNAT --to-source ${n.routerIp}`,
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
    `-A KUBE-POSTROUTING -m comment --comment ${q('kubernetes service traffic requiring SNAT')} -j MASQUERADE --random-fully`,
    `-A KUBE-SERVICES -d ${ADDR.kubernetesServiceIp}/32 -p tcp -m comment --comment ${q(`${svc} cluster IP`)} -m tcp --dport 443 -j ${svcChain}`,
    `-A KUBE-SERVICES -d ${ADDR.kubeDnsServiceIp}/32 -p udp -m comment --comment ${q(`${dns} cluster IP`)} -m udp --dport 53 -j ${dnsChain}`,
    `-A KUBE-SERVICES -d ${ADDR.webServiceIp}/32 -p tcp -m comment --comment ${q(`${web} cluster IP`)} -m tcp --dport ${ADDR.webServicePort} -j ${WEB.svcChain}`,
    `-A KUBE-SERVICES -m comment --comment ${q('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
    `-A KUBE-NODEPORTS -p tcp -m comment --comment ${q(web)} -m tcp --dport ${ADDR.webNodePort} -j ${WEB.extChain}`,
    `-A ${svcChain} ! -s ${ADDR.nativeRoutingCidr} -d ${ADDR.kubernetesServiceIp}/32 -p tcp -m comment --comment ${q(`${svc} cluster IP`)} -m tcp --dport 443 -j KUBE-MARK-MASQ`,
    `-A ${svcChain} -m comment --comment ${q(`${svc} -> ${apiEndpoint}`)} -j ${sepChain}`,
    `-A ${sepChain} -s 10.135.0.2/32 -m comment --comment ${q(svc)} -j KUBE-MARK-MASQ`,
    `-A ${sepChain} -p tcp -m comment --comment ${q(svc)} -m tcp -j DNAT --to-destination ${apiEndpoint}`,
    `-A ${dnsChain} ! -s ${ADDR.nativeRoutingCidr} -d ${ADDR.kubeDnsServiceIp}/32 -p udp -m comment --comment ${q(`${dns} cluster IP`)} -m udp --dport 53 -j KUBE-MARK-MASQ`,
    `-A ${dnsChain} -m comment --comment ${q(`${dns} -> ${dnsEndpoint}`)} -j ${dnsSep}`,
    `-A ${dnsSep} -s ${ADDR.kubeDnsPodIp}/32 -m comment --comment ${q(dns)} -j KUBE-MARK-MASQ`,
    `-A ${dnsSep} -p udp -m comment --comment ${q(dns)} -m udp -j DNAT --to-destination ${dnsEndpoint}`,
    `-A ${WEB.extChain} -m comment --comment ${q(`masquerade traffic for ${web} external destinations`)} -j KUBE-MARK-MASQ`,
    `-A ${WEB.extChain} -j ${WEB.svcChain}`,
    `-A ${WEB.svcChain} ! -s ${ADDR.nativeRoutingCidr} -d ${ADDR.webServiceIp}/32 -p tcp -m comment --comment ${q(`${web} cluster IP`)} -m tcp --dport ${ADDR.webServicePort} -j KUBE-MARK-MASQ`,
    `-A ${WEB.svcChain} -m comment --comment ${q(`${web} -> ${WEB.endpoints[0]}`)} -m statistic --mode random --probability 0.50000000000 -j ${webSeps[0]}`,
    `-A ${WEB.svcChain} -m comment --comment ${q(`${web} -> ${WEB.endpoints[1]}`)} -j ${webSeps[1]}`,
    ...WEB.endpoints.flatMap((e, i) => [
      `-A ${webSeps[i]} -s ${e.split(':')[0]}/32 -m comment --comment ${q(web)} -j KUBE-MARK-MASQ`,
      `-A ${webSeps[i]} -p tcp -m comment --comment ${q(web)} -m tcp -j DNAT --to-destination ${e}`,
    ]),
    'COMMIT',
  ]
  return [...filter, ...nat, ''].join('\n')
}

function iptables(n: NodeSpec): Step {
  return { argv: inNs(n.netns, 'iptables-restore', '-w', '5'), why: `iptables rules of ${n.name} (Cilium, kube-proxy)`, stdin: iptablesRules(n) }
}

/** Everything `up` runs for one cluster after its namespaces exist, in order. */
export function clusterSteps(c: ClusterSpec, objects: Readonly<Record<1 | 2, NodeObjects>>): Step[] {
  const steps = [...links(c)]
  for (const p of c.pods) steps.push(...pod(p, nodeOf(c, p).routerIp))
  for (const n of c.nodes) steps.push(...node(c, n))
  if (c.world) steps.push(...world(c.world))
  for (const n of c.nodes) steps.push(...bpf(c, n, objects[n.no]), iptables(n))
  return steps
}

/**
 * The same steps with runs of consecutive commands of one tool in one namespace merged into one
 * process (`ip -n ns -batch -`, `tc -batch -`, one `sysctl -w a b`): spawning is what costs on a
 * loaded machine, not the kernel work. The order of the steps is kept.
 */
export function batched(steps: readonly Step[]): Step[] {
  const keyOf = (s: Step): { key: string; rest: string[] } | undefined => {
    const a = s.argv
    if (s.stdin !== undefined) return undefined
    if (a[0] === 'ip' && a[1] === '-n' && a[2]) return { key: `ip ${a[2]}`, rest: a.slice(3) }
    if (a[0] === 'ip' && a[1] === 'netns' && a[2] === 'exec' && a[3] && (a[4] === 'tc' || a[4] === 'sysctl')) {
      return { key: `${a[4]} ${a[3]}`, rest: a[4] === 'tc' ? a.slice(5) : a.slice(7) }
    }
    return undefined
  }
  const out: Step[] = []
  let group: { key: string; lines: string[][]; whys: string[]; first: Step } | undefined
  const flush = () => {
    if (!group) return
    const [tool, ns] = group.key.split(' ') as [string, string]
    const why = group.whys.length === 1 ? (group.whys[0] as string) : `${group.whys.length} ${tool} commands in ${ns}: ${group.whys.join('; ')}`
    if (group.lines.length === 1) out.push(group.first)
    else if (tool === 'ip') out.push({ argv: ['ip', '-n', ns, '-batch', '-'], why, stdin: group.lines.map((l) => l.join(' ')).join('\n') + '\n' })
    else if (tool === 'tc') out.push({ argv: ['ip', 'netns', 'exec', ns, 'tc', '-batch', '-'], why, stdin: group.lines.map((l) => l.join(' ')).join('\n') + '\n' })
    else out.push({ argv: ['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', ...group.lines.flat()], why })
    group = undefined
  }
  for (const s of steps) {
    const k = keyOf(s)
    if (k && k.rest.some((w) => /\s/.test(w))) throw new Error(`a batched argument holds whitespace: ${s.argv.join(' ')}`)
    if (!k || group?.key !== k.key) flush()
    if (!k) {
      out.push(s)
      continue
    }
    if (!group) group = { key: k.key, lines: [], whys: [], first: s }
    group.lines.push(k.rest)
    group.whys.push(s.why)
  }
  flush()
  return out
}
