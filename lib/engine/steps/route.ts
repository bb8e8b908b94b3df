/**
 * Route step: the routing decision in one namespace (the pod's, then the node's) for the
 * destination, by longest prefix match honouring `ip rule` and tables when captured.
 */
import type { RouteRecord } from '@/lib/model/records'
import { addHop, addUnproven, type Place, type WalkContext } from '../context'
import { cite, type HostFacts } from '../facts'
import { lookupRoute, type RouteDecision } from '../route-lookup'

export interface RouteOutcome {
  decision?: RouteDecision
  gateway?: string
  device?: string
}

function describe(r: RouteRecord): string {
  const dest = r.destination === '0.0.0.0/0' ? 'the default route' : r.destination
  const via = r.gateway && r.gateway !== '0.0.0.0' ? `via ${r.gateway} ` : 'directly connected, '
  return `${dest}, ${via}on ${r.device ?? '?'}`
}

export function routeStep(
  ctx: WalkContext,
  opts: { hf: HostFacts | undefined; hostId: string; place: Place; label: string; src?: string; iif?: string; note?: string },
): RouteOutcome {
  const { hf, hostId, place, label } = opts
  const routes = hf?.routes ?? []
  if (routes.length === 0) {
    addUnproven(ctx, {
      kind: 'route',
      host: hostId,
      place,
      summary: `${label} routing table: not captured, so the route to ${ctx.dstIp} is unknown`,
      facts: {},
      evidence: [],
      prove: { host: hostId, command: 'ip route show table all', why: `no routing table of ${hostId} was captured` },
    })
    return {}
  }
  const { decision, disagreements } = lookupRoute({ routes, rules: hf?.rules ?? [], dst: ctx.dstIp, src: opts.src, iif: opts.iif })
  if (!decision) {
    const cmd = routes[0]?.source.command ?? 'ip route'
    addUnproven(ctx, {
      kind: 'route',
      host: hostId,
      place,
      summary: `${label} routing table has no route to ${ctx.dstIp}`,
      facts: {},
      evidence: routes.map((p) => cite(p.source, [])),
      prove: { host: hostId, command: 'ip route show table all', why: `\`${cmd}\` on ${hostId} has no route that matches ${ctx.dstIp}` },
    })
    return {}
  }
  const r = decision.route
  const gateway = r.gateway && r.gateway !== '0.0.0.0' ? r.gateway : undefined
  const evidence = [cite(decision.source, [r.line])]
  if (decision.rule) evidence.push(cite(decision.rule.source, [decision.rule.rule.line]))
  for (const d of disagreements) {
    ctx.warnings.push(
      `${hostId}: \`${d.source.command}\` L${d.route.line} routes ${ctx.dstIp} via ${describe(d.route)}, but \`${decision.source.command}\` L${r.line} says ${describe(r)}: the two outputs disagree.`,
    )
  }
  if (decision.skippedRules.length) {
    ctx.warnings.push(
      `${hostId}: \`${decision.skippedRules[0]?.source.command}\` L${decision.skippedRules.map((s) => s.rule.line).join(',')} select${decision.skippedRules.length > 1 ? '' : 's'} on a mark or output interface the engine cannot know; assumed not to apply to this packet.`,
    )
  }
  if (r.type && /^(blackhole|unreachable|prohibit)$/.test(r.type)) {
    ctx.warnings.push(`${hostId}: the route to ${ctx.dstIp} is ${r.type} (\`${decision.source.command}\` L${r.line}): the packet is dropped here.`)
  }
  const table = decision.table === 'main' ? undefined : decision.table
  addHop(ctx, {
    kind: 'route',
    host: hostId,
    place,
    summary: `${label} routing table: ${ctx.dstIp} matches ${describe(r)}${table ? ` (table ${table})` : ''}${opts.note ? `. ${opts.note}` : ''}`,
    facts: { destination: r.destination, gateway, device: r.device, table, type: r.type },
    evidence,
  })
  return { decision, gateway, device: r.device }
}
