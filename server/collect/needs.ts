/**
 * Round 2 is driven by the engine: the walk of the round-1 capture says which commands would
 * prove its unproven hops (`needs`, CONTRACT §2; the unproven hops' `prove` before the engine
 * grew it), and this module turns them into runnable argvs in the capture's places. The
 * collectors no longer look up routes or pair veths themselves: the engine, which reads policy
 * rules and tables properly, names the devices. Every argv still goes through the allowlist.
 */
import { inferWalk } from '@/lib/engine'
import type { Capture } from '@/lib/model/capture'
import type { Place } from '@/server/collect/types'
import { shellPipelines } from '@/lib/commands/shell-words'

/** What the engine asks for; `argv`/`role`/`node` come with the engine's `needs`, only `host`/`command` with `prove`. */
export interface NeedLike {
  host: string
  command: string
  argv?: string[]
  role?: string
  node?: string
}

function isNeed(x: unknown): x is NeedLike {
  const o = x as Partial<NeedLike> | null
  return !!o && typeof o.host === 'string' && typeof o.command === 'string'
}

/** The walk's needs for a capture (never throws: a walk that fails asks for nothing). */
export function walkNeeds(capture: Capture): NeedLike[] {
  let walk: ReturnType<typeof inferWalk>
  try {
    walk = inferWalk(capture)
  } catch {
    return []
  }
  const needs = (walk as { needs?: unknown }).needs
  if (Array.isArray(needs)) return needs.filter(isNeed)
  return walk.hops.flatMap((h) => (h.proven === false && isNeed(h.prove) ? [h.prove] : []))
}

/**
 * The words of a need, as the plan spells them (`cilium`, not `cilium-dbg`). A `| grep` after the
 * command is dropped (collectors run argv, never a shell; big tables are filtered while they
 * stream); several commands in one line are not a need a collector can run.
 */
export function needArgv(n: NeedLike): string[] | undefined {
  let argv = n.argv
  if (!argv) {
    const pipelines = shellPipelines(n.command)
    if (pipelines.length !== 1) return undefined
    argv = pipelines[0]?.[0]?.words
    if (!argv?.length) return undefined
  }
  if (argv[0] === 'cilium-dbg') argv = ['cilium', ...argv.slice(1)]
  // the agent image has no conntrack: the kernel's own table says the same
  if (argv[0] === 'conntrack' && argv[1] === '-L') return ['cat', '/proc/net/nf_conntrack']
  return argv
}

/** The place a need runs in: a host id of the capture, or a node/agent named by its node, or a pod by ns/name. */
export function placeOf(n: NeedLike, places: readonly Place[]): Place | undefined {
  // an agent missing from the capture is named by its node: the id then is the node's, not the agent's
  const byId = places.find((p) => p.hostId === n.host && (n.role === undefined || p.role === n.role))
  if (byId) return byId
  const node = n.node ?? n.host
  if (n.role === 'agent') return places.find((p) => p.role === 'agent' && p.node === node)
  if (n.role === 'node') return places.find((p) => p.role === 'node' && p.name === node)
  if (n.role === 'pod') return places.find((p) => p.role === 'pod' && p.name === n.host)
  // a bare name: a node name names the node, then its agent
  return places.find((p) => p.role === 'node' && p.name === n.host) ?? places.find((p) => p.name === n.host)
}
