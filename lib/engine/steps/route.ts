/**
 * Route step: the routing decision in one namespace (the pod's, then the node's) for the
 * destination, by longest prefix match honouring `ip rule` and tables when captured.
 */
import type { RouteRecord } from '@/lib/model/records'
import { addHop, addUnproven, type Place, type WalkContext } from '../context'
import { cite, describeSource, type HostFacts } from '../facts'
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
  opts: { hf: HostFacts | undefined; hostId: string; place: Place; label: string; src?: string; iif?: string; note?: string; dst?: string },
): RouteOutcome {
  const { hf, hostId, place, label } = opts
  const dst = opts.dst ?? ctx.dstIp
  const all = hf?.routes ?? []
  // a failed command printed no table: it proves nothing either way
  const routes = all.filter((p) => p.source.failure === undefined)
  const failed = all.filter((p) => p.source.failure !== undefined)
  if (routes.length === 0) {
    addUnproven(ctx, {
      kind: 'route',
      host: hostId,
      place,
      summary: `${label} routing table: not captured, so the route to ${dst} is unknown`,
      facts: {},
      evidence: failed.map((p) => cite(p.source, [])),
      prove: {
        host: hostId,
        command: 'ip route show table all',
        why: failed.length ? failed.map((p) => describeSource(p.source)).join('; ') : `no routing table of ${hostId} was captured`,
      },
    })
    return {}
  }
  const rules = (hf?.rules ?? []).filter((p) => p.source.failure === undefined)
  const { decision, disagreements } = lookupRoute({ routes, rules, dst, src: opts.src, iif: opts.iif })
  if (!decision) {
    const cmd = routes[0]?.source.command ?? 'ip route'
    const partial = routes.every((p) => !p.source.info.complete)
    addUnproven(ctx, {
      kind: 'route',
      host: hostId,
      place,
      summary: `${label} routing table: ${partial ? `the filtered output shows no route to ${dst}` : `no route to ${dst}`}`,
      facts: {},
      evidence: routes.map((p) => cite(p.source, [])),
      prove: {
        host: hostId,
        command: 'ip route show table all',
        why: partial
          ? `\`${cmd}\` on ${hostId} is filtered, so the missing route proves nothing`
          : `\`${cmd}\` on ${hostId} has no route that matches ${dst}`,
      },
    })
    return {}
  }
  const routeGet = decision.source.info.argv.includes('get') && decision.route.destination === `${dst}/32`
  if (!decision.source.info.complete && !routeGet) {
    ctx.warnings.push(
      `${hostId}: the route to ${dst} comes from a filtered output (\`${decision.source.command}\`): a more specific route may have been filtered out; \`ip route show table all\` would settle it.`,
    )
  }
  const r = decision.route
  const gateway = r.gateway && r.gateway !== '0.0.0.0' ? r.gateway : undefined
  const evidence = [cite(decision.source, [r.line])]
  if (decision.rule) evidence.push(cite(decision.rule.source, [decision.rule.rule.line]))
  for (const d of disagreements) {
    ctx.warnings.push(
      `${hostId}: \`${d.source.command}\` L${d.route.line} routes ${dst} via ${describe(d.route)}, but \`${decision.source.command}\` L${r.line} says ${describe(r)}: the two outputs disagree.`,
    )
  }
  if (decision.skippedRules.length) {
    ctx.warnings.push(
      `${hostId}: \`${decision.skippedRules[0]?.source.command}\` L${decision.skippedRules.map((s) => s.rule.line).join(',')} select${decision.skippedRules.length > 1 ? '' : 's'} on a mark or output interface the engine cannot know; assumed not to apply to this packet.`,
    )
  }
  if (r.type && /^(blackhole|unreachable|prohibit)$/.test(r.type)) {
    ctx.warnings.push(`${hostId}: the route to ${dst} is ${r.type} (\`${decision.source.command}\` L${r.line}): the packet is dropped here.`)
  }
  const table = decision.table === 'main' ? undefined : decision.table
  addHop(ctx, {
    kind: 'route',
    host: hostId,
    place,
    summary: routeGet
      ? `${label} routing: the kernel's own lookup (\`${decision.source.command}\`) sends ${dst} via ${r.gateway && r.gateway !== '0.0.0.0' ? r.gateway : 'a direct link'} on ${r.device ?? '?'}${opts.note ? `. ${opts.note}` : ''}`
      : `${label} routing table: ${dst} matches ${describe(r)}${table ? ` (table ${table})` : ''}${opts.note ? `. ${opts.note}` : ''}`,
    facts: { destination: r.destination, gateway, device: r.device, table, type: r.type },
    evidence,
  })
  return { decision, gateway, device: r.device }
}
