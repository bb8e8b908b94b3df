/**
 * The little cluster the test double pretends to be: one node (`lab-node`), the lab's client pod
 * and a Cilium agent pod, each backed by a network namespace of the lab (server/lab). Object
 * shapes follow the Kubernetes REST API (v1 Pod, Node, Service, ConfigMap, Namespace); addresses
 * are read from the namespaces themselves, so `status.podIP` is the address the pod really has.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import os from 'node:os'
import { ADDR } from '@/server/lab/topology'
import { NODE_IMAGES, ephemeralSpec, ephemeralStatus, type EphemeralContainer } from './ephemeral'

export const LAB_NODE = 'lab-node'
export const CLIENT_POD = { namespace: 'default', name: 'client' } as const
/** A DaemonSet pod name of the usual shape (5 characters from the apiserver's name alphabet). */
export const AGENT_POD = { namespace: 'kube-system', name: 'cilium-x5b2q' } as const

export interface FakePod {
  namespace: string
  name: string
  /** network namespace whose processes stand in for the pod's containers */
  netns: string
  /** the node it is scheduled on */
  node: string
  containers: { name: string; image: string }[]
  labels: Record<string, string>
  hostNetwork?: boolean
  owner?: { kind: string; name: string }
  creationTimestamp: string
  uid: string
}

export interface FakeNode {
  name: string
  /** netns that holds the node's own stack (its addresses become the node's InternalIP/ExternalIP) */
  netns: string
}

export interface ClusterSpec {
  nodes: FakeNode[]
  pods: FakePod[]
  /** images an ephemeral container may use (present on the node); default NODE_IMAGES */
  pullableImages?: string[]
}

/** The lab's layout: pw-pod is the client pod, pw-node the node and (host network) the agent. */
export function labClusterSpec(netns: { pod?: string; node?: string } = {}): ClusterSpec {
  const pod = netns.pod ?? 'pw-pod'
  const node = netns.node ?? 'pw-node'
  return {
    nodes: [{ name: LAB_NODE, netns: node }],
    pods: [
      {
        ...CLIENT_POD,
        netns: pod,
        node: LAB_NODE,
        containers: [{ name: 'client', image: 'nicolaka/netshoot:v0.13' }],
        labels: { app: 'client' },
        creationTimestamp: '2024-09-11T07:20:11Z',
        uid: '6f1c7e0a-3f5e-4d8b-9a51-1b2c3d4e5f60',
      },
      {
        ...AGENT_POD,
        netns: node,
        node: LAB_NODE,
        hostNetwork: true,
        containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.14.14' }],
        labels: { 'k8s-app': 'cilium', 'controller-revision-hash': '5d8f9c7b6', 'pod-template-generation': '1' },
        owner: { kind: 'DaemonSet', name: 'cilium' },
        creationTimestamp: '2024-09-11T07:03:40Z',
        uid: '0b9e2d41-8c7a-4e6f-b3d2-a1c0f9e8d7c6',
      },
    ],
  }
}

/**
 * kube-system/cilium-config as DOKS ships it: the data block of the seed lab's
 * `kubectl get cm/cilium-config -o yaml -nkube-system` (shared/seed), verbatim.
 */
export const CILIUM_CONFIG_DATA: Record<string, string> = {
  'agent-not-ready-taint-key': 'node.cilium.io/agent-not-ready',
  'annotate-k8s-node': 'true',
  'arping-refresh-period': '30s',
  'auto-direct-node-routes': 'true',
  'bpf-lb-external-clusterip': 'false',
  'bpf-lb-map-max': '65536',
  'bpf-lb-proto-diff': 'true',
  'bpf-lb-sock': 'false',
  'bpf-map-dynamic-size-ratio': '0.0025',
  'bpf-policy-map-max': '16384',
  'bpf-root': '/sys/fs/bpf',
  'cgroup-root': '/run/cilium/cgroupv2',
  'cilium-endpoint-gc-interval': '5m0s',
  'cluster-id': '0',
  'cluster-name': 'default',
  'cluster-pool-ipv4-mask-size': '25',
  'cni-chaining-mode': 'portmap',
  'cni-exclusive': 'false',
  'cni-log-file': '/var/run/cilium/cilium-cni.log',
  'custom-cni-conf': 'false',
  debug: 'false',
  'debug-verbose': '',
  'disable-cnp-status-updates': 'true',
  'egress-gateway-reconciliation-trigger-interval': '1s',
  'enable-auto-protect-node-port-range': 'true',
  'enable-bgp-control-plane': 'false',
  'enable-bpf-clock-probe': 'false',
  'enable-endpoint-health-checking': 'true',
  'enable-external-ips': 'false',
  'enable-health-check-nodeport': 'false',
  'enable-health-checking': 'true',
  'enable-host-legacy-routing': 'true',
  'enable-host-port': 'false',
  'enable-hubble': 'true',
  'enable-ipv4': 'true',
  'enable-ipv4-big-tcp': 'false',
  'enable-ipv4-masquerade': 'true',
  'enable-ipv6': 'false',
  'enable-ipv6-big-tcp': 'false',
  'enable-ipv6-masquerade': 'true',
  'enable-k8s-networkpolicy': 'true',
  'enable-k8s-terminating-endpoint': 'true',
  'enable-l2-neigh-discovery': 'true',
  'enable-l7-proxy': 'true',
  'enable-local-redirect-policy': 'false',
  'enable-node-port': 'false',
  'enable-policy': 'default',
  'enable-remote-node-identity': 'true',
  'enable-sctp': 'false',
  'enable-session-affinity': 'true',
  'enable-svc-source-range-check': 'true',
  'enable-vtep': 'false',
  'enable-well-known-identities': 'true',
  'enable-xt-socket-fallback': 'true',
  'external-envoy-proxy': 'false',
  'hubble-disable-tls': 'false',
  'hubble-listen-address': ':4244',
  'hubble-socket-path': '/var/run/cilium/hubble.sock',
  'hubble-tls-cert-file': '/var/lib/cilium/tls/hubble/server.crt',
  'hubble-tls-client-ca-files': '/var/lib/cilium/tls/hubble/client-ca.crt',
  'hubble-tls-key-file': '/var/lib/cilium/tls/hubble/server.key',
  'identity-allocation-mode': 'crd',
  'identity-gc-interval': '5m',
  'identity-heartbeat-timeout': '15m',
  'install-no-conntrack-iptables-rules': 'false',
  ipam: 'cluster-pool',
  'ipam-cilium-node-update-rate': '15s',
  'k8s-client-burst': '10',
  'k8s-client-qps': '5',
  'kube-proxy-replacement': 'partial',
  'kube-proxy-replacement-healthz-bind-address': '',
  'mesh-auth-enabled': 'true',
  'mesh-auth-gc-interval': '5m0s',
  'mesh-auth-queue-size': '1024',
  'mesh-auth-rotated-identities-queue-size': '1024',
  metrics: '+cilium_bpf_map_pressure',
  'monitor-aggregation': 'medium',
  'monitor-aggregation-flags': 'all',
  'monitor-aggregation-interval': '5s',
  'node-port-bind-protection': 'true',
  'nodes-gc-interval': '0',
  'operator-api-serve-addr': '127.0.0.1:9234',
  'preallocate-bpf-maps': 'false',
  procfs: '/host/proc',
  'prometheus-serve-addr': ':9090',
  'proxy-connect-timeout': '2',
  'proxy-max-connection-duration-seconds': '0',
  'proxy-max-requests-per-connection': '0',
  'remove-cilium-node-taints': 'true',
  'routing-mode': 'native',
  'set-cilium-is-up-condition': 'true',
  'set-cilium-node-taints': 'true',
  'sidecar-istio-proxy-image': 'cilium/istio_proxy',
  'skip-cnp-status-startup-clean': 'false',
  'synchronize-k8s-nodes': 'true',
  'tofqdns-dns-reject-response-code': 'refused',
  'tofqdns-enable-dns-compression': 'true',
  'tofqdns-endpoint-max-ip-per-hostname': '50',
  'tofqdns-idle-connection-grace-period': '0s',
  'tofqdns-max-deferred-connection-deletes': '10000',
  'tofqdns-proxy-response-max-delay': '100ms',
  'unmanaged-pod-watcher-interval': '15',
  'vtep-cidr': '',
  'vtep-endpoint': '',
  'vtep-mac': '',
  'vtep-mask': '',
  'write-cni-conf-when-ready': '/host/etc/cni/net.d/05-cilium.conflist',
  // from the agent's command line in the seed (--ipv4-native-routing-cidr=10.244.0.0/16)
  'ipv4-native-routing-cidr': '10.244.0.0/16',
  // from the seed's `cilium config view | grep -i masq` (the agent's effective value)
  'enable-bpf-masquerade': 'false',
}

export const NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system']

type Json = Record<string, unknown>

function run(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 3000 }, (err, stdout) => resolve(err ? undefined : stdout))
  })
}

export interface NetnsAddresses {
  /** the address of the device that carries the default route (eth0 in the lab) */
  primary?: string
  /** every IPv4 address of the namespace */
  all: string[]
}

/** Reads a namespace's IPv4 addresses; undefined when the namespace does not exist. */
export async function netnsAddresses(netns: string): Promise<NetnsAddresses | undefined> {
  const [routes, addrs] = await Promise.all([
    run('ip', ['-n', netns, '-j', '-4', 'route', 'show', 'default']),
    run('ip', ['-n', netns, '-j', '-4', 'addr', 'show']),
  ])
  if (routes === undefined || addrs === undefined) return undefined
  try {
    const dev = (JSON.parse(routes) as { dev?: string }[])[0]?.dev
    const links = JSON.parse(addrs) as { ifname?: string; addr_info?: { local?: string }[] }[]
    const all = links.flatMap((l) => (l.ifname === 'lo' ? [] : (l.addr_info ?? []).map((a) => a.local ?? ''))).filter(Boolean)
    const primary = links.find((l) => l.ifname === dev)?.addr_info?.[0]?.local
    return { primary, all }
  } catch {
    return undefined
  }
}

/** Live view of the cluster: addresses are looked up in the namespaces at most once a second. */
export class FakeCluster {
  private cache = new Map<string, { at: number; addrs: NetnsAddresses | undefined }>()
  readonly resourceVersion = '4242'

  /** ephemeral containers added by PATCH, by `namespace/name` of their pod */
  readonly ephemeral = new Map<string, EphemeralContainer[]>()

  constructor(readonly spec: ClusterSpec) {}

  get pullable(): readonly string[] {
    return this.spec.pullableImages ?? NODE_IMAGES
  }

  ephemeralOf(p: { namespace: string; name: string }): EphemeralContainer[] {
    return this.ephemeral.get(`${p.namespace}/${p.name}`) ?? []
  }

  async addresses(netns: string): Promise<NetnsAddresses | undefined> {
    const hit = this.cache.get(netns)
    if (hit && Date.now() - hit.at < 1000) return hit.addrs
    const addrs = await netnsAddresses(netns)
    this.cache.set(netns, { at: Date.now(), addrs })
    return addrs
  }

  /** A pod's IP: the address of its default-route device. */
  async ip(netns: string): Promise<string | undefined> {
    return (await this.addresses(netns))?.primary
  }

  /**
   * The node's InternalIP and ExternalIP, as on DOKS: the private (VPC) address is the internal
   * one, the public address of eth0 the external one.
   */
  async nodeIps(nodeName: string): Promise<{ internal?: string; external?: string }> {
    const node = this.spec.nodes.find((n) => n.name === nodeName)
    const a = node ? await this.addresses(node.netns) : undefined
    if (!a) return {}
    const internal = a.all.includes(ADDR.nodePrivateIp) ? ADDR.nodePrivateIp : a.primary
    return { internal, external: a.primary !== internal ? a.primary : undefined }
  }

  findPod(namespace: string, name: string): FakePod | undefined {
    return this.spec.pods.find((p) => p.namespace === namespace && p.name === name)
  }

  async podObject(p: FakePod): Promise<Json> {
    const hostIP = (await this.nodeIps(p.node)).internal
    const podIP = p.hostNetwork ? hostIP : await this.ip(p.netns)
    const running = podIP !== undefined
    const metadata: Json = {
      name: p.name,
      namespace: p.namespace,
      uid: p.uid,
      resourceVersion: this.resourceVersion,
      creationTimestamp: p.creationTimestamp,
      labels: p.labels,
    }
    if (p.owner) {
      metadata.generateName = `${p.owner.name}-`
      metadata.ownerReferences = [
        { apiVersion: 'apps/v1', kind: p.owner.kind, name: p.owner.name, uid: '3c5a9e1f-7b2d-4c8e-a6f0-9d1b2e3f4a5b', controller: true, blockOwnerDeletion: true },
      ]
    }
    const spec: Json = {
      containers: p.containers.map((c) => ({ name: c.name, image: c.image, imagePullPolicy: 'IfNotPresent' })),
      nodeName: p.node,
      restartPolicy: 'Always',
      dnsPolicy: p.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
      serviceAccountName: p.hostNetwork ? 'cilium' : 'default',
    }
    if (p.hostNetwork) spec.hostNetwork = true
    const ephemeral = this.ephemeralOf(p)
    if (ephemeral.length) spec.ephemeralContainers = ephemeral.map(ephemeralSpec)
    const status: Json = running
      ? {
          phase: 'Running',
          conditions: [
            { type: 'Initialized', status: 'True', lastTransitionTime: p.creationTimestamp },
            { type: 'Ready', status: 'True', lastTransitionTime: p.creationTimestamp },
            { type: 'ContainersReady', status: 'True', lastTransitionTime: p.creationTimestamp },
            { type: 'PodScheduled', status: 'True', lastTransitionTime: p.creationTimestamp },
          ],
          hostIP,
          hostIPs: hostIP ? [{ ip: hostIP }] : undefined,
          podIP,
          podIPs: [{ ip: podIP }],
          startTime: p.creationTimestamp,
          containerStatuses: p.containers.map((c) => ({
            name: c.name,
            image: c.image,
            imageID: '',
            containerID: `containerd://${p.uid.replace(/-/g, '')}${c.name.length}`,
            ready: true,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: p.creationTimestamp } },
          })),
          qosClass: 'BestEffort',
        }
      : // the namespace is gone (lab down): the pod is scheduled but has no sandbox
        {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: p.creationTimestamp }],
          hostIP,
          containerStatuses: p.containers.map((c) => ({
            name: c.name,
            image: c.image,
            imageID: '',
            ready: false,
            started: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          })),
          qosClass: 'BestEffort',
        }
    if (ephemeral.length) status.ephemeralContainerStatuses = ephemeral.map((c) => ephemeralStatus(c, this.pullable))
    return { metadata, spec, status: JSON.parse(JSON.stringify(status)) as Json }
  }

  async nodeObject(node: FakeNode): Promise<Json> {
    const { internal: ip, external } = await this.nodeIps(node.name)
    const addresses = [
      ...(ip ? [{ type: 'InternalIP', address: ip }] : []),
      ...(external ? [{ type: 'ExternalIP', address: external }] : []),
      { type: 'Hostname', address: node.name },
    ]
    return {
      metadata: {
        name: node.name,
        uid: `a7d3c2b1-9e8f-4a6b-8c5d-${createHash('sha256').update(node.name).digest('hex').slice(0, 12)}`,
        resourceVersion: this.resourceVersion,
        creationTimestamp: '2024-09-11T07:02:40Z',
        labels: { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
      },
      spec: {},
      status: {
        conditions: [{ type: 'Ready', status: ip ? 'True' : 'Unknown', reason: ip ? 'KubeletReady' : 'NodeStatusUnknown' }],
        addresses,
        nodeInfo: {
          kernelVersion: os.release(),
          osImage: 'packetwalk lab (network namespaces)',
          containerRuntimeVersion: 'containerd://1.7.20',
          kubeletVersion: 'v1.30.4',
          kubeProxyVersion: 'v1.30.4',
          operatingSystem: 'linux',
          architecture: os.arch() === 'x64' ? 'amd64' : os.arch(),
        },
      },
    }
  }

  services(): Json[] {
    const svc = (namespace: string, name: string, clusterIP: string, ports: Json[], labels: Record<string, string>, selector?: Record<string, string>): Json => ({
      metadata: { name, namespace, uid: `5e6f7a8b-${name.length}c9d-4e0f-8a1b-2c3d4e5f6a7b`, resourceVersion: this.resourceVersion, creationTimestamp: '2024-09-11T07:02:41Z', labels },
      spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports, ...(selector ? { selector } : {}), sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' },
      status: { loadBalancer: {} },
    })
    return [
      svc('default', 'kubernetes', '10.245.0.1', [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 443 }], { component: 'apiserver', provider: 'kubernetes' }),
      svc('kube-system', 'kube-dns', '10.245.0.10', [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      ], { 'k8s-app': 'kube-dns' }, { 'k8s-app': 'kube-dns' }),
    ]
  }

  configMaps(): Json[] {
    return [
      {
        metadata: { name: 'cilium-config', namespace: 'kube-system', uid: 'efecf122-f5ac-4c0f-a66a-62abe89e9386', resourceVersion: '553', creationTimestamp: '2024-09-11T07:02:56Z', labels: { 'doks.digitalocean.com/managed': 'true' } },
        data: CILIUM_CONFIG_DATA,
      },
    ]
  }

  /** The agent's DaemonSet, so that CNI detection by DaemonSet name finds Cilium. */
  daemonSets(): Json[] {
    const agents = this.spec.pods.filter((p) => p.owner?.kind === 'DaemonSet')
    return [...new Set(agents.map((p) => `${p.namespace}/${p.owner?.name ?? ''}`))].map((ref) => {
      const [namespace = '', name = ''] = ref.split('/')
      const pod = agents.find((p) => p.namespace === namespace && p.owner?.name === name)
      const n = agents.filter((p) => p.namespace === namespace && p.owner?.name === name).length
      return {
        metadata: { name, namespace, uid: '3c5a9e1f-7b2d-4c8e-a6f0-9d1b2e3f4a5b', resourceVersion: this.resourceVersion, creationTimestamp: '2024-09-11T07:02:57Z', labels: { 'k8s-app': name } },
        spec: {
          selector: { matchLabels: { 'k8s-app': name } },
          template: { metadata: { labels: { 'k8s-app': name } }, spec: { hostNetwork: pod?.hostNetwork === true, containers: pod?.containers ?? [] } },
        },
        status: { currentNumberScheduled: n, desiredNumberScheduled: n, numberReady: n, numberAvailable: n, updatedNumberScheduled: n },
      }
    })
  }

  namespaceObject(name: string): Json {
    return {
      metadata: { name, uid: `9f8e7d6c-${String(name.length).padStart(4, '0')}-4b3a-8291-0a1b2c3d4e5f`, resourceVersion: this.resourceVersion, creationTimestamp: '2024-09-11T07:02:38Z', labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    }
  }
}
