/**
 * The lab's construction, as a list of argument vectors run one by one (each time-bounded) by
 * lab.ts. Every step names the namespace it acts in (`ip -n <ns>` or `ip netns exec <ns>`): no
 * step touches the machine's own (root) network namespace. The veth pairs are created inside a
 * lab namespace with the peer sent straight to another lab namespace, so no end ever exists in
 * the root namespace, not even for a moment.
 *
 * The iptables rules are those Cilium (≤1.13, iptables masquerade) and kube-proxy (iptables mode)
 * install on such a node, written by us from their documented shapes; the outputs the lab
 * captures are then what the real kernel and the real iptables print about them.
 */
import { ADDR, IFINDEX, kubeProxyHash, type LabNames } from '@/server/lab/topology'

export interface Step {
  argv: string[]
  why: string
}

/** The namespaces `up` creates, in creation order (`down` deletes them in reverse). */
export function labNamespaces(n: LabNames): string[] {
  return [n.node, n.pod, n.world, n.priv]
}

const ipn = (ns: string, ...args: string[]): string[] => ['ip', '-n', ns, ...args]
const inNs = (ns: string, ...argv: string[]): string[] => ['ip', 'netns', 'exec', ns, ...argv]

function links(n: LabNames): Step[] {
  return [
    // the node's own devices first, so the pod veth can take the seed's ifindex pair
    { argv: ipn(n.node, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.world), why: 'node eth0 ↔ the internet' },
    { argv: ipn(n.node, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n.priv), why: 'node eth1 ↔ the private network' },
    { argv: ipn(n.node, 'link', 'add', 'cilium_host', 'type', 'veth', 'peer', 'name', 'cilium_net'), why: "Cilium's cilium_host/cilium_net pair" },
    {
      argv: ipn(n.node, 'link', 'add', n.lxc, 'index', String(IFINDEX.lxc), 'type', 'veth', 'peer', 'name', 'eth0', 'index', String(IFINDEX.podEth0), 'netns', n.pod),
      why: "the pod's veth: lxc… on the node, eth0 in the pod",
    },
  ]
}

function pod(n: LabNames): Step[] {
  return [
    { argv: ipn(n.pod, 'link', 'set', 'lo', 'up'), why: 'pod loopback' },
    { argv: ipn(n.pod, 'addr', 'add', `${ADDR.podIp}/32`, 'dev', 'eth0'), why: 'the pod IP, a /32 as Cilium assigns it' },
    { argv: ipn(n.pod, 'link', 'set', 'eth0', 'up'), why: 'pod eth0 up' },
    { argv: ipn(n.pod, 'route', 'add', ADDR.routerIp, 'dev', 'eth0', 'scope', 'link'), why: 'the router IP is on-link' },
    { argv: ipn(n.pod, 'route', 'add', 'default', 'via', ADDR.routerIp, 'dev', 'eth0'), why: "the pod's default route via the router IP" },
  ]
}

function node(n: LabNames): Step[] {
  const up = (dev: string): Step => ({ argv: ipn(n.node, 'link', 'set', dev, 'up'), why: `node ${dev} up` })
  return [
    up('lo'),
    { argv: ipn(n.node, 'link', 'set', 'cilium_host', 'arp', 'off'), why: 'cilium_host is NOARP, as Cilium sets it' },
    { argv: ipn(n.node, 'link', 'set', 'cilium_net', 'arp', 'off'), why: 'cilium_net is NOARP' },
    up('cilium_net'),
    up('cilium_host'),
    up(n.lxc),
    up('eth0'),
    up('eth1'),
    { argv: ipn(n.node, 'addr', 'add', `${ADDR.routerIp}/32`, 'dev', 'cilium_host'), why: 'the router IP on cilium_host' },
    { argv: ipn(n.node, 'addr', 'add', `${ADDR.nodePublicIp}/${ADDR.publicPrefixLength}`, 'dev', 'eth0'), why: "the node's public address" },
    { argv: ipn(n.node, 'addr', 'add', `${ADDR.nodePrivateIp}/${ADDR.privatePrefixLength}`, 'dev', 'eth1'), why: "the node's private (VPC) address" },
    { argv: ipn(n.node, 'route', 'add', 'default', 'via', ADDR.publicGateway, 'dev', 'eth0'), why: 'default route to the internet' },
    { argv: ipn(n.node, 'route', 'add', ADDR.routerIp, 'dev', 'cilium_host', 'scope', 'link'), why: 'router IP on-link on cilium_host' },
    { argv: ipn(n.node, 'route', 'add', ADDR.localPodCidr, 'via', ADDR.routerIp, 'dev', 'cilium_host'), why: "this node's pod CIDR via cilium_host" },
    { argv: ipn(n.node, 'route', 'add', ADDR.remotePodCidr, 'via', ADDR.otherNodeIp, 'dev', 'eth1'), why: "the other node's pod CIDR (auto-direct-node-routes)" },
    { argv: ipn(n.node, 'route', 'add', ADDR.podIp, 'dev', n.lxc), why: 'replies reach the pod through its veth' },
    { argv: inNs(n.node, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'), why: 'the node forwards (inside its own namespace)' },
    { argv: inNs(n.node, 'sysctl', '-q', '-w', `net.ipv4.conf.${n.lxc}.proxy_arp=1`), why: "answer the pod's ARP for its gateway with the lxc MAC, like Cilium's ARP responder" },
  ]
}

function world(n: LabNames): Step[] {
  return [
    { argv: ipn(n.world, 'link', 'set', 'lo', 'up'), why: 'internet loopback' },
    { argv: ipn(n.world, 'addr', 'add', `${ADDR.destinationIp}/32`, 'dev', 'lo'), why: 'the destination host' },
    { argv: ipn(n.world, 'addr', 'add', `${ADDR.publicGateway}/${ADDR.publicPrefixLength}`, 'dev', 'eth0'), why: "the node's gateway" },
    { argv: ipn(n.world, 'link', 'set', 'eth0', 'up'), why: 'internet side up (it knows 203.0.113.0/24 only, not the pods)' },
  ]
}

function priv(n: LabNames): Step[] {
  return [
    { argv: ipn(n.priv, 'link', 'set', 'lo', 'up'), why: 'private network loopback' },
    { argv: ipn(n.priv, 'addr', 'add', `${ADDR.otherNodeIp}/${ADDR.privatePrefixLength}`, 'dev', 'eth0'), why: 'the other node' },
    { argv: ipn(n.priv, 'link', 'set', 'eth0', 'up'), why: 'private network up' },
  ]
}

function bpf(n: LabNames, object: string): Step[] {
  return [
    { argv: inNs(n.node, 'tc', 'qdisc', 'add', 'dev', n.lxc, 'clsact'), why: 'clsact qdisc on the pod veth' },
    {
      // prio 1 handle 1 as Cilium ≤1.12 attached it (tc filter replace … bpf da obj bpf_lxc.o sec from-container)
      argv: inNs(n.node, 'tc', 'filter', 'add', 'dev', n.lxc, 'ingress', 'prio', '1', 'handle', '1', 'bpf', 'direct-action', 'obj', object, 'sec', 'from-container'),
      why: 'from-container on the lxc ingress: every packet leaving the pod',
    },
  ]
}

function iptables(n: LabNames): Step[] {
  const ipt = (...args: string[]): Step => ({ argv: inNs(n.node, 'iptables', '-w', '5', ...args), why: 'iptables (node)' })
  const c = (text: string) => ['-m', 'comment', '--comment', text]
  const svc = 'default/kubernetes:https'
  const svcChain = `KUBE-SVC-${kubeProxyHash(svc, 'tcp')}`
  const apiEndpoint = '10.135.0.2:443'
  const sepChain = `KUBE-SEP-${kubeProxyHash(svc, 'tcp', apiEndpoint)}`
  const dns = 'kube-system/kube-dns:dns'
  const dnsChain = `KUBE-SVC-${kubeProxyHash(dns, 'udp')}`
  const dnsEndpoint = `${ADDR.kubeDnsPodIp}:53`
  const dnsSep = `KUBE-SEP-${kubeProxyHash(dns, 'udp', dnsEndpoint)}`
  // Cilium's feeder rules come first in each built-in chain (prepend-iptables-chains, the default),
  // ahead of kube-proxy's: so they are inserted (-I … 1) after kube-proxy's are appended
  const feeder = (table: string, chain: string, target: string): Step =>
    ipt('-t', table, '-I', chain, '1', ...c(`cilium-feeder: ${target}`), '-j', target)
  return [
    // kube-proxy (filter)
    ipt('-t', 'filter', '-N', 'KUBE-FORWARD'),
    ipt('-t', 'filter', '-N', 'KUBE-FIREWALL'),
    ipt('-t', 'filter', '-A', 'INPUT', '-j', 'KUBE-FIREWALL'),
    ipt('-t', 'filter', '-A', 'FORWARD', ...c('kubernetes forwarding rules'), '-j', 'KUBE-FORWARD'),
    ipt('-t', 'filter', '-A', 'OUTPUT', '-j', 'KUBE-FIREWALL'),
    ipt('-t', 'filter', '-A', 'KUBE-FIREWALL', '!', '-s', '127.0.0.0/8', '-d', '127.0.0.0/8', ...c('block incoming localnet connections'), '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'),
    ipt('-t', 'filter', '-A', 'KUBE-FORWARD', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'),
    ipt('-t', 'filter', '-A', 'KUBE-FORWARD', ...c('kubernetes forwarding rules'), '-m', 'mark', '--mark', '0x4000/0x4000', '-j', 'ACCEPT'),
    ipt('-t', 'filter', '-A', 'KUBE-FORWARD', ...c('kubernetes forwarding conntrack rule'), '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'),
    // kube-proxy (nat): service portals and its own masquerade for marked traffic
    ipt('-t', 'nat', '-N', 'KUBE-SERVICES'),
    ipt('-t', 'nat', '-N', 'KUBE-POSTROUTING'),
    ipt('-t', 'nat', '-N', 'KUBE-MARK-MASQ'),
    ipt('-t', 'nat', '-N', 'KUBE-NODEPORTS'),
    ipt('-t', 'nat', '-N', svcChain),
    ipt('-t', 'nat', '-N', sepChain),
    ipt('-t', 'nat', '-N', dnsChain),
    ipt('-t', 'nat', '-N', dnsSep),
    ipt('-t', 'nat', '-A', 'PREROUTING', ...c('kubernetes service portals'), '-j', 'KUBE-SERVICES'),
    ipt('-t', 'nat', '-A', 'OUTPUT', ...c('kubernetes service portals'), '-j', 'KUBE-SERVICES'),
    ipt('-t', 'nat', '-A', 'POSTROUTING', ...c('kubernetes postrouting rules'), '-j', 'KUBE-POSTROUTING'),
    ipt('-t', 'nat', '-A', 'KUBE-MARK-MASQ', '-j', 'MARK', '--set-xmark', '0x4000/0x4000'),
    ipt('-t', 'nat', '-A', 'KUBE-POSTROUTING', '-m', 'mark', '!', '--mark', '0x4000/0x4000', '-j', 'RETURN'),
    ipt('-t', 'nat', '-A', 'KUBE-POSTROUTING', '-j', 'MARK', '--set-xmark', '0x4000/0x0'),
    ipt('-t', 'nat', '-A', 'KUBE-POSTROUTING', ...c('kubernetes service traffic requiring SNAT'), '-j', 'MASQUERADE', '--random-fully'),
    ipt('-t', 'nat', '-A', 'KUBE-SERVICES', '-d', `${ADDR.kubernetesServiceIp}/32`, '-p', 'tcp', ...c(`${svc} cluster IP`), '-m', 'tcp', '--dport', '443', '-j', svcChain),
    ipt('-t', 'nat', '-A', 'KUBE-SERVICES', '-d', `${ADDR.kubeDnsServiceIp}/32`, '-p', 'udp', ...c(`${dns} cluster IP`), '-m', 'udp', '--dport', '53', '-j', dnsChain),
    ipt('-t', 'nat', '-A', 'KUBE-SERVICES', ...c('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'KUBE-NODEPORTS'),
    ipt('-t', 'nat', '-A', svcChain, '!', '-s', ADDR.nativeRoutingCidr, '-d', `${ADDR.kubernetesServiceIp}/32`, '-p', 'tcp', ...c(`${svc} cluster IP`), '-m', 'tcp', '--dport', '443', '-j', 'KUBE-MARK-MASQ'),
    ipt('-t', 'nat', '-A', svcChain, ...c(`${svc} -> ${apiEndpoint}`), '-j', sepChain),
    ipt('-t', 'nat', '-A', sepChain, '-s', '10.135.0.2/32', ...c(svc), '-j', 'KUBE-MARK-MASQ'),
    ipt('-t', 'nat', '-A', sepChain, '-p', 'tcp', ...c(svc), '-m', 'tcp', '-j', 'DNAT', '--to-destination', apiEndpoint),
    ipt('-t', 'nat', '-A', dnsChain, '!', '-s', ADDR.nativeRoutingCidr, '-d', `${ADDR.kubeDnsServiceIp}/32`, '-p', 'udp', ...c(`${dns} cluster IP`), '-m', 'udp', '--dport', '53', '-j', 'KUBE-MARK-MASQ'),
    ipt('-t', 'nat', '-A', dnsChain, ...c(`${dns} -> ${dnsEndpoint}`), '-j', dnsSep),
    ipt('-t', 'nat', '-A', dnsSep, '-s', `${ADDR.kubeDnsPodIp}/32`, ...c(dns), '-j', 'KUBE-MARK-MASQ'),
    ipt('-t', 'nat', '-A', dnsSep, '-p', 'udp', ...c(dns), '-m', 'udp', '-j', 'DNAT', '--to-destination', dnsEndpoint),
    // Cilium (filter): the FORWARD accept rules of legacy host routing
    ipt('-t', 'filter', '-N', 'CILIUM_FORWARD'),
    ipt('-t', 'filter', '-N', 'CILIUM_INPUT'),
    ipt('-t', 'filter', '-N', 'CILIUM_OUTPUT'),
    feeder('filter', 'INPUT', 'CILIUM_INPUT'),
    feeder('filter', 'FORWARD', 'CILIUM_FORWARD'),
    feeder('filter', 'OUTPUT', 'CILIUM_OUTPUT'),
    ipt('-t', 'filter', '-A', 'CILIUM_FORWARD', '-o', 'cilium_host', ...c('cilium: any->cluster on cilium_host forward accept'), '-j', 'ACCEPT'),
    ipt('-t', 'filter', '-A', 'CILIUM_FORWARD', '-i', 'cilium_host', ...c('cilium: cluster->any on cilium_host forward accept (nodeport)'), '-j', 'ACCEPT'),
    ipt('-t', 'filter', '-A', 'CILIUM_FORWARD', '-i', 'lxc+', ...c('cilium: cluster->any on lxc+ forward accept'), '-j', 'ACCEPT'),
    ipt('-t', 'filter', '-A', 'CILIUM_FORWARD', '-i', 'cilium_net', ...c('cilium: cluster->any on cilium_net forward accept (nodeport)'), '-j', 'ACCEPT'),
    ipt('-t', 'filter', '-A', 'CILIUM_FORWARD', '-o', 'lxc+', ...c('cilium: any->cluster on lxc+ forward accept'), '-j', 'ACCEPT'),
    // Cilium (nat): masquerade of pod traffic leaving the cluster (masquerade=true, enable-bpf-masquerade=false)
    ipt('-t', 'nat', '-N', 'CILIUM_POST_nat'),
    ipt('-t', 'nat', '-N', 'CILIUM_PRE_nat'),
    ipt('-t', 'nat', '-N', 'CILIUM_OUTPUT_nat'),
    feeder('nat', 'PREROUTING', 'CILIUM_PRE_nat'),
    feeder('nat', 'OUTPUT', 'CILIUM_OUTPUT_nat'),
    feeder('nat', 'POSTROUTING', 'CILIUM_POST_nat'),
    ipt('-t', 'nat', '-A', 'CILIUM_POST_nat', '-s', ADDR.localPodCidr, '!', '-d', ADDR.nativeRoutingCidr, '!', '-o', 'cilium_+', ...c('cilium masquerade non-cluster'), '-j', 'MASQUERADE'),
    ipt('-t', 'nat', '-A', 'CILIUM_POST_nat', '-s', '127.0.0.1/32', '-o', 'cilium_host', ...c('cilium host->cluster from 127.0.0.1 masquerade'), '-j', 'SNAT', '--to-source', ADDR.routerIp),
  ]
}

/** Everything `up` runs after the namespaces exist, in order. */
export function upSteps(n: LabNames, bpfObject: string): Step[] {
  return [...links(n), ...pod(n), ...node(n), ...world(n), ...priv(n), ...bpf(n, bpfObject), ...iptables(n)]
}
