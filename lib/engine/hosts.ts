/**
 * Which hosts of a capture play the source pod, the node it runs on and that node's Cilium agent.
 * Host ids are free strings, so the roles and names decide; the pod's node links the three. The
 * engine never pairs a pod with another node's outputs (ifindexes repeat across nodes).
 */
import type { Capture } from '@/lib/model/capture'
import type { Facts, HostFacts } from './facts'
import { deviceHoldingAddress, netnsOfHost, type Topology } from '@/lib/topology'

export interface WalkHosts {
  pod?: HostFacts
  node?: HostFacts
  agent?: HostFacts
  /** the source node's name, as the capture gives it (for `prove` when the node host is missing) */
  nodeName?: string
  warnings: string[]
  /** pairings made without a name to prove them (the only node, the only agent): for the datapath basis */
  assumptions: string[]
}

export function pickHosts(capture: Capture, facts: Facts, topology: Topology): WalkHosts {
  const hasAddress = (hf: HostFacts, ip: string) => deviceHoldingAddress(netnsOfHost(topology, hf.id), ip) !== undefined
  const warnings: string[] = []
  const all = Object.values(facts.hosts)
  const src = capture.flow.source
  const pods = all.filter((h) => h.host.role === 'pod')
  const assumptions: string[] = []
  const named = (src.pod ? pods.find((h) => h.host.name === src.pod) : undefined) ?? pods.find((h) => hasAddress(h, src.ip))
  const pod = named ?? (pods.length === 1 ? pods[0] : undefined)
  if (pod && !named) assumptions.push(`assumption: ${pod.id} is the source pod: it is the only pod host, though neither its name nor an address of its outputs ties it to ${src.ip}`)

  const nodeName = pod?.host.node ?? src.node
  const nodes = all.filter((h) => h.host.role === 'node')
  let node = nodeName ? nodes.find((h) => h.host.name === nodeName || h.id === nodeName) : undefined
  if (!node && nodes.length === 1 && !nodeName) {
    node = nodes[0]
    if (node) assumptions.push(`assumption: ${node.id} is the source pod's node: it is the only node host and nothing names the pod's node`)
  }
  if (!node && nodes.length > 0 && nodeName) {
    warnings.push(
      `No node host named ${nodeName} (the source pod's node) in the capture; node outputs from ${nodes.map((n) => n.host.name).join(', ')} are not used for this pod.`,
    )
  }
  const nodeKey = node?.host.name ?? nodeName
  const agents = all.filter((h) => h.host.role === 'agent')
  let agent = nodeKey ? agents.find((h) => h.host.node === nodeKey) : undefined
  if (!agent && agents.length === 1 && agents[0] && agents[0].host.node === undefined) {
    agent = agents[0]
    assumptions.push(`assumption: ${agent.id} is the Cilium agent of ${nodeKey ?? 'the source node'}: it is the only agent and names no node`)
  }
  if (!agent && agents.length > 0) {
    warnings.push(`No Cilium agent on ${nodeKey ?? 'the source node'} in the capture; agents of other nodes are not used.`)
  }
  if (src.node && pod?.host.node && src.node !== pod.host.node) {
    warnings.push(`The flow says the source runs on ${src.node} but the pod host says ${pod.host.node}.`)
  }
  return { pod, node, agent, nodeName: nodeKey, warnings, assumptions }
}
