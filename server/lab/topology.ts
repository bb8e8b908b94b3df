/**
 * What the lab builds: a DigitalOcean-style Cilium node (the seed's DOKS node, native routing,
 * legacy host routing, iptables masquerade) made of real kernel objects inside network namespaces
 * that all carry one prefix. Addresses imitate the seed's (10.244.0.0/16 pods, 10.135.0.0/16
 * private network) and the "internet" uses documentation ranges only (203.0.113.0/24,
 * 198.51.100.0/24), so nothing here can be mistaken for, or reach, a real host.
 */
import { createHash } from 'node:crypto'

export interface LabNames {
  prefix: string
  /** the pod (Cilium endpoint) */
  pod: string
  /** the node's host network namespace; the Cilium agent shares it, so it is the agent's place too */
  node: string
  /** "the internet": the gateway 203.0.113.1 and the destination 198.51.100.80 */
  world: string
  /** the node's private network (DOKS VPC), where the "other node" lives */
  priv: string
  /** host-side veth of the pod, named like Cilium's: lxc + 12 hex digits */
  lxc: string
}

export const ADDR = {
  podIp: '10.244.0.213',
  /** Cilium's router IP on cilium_host, the pod's gateway */
  routerIp: '10.244.0.201',
  /** this node's pod CIDR (cluster-pool-ipv4-mask-size 25) */
  localPodCidr: '10.244.0.128/25',
  /** the other node's pod CIDR, reached over the private network */
  remotePodCidr: '10.244.0.0/25',
  /** ipv4-native-routing-cidr: what Cilium does not masquerade */
  nativeRoutingCidr: '10.244.0.0/16',
  nodePublicIp: '203.0.113.10',
  publicPrefixLength: 24,
  publicGateway: '203.0.113.1',
  nodePrivateIp: '10.135.0.6',
  privatePrefixLength: 16,
  otherNodeIp: '10.135.152.71',
  /** DOKS service CIDR: ClusterIPs of the kube-proxy rules */
  kubernetesServiceIp: '10.245.0.1',
  kubeDnsServiceIp: '10.245.0.10',
  kubeDnsPodIp: '10.244.0.150',
  destinationIp: '198.51.100.80',
  destinationPort: 80,
} as const

/** Interface indexes of the seed's pod veth: the pod sees eth0@if25, the node lxc…@if24. */
export const IFINDEX = { podEth0: 24, lxc: 25 } as const

export const DEFAULT_PREFIX = 'pw'

/** A namespace prefix: a short DNS-1123 label, so every name built from it is one too. */
export function isLabPrefix(s: string): boolean {
  return /^[a-z][a-z0-9]{0,7}$/.test(s)
}

/** Cilium names the veth `lxc` + the first hex digits of a hash of the endpoint; so does the lab. */
export function lxcName(prefix: string, pod = 'default/client'): string {
  return 'lxc' + createHash('sha256').update(`${prefix}/${pod}`).digest('hex').slice(0, 12)
}

export function labNames(prefix: string = DEFAULT_PREFIX): LabNames {
  if (!isLabPrefix(prefix)) throw new Error(`lab prefix ${JSON.stringify(prefix)} refused: 1–8 lower-case letters or digits`)
  return {
    prefix,
    pod: `${prefix}-pod`,
    node: `${prefix}-node`,
    world: `${prefix}-world`,
    priv: `${prefix}-priv`,
    lxc: lxcName(prefix),
  }
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
