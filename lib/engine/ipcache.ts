/**
 * lookupIpcache: what Cilium's ipcache says about an address — its identity and the node it lives
 * behind (tunnelendpoint). The source node's own agent is asked first; the ipcache is synchronised
 * cluster-wide, so another agent's copy also answers for remote endpoints, and the walk says whose
 * copy it read. An entry with tunnelendpoint 0.0.0.0 means "local to the node whose map this is".
 */
import type { CiliumIpcacheRecord } from '@/lib/model/records'
import type { Evidence } from '@/lib/model/walk'
import { longestPrefixMatch, parseCidr } from '@/lib/net'
import type { WalkContext } from './context'
import { cite, type HostFacts, type Source } from './facts'

export interface IpcacheHit {
  record: CiliumIpcacheRecord
  source: Source
  hf: HostFacts
  /** the map belongs to the source node's agent (or node) */
  own: boolean
  evidence: Evidence
}

/** Cilium's reserved identities (pkg/identity/numericidentity.go). */
export const WORLD_IDENTITY = 2
export const HOST_IDENTITY = 1

export function lookupIpcache(ctx: WalkContext, ip: string): IpcacheHit | undefined {
  const own = [ctx.agent, ctx.node].filter((h): h is HostFacts => h !== undefined)
  const others = Object.values(ctx.facts.hosts).filter((h) => !own.includes(h) && h.host.role !== 'pod')
  for (const [list, isOwn] of [[own, true], [others, false]] as const) {
    for (const hf of list) {
      for (const p of hf.ipcache) {
        if (p.source.failure !== undefined) continue
        const record = longestPrefixMatch(p.records, (r) => parseCidr(r.prefix), ip)
        if (record) return { record, source: p.source, hf, own: isOwn, evidence: cite(p.source, record.lines ?? [record.line]) }
      }
    }
  }
  return undefined
}

/** The remote node's address for `ip` when the ipcache says it lives behind another node. */
export function tunnelEndpointOf(hit: IpcacheHit | undefined): string | undefined {
  const t = hit?.record.tunnelEndpoint
  return t && t !== '0.0.0.0' && t !== '::' ? t : undefined
}
