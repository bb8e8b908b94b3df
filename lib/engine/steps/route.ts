/**
 * Route step: the routing decision in one namespace (the pod's, then the node's) for the
 * destination, by longest prefix match honouring `ip rule` and tables when captured.
 */
import type { RouteRecord, RuleRecord } from '@/lib/model/records'
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
  return `${dest}, ${via}${r.device ? `on ${r.device}` : '(the route names no device)'}`
}

/** What a policy rule selects on that the engine cannot know: `fwmark 0x200/0xf00`, `oif eth0`, `iif lxc…`. */
function ruleSelector(r: RuleRecord): string {
  const parts: string[] = []
  if (r.fwmark !== undefined) parts.push(`fwmark ${r.fwmark}`)
  if (r.oif !== undefined) parts.push(`oif ${r.oif}`)
  if (r.iif !== undefined) parts.push(`iif ${r.iif}`)
  return `${r.not ? 'not ' : ''}${parts.join(' ') || 'a selector'}`
}

export function routeStep(
  ctx: WalkContext,
  opts: {
    hf: HostFacts | undefined
    hostId: string
    place: Place
    label: string
    src?: string
    iif?: string
    note?: string
    dst?: string
    /** the namespace forwards the packet: the Ethernet header it arrived with ends here */
    forwards?: boolean
  },
): RouteOutcome {
  const { hf, hostId, place, label } = opts
  // a forwarded packet gets a new Ethernet header at the next neighbour hop; until then its MACs are unknown
  const l2 = opts.forwards ? {} : undefined
  const dropped = opts.forwards && (ctx.packet.srcMac !== undefined || ctx.packet.dstMac !== undefined)
  const frameNote = (next?: string) => (dropped ? `; the Ethernet header the packet came with ends here: a new one is written for ${next ?? 'the next hop'}` : '')
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
      summary: `${label} routing table: not captured, so the route to ${dst} is unknown${frameNote()}`,
      facts: {},
      l2,
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
      summary: `${label} routing table: ${partial ? `the filtered output shows no route to ${dst}` : `no route to ${dst}`}${frameNote()}`,
      facts: {},
      l2,
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
  let assumes: string | undefined
  // said in the summary only when a captured rule was set aside; the default-rules case stays in facts and basis
  let assumesNote = ''
  if (rules.length === 0 && decision.table !== 'local' && !routeGet) {
    // without `ip rule` the lookup follows the kernel's default rules; a policy rule would go unseen
    assumes = `no policy routing (\`ip rule\` not captured)`
    ctx.datapath.mode.basis.push(
      `assumption: ${hostId}'s route to ${dst} takes the kernel's default rules (local, main, default tables) since \`ip rule\` was not captured; a policy rule (fwmark, source) could pick another table`,
    )
  }
  if (decision.skippedRules.length) {
    const skipped = decision.skippedRules
    ctx.warnings.push(
      `${hostId}: \`${skipped[0]?.source.command}\` L${skipped.map((s) => s.rule.line).join(',')} select${skipped.length > 1 ? '' : 's'} on a mark or output interface the engine cannot know; assumed not to apply to this packet.`,
    )
    assumes = `ip rule ${skipped.map((s) => `L${s.rule.line} (${ruleSelector(s.rule)})`).join(', ')} not applying to this packet`
    assumesNote = `, assuming ${assumes}`
    ctx.datapath.mode.basis.push(
      `assumption: ${hostId}'s route to ${dst} holds only if \`${skipped[0]?.source.command}\` ${skipped.map((s) => `L${s.rule.line} (${ruleSelector(s.rule)} → table ${s.rule.table ?? s.rule.action})`).join(', ')} do${skipped.length > 1 ? '' : 'es'} not select it: the packet's mark and output device are not in the capture`,
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
    summary:
      (routeGet
        ? `${label} routing: the kernel's own lookup (\`${decision.source.command}\`) sends ${dst} via ${r.gateway && r.gateway !== '0.0.0.0' ? r.gateway : 'a direct link'} ${r.device ? `on ${r.device}` : '(the output names no device)'}`
        : `${label} routing table: ${dst} matches ${describe(r)}${table ? ` (table ${table})` : ''}`) +
      `${assumesNote}${frameNote(gateway ?? dst)}${opts.note ? `. ${opts.note}` : ''}`,
    facts: { destination: r.destination, gateway, device: r.device, table, type: r.type, assumes },
    evidence,
    l2,
  })
  return { decision, gateway, device: r.device }
}
