/** Names hosts of a capture in explanations: "the pod 10.244.0.213", "le nœud node-7o7xd". */
import type { HostSummary } from '@/lib/view/walk-view'
import type { ExplainContext, HostPhrase } from './explain'

/** A pod's display name: its `ns/name`, or its IP when the capture gives a free-form name. */
export function podName(host: HostSummary, ip?: string): string {
  return /^[^/\s]+\/[^/\s]+$/.test(host.name) ? host.name : (ip ?? host.name)
}

export function hostPhrase(host: HostSummary | undefined, id: string, podIp?: string): HostPhrase {
  if (!host) return { en: id, fr: id, frOf: `de ${id}` }
  if (host.role === 'pod') {
    const n = podName(host, podIp)
    return { en: `the pod ${n}`, fr: `le pod ${n}`, frOf: `du pod ${n}` }
  }
  if (host.role === 'agent') return { en: `the Cilium agent ${host.name}`, fr: `l’agent Cilium ${host.name}`, frOf: `de l’agent Cilium ${host.name}` }
  return { en: `the node ${host.name}`, fr: `le nœud ${host.name}`, frOf: `du nœud ${host.name}` }
}

/** Explanation context for a walk: the source pod is named by the flow's source IP if unnamed. */
export function explainContext(hosts: Record<string, HostSummary>, sourceIp: string): ExplainContext {
  return { where: (id) => hostPhrase(hosts[id], id, sourceIp) }
}

/** A host's short display name: pods by podName, nodes and agents by name. */
export function hostLabel(hosts: Record<string, HostSummary>, id: string, sourceIp?: string): string {
  const h = hosts[id]
  if (!h) return id
  return h.role === 'pod' ? podName(h, sourceIp) : h.name
}
