/**
 * What the lab builds: small Cilium "clusters" of two nodes made of real kernel objects inside
 * network namespaces that all carry one prefix. The native-routing cluster is the seed's DOKS
 * node (native routing, legacy host routing, iptables masquerade) plus a second node on the
 * private network; the overlay clusters put a `cilium_vxlan` (or `cilium_geneve`) device on each
 * node. Addresses imitate the seed's (10.244.0.0/16 pods, 10.135.0.0/16 private network) and the
 * "internet" uses documentation ranges only (203.0.113.0/24, 198.51.100.0/24), so nothing here can
 * be mistaken for, or reach, a real host.
 *
 * Everything a capture shows (device names, ifindexes, MACs, addresses) is fixed here and does
 * not depend on the prefix, so two runs of the lab, under any prefix, capture the same topology.
 */
import { createHash } from 'node:crypto'

export type Routing = 'native' | 'vxlan' | 'geneve'

export const ADDR = {
  podIp: '10.244.0.213',
  /** Cilium's router IP on node 1's cilium_host, the client pod's gateway */
  routerIp: '10.244.0.201',
  /** node 1's pod CIDR (cluster-pool-ipv4-mask-size 25) */
  localPodCidr: '10.244.0.128/25',
  /** node 2's pod CIDR */
  remotePodCidr: '10.244.0.0/25',
  /** ipv4-native-routing-cidr: what Cilium does not masquerade */
  nativeRoutingCidr: '10.244.0.0/16',
  nodePublicIp: '203.0.113.10',
  publicPrefixLength: 24,
  publicGateway: '203.0.113.1',
  nodePrivateIp: '10.135.0.6',
  privatePrefixLength: 16,
  otherNodeIp: '10.135.152.71',
  /** node 2's router IP (its cilium_host) */
  otherRouterIp: '10.244.0.73',
  /** the second pod on node 1 (same-node scenario, one of the service's backends) */
  peerPodIp: '10.244.0.170',
  /** the pod on node 2 (cross-node, overlay, the service backend the captures follow) */
  backendPodIp: '10.244.0.45',
  backendPort: 8080,
  /** DOKS service CIDR: ClusterIPs of the kube-proxy rules */
  kubernetesServiceIp: '10.245.0.1',
  kubeDnsServiceIp: '10.245.0.10',
  kubeDnsPodIp: '10.244.0.150',
  /** ClusterIP of default/web, whose two backends are the peer (node 1) and the backend (node 2) */
  webServiceIp: '10.245.0.50',
  webServicePort: 80,
  webNodePort: 30080,
  destinationIp: '198.51.100.80',
  destinationPort: 80,
} as const

/** Interface indexes of the seed's pod veth: the pod sees eth0@if25, the node lxc…@if24. */
export const IFINDEX = { podEth0: 24, lxc: 25 } as const

/** Fixed interface indexes on a node, so a capture names the same `N: dev` every run. */
export const NODE_IFINDEX = { eth0: 2, eth1: 3, ciliumNet: 4, ciliumHost: 5, tunnel: 6 } as const

export const TUNNEL = {
  vxlan: { device: 'cilium_vxlan', port: 8472 },
  geneve: { device: 'cilium_geneve', port: 6081 },
} as const
/** Route MTU Cilium sets for the other node's pod CIDR in tunnel mode (1500 − 50 bytes of VXLAN/Geneve). */
export const TUNNEL_ROUTE_MTU = 1450

export const DEFAULT_PREFIX = 'pw'

/** A namespace prefix: a short DNS-1123 label, so every name built from it is one too. */
export function isLabPrefix(s: string): boolean {
  return /^[a-z][a-z0-9]{0,7}$/.test(s)
}

/** Cilium names the veth `lxc` + the first hex digits of a hash of the endpoint; so does the lab. */
export function lxcName(pod = 'default/client', cluster: Routing = 'native'): string {
  return 'lxc' + createHash('sha256').update(`${cluster}/${pod}`).digest('hex').slice(0, 12)
}

/** A locally administered MAC from a small host number and ifindex: stable, and readable in a capture. */
export function labMac(cluster: Routing, host: number, ifindex: number): string {
  const c = { native: 1, vxlan: 2, geneve: 3 }[cluster]
  const h = (n: number) => n.toString(16).padStart(2, '0')
  return `02:00:${h(c)}:${h(host)}:00:${h(ifindex)}`
}

export interface PodSpec {
  key: 'client' | 'peer' | 'backend'
  /** ns/name as Kubernetes would name it */
  name: string
  netns: string
  ip: string
  /** 1 or 2: the node it runs on */
  node: 1 | 2
  podIfindex: number
  lxcIfindex: number
  lxc: string
  podMac: string
  lxcMac: string
  /** a TCP echo server listens here (port), if any */
  serverPort?: number
}

export interface NodeSpec {
  no: 1 | 2
  /** node name in captures: fixed, prefix-free */
  name: string
  netns: string
  routerIp: string
  podCidr: string
  underlayIp: string
  /** the other node */
  peerUnderlayIp: string
  peerPodCidr: string
  /** the public side (node 1 of the native cluster): the internet namespace is its gateway */
  publicIp?: string
  mac: (ifindex: number) => string
}

export interface ClusterSpec {
  routing: Routing
  nodes: [NodeSpec, NodeSpec]
  pods: PodSpec[]
  /** "the internet" (native cluster only) */
  world?: string
}

export interface LabNames {
  prefix: string
  /** the client pod of the native cluster (kept as `<prefix>-pod` for the Kubernetes test double) */
  pod: string
  /** node 1 of the native cluster; the Cilium agent shares its namespace */
  node: string
  /** node 2 of the native cluster */
  node2: string
  peer: string
  backend: string
  /** "the internet": the gateway 203.0.113.1 and the destination 198.51.100.80 */
  world: string
  /** host-side veth of the client pod */
  lxc: string
}

export function labNames(prefix: string = DEFAULT_PREFIX): LabNames {
  const c = clusterSpec(prefix, 'native')
  const [n1, n2] = c.nodes
  const pod = (k: PodSpec['key']) => c.pods.find((p) => p.key === k) as PodSpec
  return {
    prefix,
    pod: pod('client').netns,
    node: n1.netns,
    node2: n2.netns,
    peer: pod('peer').netns,
    backend: pod('backend').netns,
    world: c.world as string,
    lxc: pod('client').lxc,
  }
}

/** The namespaces, devices and addresses of one cluster of a lab. */
export function clusterSpec(prefix: string, routing: Routing): ClusterSpec {
  if (!isLabPrefix(prefix)) throw new Error(`lab prefix ${JSON.stringify(prefix)} refused: 1–8 lower-case letters or digits`)
  const tag = { native: '', vxlan: 'vx-', geneve: 'gn-' }[routing]
  const ns = (s: string) => `${prefix}-${tag}${s}`
  const node1: NodeSpec = {
    no: 1,
    name: 'lab-node-1',
    netns: ns('node'),
    routerIp: ADDR.routerIp,
    podCidr: ADDR.localPodCidr,
    underlayIp: ADDR.nodePrivateIp,
    peerUnderlayIp: ADDR.otherNodeIp,
    peerPodCidr: ADDR.remotePodCidr,
    ...(routing === 'native' ? { publicIp: ADDR.nodePublicIp } : {}),
    mac: (i) => labMac(routing, 0x11, i),
  }
  const node2: NodeSpec = {
    no: 2,
    name: 'lab-node-2',
    netns: ns('node2'),
    routerIp: ADDR.otherRouterIp,
    podCidr: ADDR.remotePodCidr,
    underlayIp: ADDR.otherNodeIp,
    peerUnderlayIp: ADDR.nodePrivateIp,
    peerPodCidr: ADDR.localPodCidr,
    mac: (i) => labMac(routing, 0x12, i),
  }
  const pod = (key: PodSpec['key'], host: number, node: 1 | 2, ip: string, podIfindex: number, serverPort?: number): PodSpec => ({
    key,
    name: `default/${key}`,
    netns: ns(key === 'client' ? 'pod' : key),
    ip,
    node,
    podIfindex,
    lxcIfindex: podIfindex + 1,
    lxc: lxcName(`default/${key}`, routing),
    podMac: labMac(routing, host, podIfindex),
    lxcMac: (node === 1 ? node1 : node2).mac(podIfindex + 1),
    ...(serverPort ? { serverPort } : {}),
  })
  const pods = [pod('client', 0x21, 1, ADDR.podIp, IFINDEX.podEth0)]
  if (routing === 'native') pods.push(pod('peer', 0x22, 1, ADDR.peerPodIp, 30, ADDR.backendPort))
  pods.push(pod('backend', 0x23, 2, ADDR.backendPodIp, 12, ADDR.backendPort))
  return { routing, nodes: [node1, node2], pods, ...(routing === 'native' ? { world: ns('world') } : {}) }
}

/** Every namespace of a cluster, in creation order (`down` deletes them in reverse). */
export function clusterNamespaces(c: ClusterSpec): string[] {
  return [...c.nodes.map((n) => n.netns), ...c.pods.map((p) => p.netns), ...(c.world ? [c.world] : [])]
}

/** kube-proxy's chain name hash: base32(sha256(servicePortName + protocol [+ endpoint]))[:16]. */
export function kubeProxyHash(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('')).digest()
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of digest) {
    value = ((value << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    if (out.length >= 16) break
  }
  return out.slice(0, 16)
}

/** The node a pod runs on. */
export function nodeOf(c: ClusterSpec, p: PodSpec): NodeSpec {
  return p.node === 1 ? c.nodes[0] : c.nodes[1]
}
