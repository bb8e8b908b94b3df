/**
 * Conntrack steps: the flow's entry in Cilium's BPF conntrack map (`cilium bpf ct list global`)
 * and, when the packet goes through the host stack (legacy host routing), in netfilter's table
 * (/proc/net/nf_conntrack, `conntrack -L`).
 */
import type { NfConntrackRecord } from '@/lib/model/records'
import { addHop, addUnproven, endpoint, type WalkContext } from '../context'
import { cite, describeSource, type Source } from '../facts'
import { matchCiliumCt, matchNfConntrack, type FlowKey } from '../flow-match'

export function flowKey(ctx: WalkContext): FlowKey {
  return { protocol: ctx.protocol, src: ctx.srcIp, dst: ctx.dstIp, dport: ctx.dstPort }
}

const flowText = (ctx: WalkContext) => `${ctx.protocol.toUpperCase()} ${ctx.srcIp} → ${endpoint(ctx.dstIp, ctx.protocol === 'icmp' ? undefined : ctx.dstPort)}`

export function ciliumConntrackStep(ctx: WalkContext): void {
  const outputs = ctx.agent?.ciliumCt ?? []
  for (const p of outputs) {
    const hits = matchCiliumCt(p.records, flowKey(ctx))
    const r = hits[0]
    if (!r) continue
    if (ctx.protocol !== 'icmp' && r.sport !== undefined) ctx.portsSeen.push({ what: `\`${p.source.command}\``, line: r.line, port: r.sport })
    const others = hits.length > 1 ? ` (${hits.length - 1} more entr${hits.length > 2 ? 'ies' : 'y'} for the same addresses)` : ''
    addHop(ctx, {
      kind: 'conntrack',
      host: ctx.nodeId,
      place: 'node',
      summary: `Cilium's conntrack map (BPF) has an entry for the flow: "${r.protocol} ${r.direction} ${endpoint(r.src, r.sport)} -> ${endpoint(r.dst, r.dport)}"${others}`,
      facts: { table: 'cilium', entry: r.text.trim() },
      evidence: [cite(p.source, [r.line])],
    })
    return
  }
  const ok = outputs.filter((p) => p.source.failure === undefined)
  const why = ok.length
    ? `${ok.map((p) => `\`${p.source.command}\``).join(', ')} on ${ctx.agentId} has no entry for ${flowText(ctx)} (it may have expired before the capture)`
    : outputs.length
      ? outputs.map((p) => describeSource(p.source)).join('; ')
      : `Cilium's conntrack map was not captured`
  addUnproven(ctx, {
    kind: 'conntrack',
    host: ctx.nodeId,
    place: 'node',
    summary: `Cilium's conntrack map (BPF) should have an entry for ${flowText(ctx)} (not captured)`,
    facts: { table: 'cilium' },
    evidence: outputs.map((p) => cite(p.source, [])),
    prove: { ...ctx.agentAt, command: 'cilium bpf ct list global', why },
  })
}

/** The netfilter entry of the flow, if any output shows it (used by the NAT step for the translated address). */
export function findNfEntry(ctx: WalkContext): { record: NfConntrackRecord; source: Source } | undefined {
  // netfilter keys the entry on the destination it first saw: the backend when Cilium translated
  // before the host stack, the service frontend when kube-proxy's DNAT did
  const keys = [flowKey(ctx)]
  if (ctx.flowDstIp !== ctx.dstIp) keys.push({ ...flowKey(ctx), dst: ctx.flowDstIp, dport: ctx.protocol === 'icmp' ? undefined : ctx.flowDstPort })
  for (const key of keys) {
    for (const p of ctx.node?.nfConntrack ?? []) {
      const r = matchNfConntrack(p.records, key)[0]
      if (r) return { record: r, source: p.source }
    }
  }
  return undefined
}

/** Where the entry expects replies, and what that says: the pod itself, or a translated address. */
function replyText(r: NfConntrackRecord): string {
  const to = endpoint(r.reply.dst, r.reply.dport)
  const from = endpoint(r.reply.src, r.reply.sport)
  const dnat = r.reply.src !== r.original.dst ? `, from ${from} rather than ${r.original.dst}: the destination was translated (DNAT)` : ''
  if (r.reply.dst === r.original.src) return `replies go back to the pod (${to})${dnat}`
  return `replies are expected at ${to}, not at the pod: the source is translated (see the nat hop)${dnat}`
}

export function netfilterConntrackStep(ctx: WalkContext): void {
  const outputs = ctx.node?.nfConntrack ?? []
  const found = findNfEntry(ctx)
  if (found) {
    const { record: r, source } = found
    if (ctx.protocol !== 'icmp' && r.original.sport !== undefined) ctx.portsSeen.push({ what: `\`${source.command}\``, line: r.line, port: r.original.sport })
    addHop(ctx, {
      kind: 'conntrack',
      host: ctx.nodeId,
      place: 'node',
      summary: `${ctx.cilium ? 'Legacy host routing hands the packet to the host stack, so netfilter tracks it too' : "The host stack's netfilter tracks the packet"}: ${r.protocol} ${endpoint(r.original.src, r.original.sport)} → ${endpoint(r.original.dst, r.original.dport)}${r.state ? ` (${r.state})` : ''}; ${replyText(r)}`,
      facts: { table: 'netfilter', entry: r.text.trim() },
      evidence: [cite(source, [r.line])],
    })
    return
  }
  const ok = outputs.filter((p) => p.source.failure === undefined)
  const why = ok.length
    ? `${ok.map((p) => `\`${p.source.command}\``).join(', ')} on ${ctx.nodeId} has no entry for ${flowText(ctx)}`
    : outputs.length
      ? outputs.map((p) => describeSource(p.source)).join('; ')
      : `netfilter's conntrack table was not captured`
  addUnproven(ctx, {
    kind: 'conntrack',
    host: ctx.nodeId,
    place: 'node',
    summary: `${ctx.cilium ? 'With legacy host routing netfilter tracks' : "The host stack's netfilter tracks"} ${flowText(ctx)} (entry not captured)`,
    facts: { table: 'netfilter' },
    evidence: outputs.map((p) => cite(p.source, [])),
    prove: { host: ctx.nodeId, command: `conntrack -L -s ${ctx.srcIp}`, why },
  })
}
