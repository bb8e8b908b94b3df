/**
 * The lab's scenarios: which cluster each one needs, where its probe runs, what it talks to, and
 * which places (pods, nodes, agents) a capture of it must hold: every place the packet crosses.
 */
import type { Flow } from '@/lib/model/capture'
import { ADDR, nodeOf, type ClusterSpec, type PodSpec, type Routing } from '@/server/lab/topology'

export const SCENARIOS = ['egress', 'same-node', 'cross-node', 'vxlan', 'geneve', 'service', 'nodeport'] as const
export type ScenarioName = (typeof SCENARIOS)[number]

export function isScenario(s: string): s is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(s)
}

export interface Scenario {
  name: ScenarioName
  routing: Routing
  title: string
  /** the probe's client: a pod of the cluster, or the internet namespace (NodePort) */
  client: 'client' | 'world'
  target: { ip: string; port: number; pod?: PodSpec['key']; service?: string }
  /** the pod that must answer (a service has two backends; the capture follows the one on node 2) */
  answeredBy?: PodSpec['key']
  /** ping the target too (a ClusterIP or NodePort does not answer ICMP in kube-proxy's iptables mode) */
  ping: boolean
  /** places in the capture besides node 1 and its agent */
  pods: PodSpec['key'][]
  node2: boolean
}

const backend = { ip: ADDR.backendPodIp, port: ADDR.backendPort, pod: 'backend' as const }

export const SCENARIO: Record<ScenarioName, Scenario> = {
  egress: {
    name: 'egress',
    routing: 'native',
    title: `Lab: pod to the internet (${ADDR.destinationIp}:${ADDR.destinationPort}), native routing, iptables masquerade`,
    client: 'client',
    target: { ip: ADDR.destinationIp, port: ADDR.destinationPort },
    ping: true,
    pods: ['client'],
    node2: false,
  },
  'same-node': {
    name: 'same-node',
    routing: 'native',
    title: 'Lab: pod to pod on the same node (default/client → default/peer:8080)',
    client: 'client',
    target: { ip: ADDR.peerPodIp, port: ADDR.backendPort, pod: 'peer' },
    ping: true,
    pods: ['client', 'peer'],
    node2: false,
  },
  'cross-node': {
    name: 'cross-node',
    routing: 'native',
    title: 'Lab: pod to pod on another node, native routing (default/client → default/backend:8080)',
    client: 'client',
    target: backend,
    ping: true,
    pods: ['client', 'backend'],
    node2: true,
  },
  vxlan: {
    name: 'vxlan',
    routing: 'vxlan',
    title: 'Lab: pod to pod on another node through the VXLAN overlay (cilium_vxlan)',
    client: 'client',
    target: backend,
    ping: true,
    pods: ['client', 'backend'],
    node2: true,
  },
  geneve: {
    name: 'geneve',
    routing: 'geneve',
    title: 'Lab: pod to pod on another node through the Geneve overlay (cilium_geneve)',
    client: 'client',
    target: backend,
    ping: true,
    pods: ['client', 'backend'],
    node2: true,
  },
  service: {
    name: 'service',
    routing: 'native',
    title: `Lab: pod to a ClusterIP service (default/web ${ADDR.webServiceIp}:${ADDR.webServicePort}), kube-proxy DNAT to a pod on another node`,
    client: 'client',
    target: { ip: ADDR.webServiceIp, port: ADDR.webServicePort, service: 'default/web' },
    answeredBy: 'backend',
    ping: false,
    pods: ['client', 'backend'],
    node2: true,
  },
  nodeport: {
    name: 'nodeport',
    routing: 'native',
    title: `Lab: internet client to a NodePort (${ADDR.nodePublicIp}:${ADDR.webNodePort}), kube-proxy DNAT and SNAT to a pod on another node`,
    client: 'world',
    target: { ip: ADDR.nodePublicIp, port: ADDR.webNodePort, service: 'default/web' },
    answeredBy: 'backend',
    ping: false,
    pods: ['backend'],
    node2: true,
  },
}

/** The routings `up --scenario …` must build. */
export function routingsFor(s: ScenarioName | 'all'): Routing[] {
  if (s === 'all') return [...new Set(SCENARIOS.map((n) => SCENARIO[n].routing))]
  return [SCENARIO[s].routing]
}

/** The address the NodePort client connects from (the internet namespace's loopback). */
export const INTERNET_CLIENT_IP = ADDR.destinationIp

/**
 * The flow of a scenario's probe connection (`local` is the client's ip:port the probe printed),
 * or of its reply: source = the server or backend, destination = the client's ip:port.
 */
export function scenarioFlow(s: Scenario, c: ClusterSpec, local: { ip: string; port: number }, reply: boolean): Flow {
  const pod = (k: PodSpec['key']) => c.pods.find((p) => p.key === k) as PodSpec
  const nodeName = (p: PodSpec) => nodeOf(c, p).name
  const clientEnd: Flow['source'] = { ip: local.ip, port: local.port }
  if (s.client === 'client') {
    const cp = pod('client')
    clientEnd.pod = cp.name
    clientEnd.node = nodeName(cp)
  }
  if (!reply) {
    const destination: Flow['destination'] = { ip: s.target.ip, port: s.target.port, protocol: 'tcp' }
    if (s.target.pod) destination.pod = pod(s.target.pod).name
    if (s.target.service) destination.service = s.target.service
    return { source: clientEnd, destination }
  }
  const answering = s.answeredBy ?? s.target.pod
  const source: Flow['source'] = answering
    ? { ip: pod(answering).ip, port: ADDR.backendPort, pod: pod(answering).name, node: nodeName(pod(answering)) }
    : { ip: s.target.ip, port: s.target.port }
  return { source, destination: { ...clientEnd, protocol: 'tcp' } as Flow['destination'] }
}
