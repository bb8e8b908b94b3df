/**
 * Observation step: Hubble's flows (`hubble observe … -o json`, run by the collector after the
 * traffic) cite the hops they saw. Each flow of the walk's packet is tied to the hop at its
 * observation point on the same node — FROM_ENDPOINT/TO_STACK to the program on the pod's veth,
 * TO_NETWORK to the egress device, TO_OVERLAY to the tunnel, FROM_NETWORK/FROM_OVERLAY and
 * TO_ENDPOINT to the arrival and delivery on the destination's node — and becomes one more
 * evidence line of that hop, with what Hubble said (`observed`: point, verdict, reply or not).
 * A DROPPED flow becomes a warning: the walk's hop is where the packet died.
 *
 * It adds evidence and never a hop: a walk without Hubble output is unchanged. Called once, at
 * the end of the walk (walk.ts `finish`).
 */
import type { Hop } from '@/lib/model/walk'
import { parseHubbleFlows, type HubbleFlowRecord } from '@/lib/parsers/hubble-flows'
import type { WalkContext } from '../context'

export interface Observation {
  host: string
  command: string
  line: number
  point: string
  verdict: string
  isReply: boolean
  device?: string
  dropReason?: string
}

/** Which hop kinds an observation point stands for, in order of preference. */
const POINT_HOPS: Record<string, { kinds: Hop['kind'][]; direction?: 'ingress' | 'egress'; deviceFrom: 'pod' | 'flow' }> = {
  FROM_ENDPOINT: { kinds: ['bpf'], direction: 'ingress', deviceFrom: 'flow' },
  TO_STACK: { kinds: ['bpf'], direction: 'ingress', deviceFrom: 'pod' },
  TO_NETWORK: { kinds: ['egress', 'bpf'], direction: 'egress', deviceFrom: 'flow' },
  TO_OVERLAY: { kinds: ['tunnel'], deviceFrom: 'flow' },
  FROM_NETWORK: { kinds: ['bpf', 'route'], direction: 'ingress', deviceFrom: 'flow' },
  FROM_OVERLAY: { kinds: ['tunnel', 'bpf', 'route'], deviceFrom: 'flow' },
  TO_ENDPOINT: { kinds: ['deliver'], deviceFrom: 'flow' },
}

/** The node a capture host is on: a node names itself, pods and agents carry theirs. */
function nodeOf(ctx: WalkContext, hostId: string): string | undefined {
  const h = ctx.capture.hosts[hostId]
  if (!h) return undefined
  return h.role === 'node' ? h.name : h.node
}

/** The walk's packet, either way: the flow's source to its destination (or the translated backend). */
function isWalkPacket(ctx: WalkContext, f: HubbleFlowRecord): boolean {
  const dsts = new Set([ctx.flowDstIp, ctx.dstIp])
  if (f.src !== ctx.srcIp || !dsts.has(f.dst)) return false
  if (ctx.protocol !== 'icmp' && f.protocol !== undefined && f.protocol !== ctx.protocol) return false
  const ports = new Set([ctx.flowDstPort, ctx.dstPort].filter((p) => p !== undefined))
  return f.dport === undefined || ports.size === 0 || ports.has(f.dport)
}

function hopDevice(h: Hop): string | undefined {
  const f = h.facts as Record<string, string | undefined>
  return f.device ?? f.to ?? f.from
}

export function observeStep(ctx: WalkContext): void {
  for (const [hostId, host] of Object.entries(ctx.capture.hosts)) {
    host.runs.forEach((run, runIndex) => {
      if (!run.command.startsWith('hubble observe') || run.exitCode !== 0 || run.stdout === '') return
      const node = host.role === 'node' ? host.name : host.node
      const flows = parseHubbleFlows(run.stdout).records.filter((f) => isWalkPacket(ctx, f))
      for (const f of flows) {
        const point = f.observationPoint ?? ''
        const want = POINT_HOPS[point]
        if (!want) continue
        const onNode = ctx.hops.filter((h) => node === undefined || nodeOf(ctx, h.host) === node)
        const hop = want.kinds
          .map((kind) =>
            onNode.find((h) => {
              if (h.kind !== kind) return false
              if (want.direction && h.kind === 'bpf' && (h.facts as Record<string, string>).direction !== want.direction) return false
              return f.device === undefined || hopDevice(h) === undefined || hopDevice(h) === f.device || want.deviceFrom === 'pod'
            }),
          )
          .find((h) => h !== undefined)
        if (!hop) continue
        const obs: Observation = { host: hostId, command: run.command, line: f.line, point, verdict: f.verdict, isReply: f.isReply }
        if (f.device) obs.device = f.device
        if (f.dropReason) obs.dropReason = f.dropReason
        hop.evidence.push({ host: hostId, command: run.command, lines: [f.line], ...(runIndex > 0 ? { run: runIndex } : {}) })
        const observed = Array.isArray(hop.observed) ? (hop.observed as Observation[]) : []
        hop.observed = [...observed, obs]
        if (f.verdict === 'DROPPED') {
          ctx.warnings.push(
            `Hubble saw the packet DROPPED at ${point.toLowerCase().replace(/_/g, '-')}${f.device ? ` on ${f.device}` : ''}${f.dropReason ? ` (${f.dropReason})` : ''}: \`${run.command}\` on ${hostId} L${f.line}`,
          )
        }
      }
    })
  }
}
