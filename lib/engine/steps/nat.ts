/**
 * NAT step: the source translation a pod → outside packet gets on its way out — by iptables
 * (Cilium's CILIUM_POST_nat MASQUERADE rule, really evaluated against this packet) or by BPF
 * (an XLATE_SRC entry of `cilium bpf nat list`). The translated address comes from what the
 * kernel recorded: netfilter conntrack's reply tuple or the BPF NAT entry; failing those, the
 * out interface's address (what MASQUERADE picks). Destinations inside the cluster are not
 * masqueraded, and the walk says why.
 */
import type { Evidence } from '@/lib/model/walk'
import type { IptablesRule } from '@/lib/model/records'
import { cidrContains } from '@/lib/net'
import { addHop, addUnproven, endpoint, type WalkContext } from '../context'
import { cite, describeSource, type HostFacts, type ParsedIptables } from '../facts'
import { evaluateNat, type NatVerdict } from '../iptables-eval'
import { matchCiliumNat } from '../flow-match'
import { findNfEntry, flowKey } from './conntrack'
import { lookupIpcache, tunnelEndpointOf, WORLD_IDENTITY } from '../ipcache'

/** Why the destination is inside the cluster (so not masqueraded), or undefined. */
export function destinationInCluster(ctx: WalkContext): string | undefined {
  const d = ctx.capture.flow.destination
  if (d.pod) return `the destination is the pod ${d.pod}`
  if (d.node) return `the destination runs on the node ${d.node}`
  if (ctx.datapath.nativeCidr && cidrContains(ctx.datapath.nativeCidr, ctx.dstIp)) {
    return `${ctx.dstIp} is inside the native routing CIDR ${ctx.datapath.nativeCidr}`
  }
  for (const p of ctx.agent?.endpoints ?? []) {
    const e = p.records.find((r) => r.ipv4 === ctx.dstIp)
    if (e) return `${ctx.dstIp} is Cilium endpoint ${e.id} (\`${p.source.command}\` L${e.line})`
  }
  const hit = lookupIpcache(ctx, ctx.dstIp)
  const remote = tunnelEndpointOf(hit)
  if (hit && remote && hit.record.identity !== WORLD_IDENTITY) {
    return `the ipcache (\`${hit.source.command}\` on ${hit.source.host} L${hit.record.line}) places ${ctx.dstIp} (${hit.record.identity !== undefined ? `identity ${hit.record.identity}` : 'identity not printed'}) behind the node ${remote}`
  }
  return undefined
}

/** The first IPv4 address of `device` on the node (what MASQUERADE would pick), with its line. */
function deviceAddress(hf: HostFacts | undefined, device: string | undefined): { ip: string; evidence: Evidence } | undefined {
  if (!hf || !device) return undefined
  for (const p of hf.interfaces) {
    for (const i of p.records) {
      if (i.name !== device) continue
      const a = i.addresses.find((x) => x.family === 'inet')
      if (a) return { ip: a.ip, evidence: cite(p.source, [a.line]) }
    }
  }
  return undefined
}

function snatTarget(rule: IptablesRule): string | undefined {
  const i = rule.targetArgs.indexOf('--to-source')
  const v = i >= 0 ? rule.targetArgs[i + 1] : undefined
  return v?.split(':')[0]?.split('-')[0]
}

interface Evaluated {
  p: ParsedIptables
  v: NatVerdict
  startChain: string
}

/** An `accept` verdict proves "no NAT" only from a whole nat table with every translating rule evaluated. */
function conclusive(ev: Evaluated): boolean {
  if (!ev.p.source.info.complete || ev.startChain !== 'POSTROUTING') return false
  return !ev.v.unevaluated.some((r) => r.target === 'MASQUERADE' || r.target === 'SNAT') && ev.v.hiddenTranslations.length === 0
}

function describeExtra(rules: IptablesRule[]): string {
  const text = rules.flatMap((r) => r.otherMatches).join(' ')
  const parts: string[] = []
  if (/match-set|--match-set/.test(text)) parts.push('ipsets')
  if (/mark/.test(text)) parts.push('marks')
  if (/state|ctstate/.test(text)) parts.push('conntrack states')
  return parts.length ? parts.join(' and ') : 'matches'
}

function evaluateAll(ctx: WalkContext, outDevice: string): Evaluated | undefined {
  const pkt = { src: ctx.srcIp, dst: ctx.dstIp, outInterface: outDevice, protocol: ctx.protocol, dport: ctx.dstPort, kubeMarkClear: true }
  const outputs = (ctx.node?.iptables ?? []).filter((p) => p.records.length > 0)
  // a whole nat table first; then single-chain listings (`iptables -t nat -nvL CHAIN`), merged, from
  // POSTROUTING or else from a chain POSTROUTING jumps to — never PREROUTING/OUTPUT, which do not SNAT
  for (const p of outputs) {
    const v = evaluateNat(p.records, pkt)
    if (v) return { p, v, startChain: 'POSTROUTING' }
  }
  const merged = outputs.flatMap((p) => p.records.map((r) => (r.chain === 'unknown' && p.source.info.chain ? { ...r, chain: p.source.info.chain } : r)))
  const first = outputs[0]
  if (!first) return undefined
  const v = evaluateNat(merged, pkt)
  if (v) return { p: first, v, startChain: 'POSTROUTING' }
  for (const p of outputs) {
    const chain = p.source.info.chain
    if (!chain || !/POST|nat-outgoing|MASQ/i.test(chain)) continue
    const cv = evaluateNat(merged, pkt, chain)
    if (cv) return { p: outputs.find((o) => cv.rule && o.records.includes(cv.rule)) ?? p, v: cv, startChain: chain }
  }
  return undefined
}

export function natStep(ctx: WalkContext, opts: { outDevice?: string }): void {
  const inCluster = destinationInCluster(ctx)
  if (inCluster) {
    ctx.datapath.mode.basis.push(`no masquerade: ${inCluster}`)
    return
  }
  const mode = ctx.datapath.mode.masquerade
  if (mode === 'none') {
    ctx.datapath.mode.basis.push('no masquerade: masquerading is disabled, the pod address leaves the node as is')
    return
  }
  if (mode === 'bpf') return bpfNat(ctx, opts)
  if (mode === undefined && !(ctx.node?.iptables.some((p) => p.records.length > 0)) && !findNfEntry(ctx)) {
    // neither the configuration nor any rule or conntrack entry says whether this node masquerades
    ctx.warnings.push(
      `Whether ${ctx.nodeId} masquerades ${ctx.srcIp} is unknown: no masquerade setting, nat rule or conntrack entry was captured (\`cilium status\` on ${ctx.agentId} or \`iptables-save -t nat\` on ${ctx.nodeId} would tell).`,
    )
    return
  }
  return iptablesNat(ctx, opts)
}

function bpfNat(ctx: WalkContext, opts: { outDevice?: string }): void {
  const outputs = ctx.agent?.ciliumNat ?? []
  for (const p of outputs) {
    const r = matchCiliumNat(p.records, flowKey(ctx))[0]
    if (!r) continue
    if (ctx.protocol !== 'icmp' && r.sport !== undefined) ctx.portsSeen.push({ what: `\`${p.source.command}\``, line: r.line, port: r.sport })
    addHop(ctx, {
      kind: 'nat',
      host: ctx.nodeId,
      place: 'node',
      summary: `BPF masquerade${opts.outDevice ? ` on ${opts.outDevice}` : ''}: the source ${endpoint(r.src, r.sport)} becomes ${endpoint(r.to, r.toPort)} (\`${p.source.command}\` XLATE_SRC)`,
      facts: { type: 'masquerade', by: 'bpf', from: r.src, to: r.to, entry: r.text.trim() },
      evidence: [cite(p.source, [r.line]), ...ctx.datapath.evidence.masquerade],
      packet: { srcIp: r.to, srcPort: ctx.protocol !== 'icmp' && r.toPort !== undefined && r.toPort !== r.sport ? r.toPort : undefined },
    })
    return
  }
  addUnproven(ctx, {
    kind: 'nat',
    host: ctx.nodeId,
    place: 'node',
    summary: `BPF masquerade${opts.outDevice ? ` on ${opts.outDevice}` : ''} rewrites the source ${ctx.srcIp} to the node's address (entry not captured)`,
    facts: { type: 'masquerade', by: 'bpf', from: ctx.srcIp },
    evidence: [...outputs.map((p) => cite(p.source, [])), ...ctx.datapath.evidence.masquerade],
    prove: {
      ...ctx.agentAt,
      command: 'cilium bpf nat list',
      why: outputs.some((p) => p.source.failure === undefined)
        ? `\`cilium bpf nat list\` on ${ctx.agentId} has no XLATE_SRC entry for ${ctx.srcIp} → ${ctx.dstIp}`
        : outputs.length
          ? outputs.map((p) => describeSource(p.source)).join('; ')
          : 'the BPF NAT table was not captured',
    },
  })
}

/** A rule as a reader wants to see it: no `-A CHAIN`, no comment. */
export function ruleQuote(r: IptablesRule): string {
  let text = r.text.trim().replace(/^\[\d+:\d+\]\s*/, '')
  // `iptables -L` rows: drop the num and counter columns
  if (r.ruleNumber !== undefined) text = text.replace(/^\d+\s+/, '')
  if (r.packets !== undefined) text = text.replace(/^\d+[KMGT]?\s+\d+[KMGT]?\s+/, '')
  return text
    .replace(/^-A\s+\S+\s+/, '')
    .replace(/\s*-m\s+comment\s+--comment\s+("[^"]*"|\S+)/g, '')
    .replace(/\s*\/\*.*?\*\//g, '')
    .replace(/\s+/g, ' ')
}

interface Assumption {
  /** for the hop's `assumes` fact */
  fact: string
  /** for the datapath basis */
  basis: string
  lines: number[]
}

/**
 * What the verdict takes for granted: kube-proxy's 0x4000 mark bit clear (the capture cannot show
 * a packet's mark), and, when conntrack proves a translation, that the unevaluated rules before
 * the matched one did not match (so that the cited rule is the one that did it).
 */
function assumptionsOf(ctx: WalkContext, ev: Evaluated, translated: boolean): Assumption[] {
  const out: Assumption[] = []
  const cmd = `\`${ev.p.source.command}\``
  const marks = ev.v.assumedMarkClear
  if (marks.length) {
    const where = marks.map((r) => `${r.chain} L${r.line}`).join(', ')
    const quoted = marks.map((r) => `"${ruleQuote(r)}"`).join(', ')
    out.push({
      fact: `the packet lacks kube-proxy's mark 0x4000, which ${where} test${marks.length > 1 ? '' : 's'}`,
      basis: `assumption: the NAT verdict for ${ctx.srcIp} → ${ctx.dstIp} takes kube-proxy's masquerade mark 0x4000 as clear: ${where} of ${cmd} (${quoted}) test${marks.length > 1 ? '' : 's'} it, and a packet's mark is not in any output. A pod's packet only carries it after KUBE-MARK-MASQ (e.g. a service reached from outside the pod range, or hairpin traffic)`,
      lines: marks.map((r) => r.line),
    })
  }
  const shadow = ev.v.verdict !== 'accept' && translated ? ev.v.shadowedBy : []
  if (shadow.length) {
    const where = shadow.map((r) => `${r.chain} L${r.line}`).join(', ')
    out.push({
      fact: `${where} (${describeExtra(shadow)}) did not match`,
      basis: `assumption: ${where} of ${cmd} select${shadow.length > 1 ? '' : 's'} on ${describeExtra(shadow)} the engine cannot evaluate; the walk takes ${ev.v.rule ? `${ev.v.rule.chain} L${ev.v.rule.line}` : 'the matched rule'} as the rule that translated ${ctx.srcIp} (conntrack proves the translation itself)`,
      lines: shadow.map((r) => r.line),
    })
  }
  return out
}

function iptablesNat(ctx: WalkContext, opts: { outDevice?: string }): void {
  const outDevice = opts.outDevice ?? ''
  const ev = outDevice ? evaluateAll(ctx, outDevice) : undefined
  const nf = findNfEntry(ctx)
  const translated = nf && nf.record.reply.dst !== nf.record.original.src ? nf.record.reply.dst : undefined
  const translatedPort =
    nf && ctx.protocol !== 'icmp' && nf.record.reply.dport !== undefined && nf.record.reply.dport !== nf.record.original.sport ? nf.record.reply.dport : undefined
  const evidence: Evidence[] = []
  let rule: IptablesRule | undefined
  let type: 'masquerade' | 'snat' = 'masquerade'
  let noRuleNote = ''
  const assumptions = ev ? assumptionsOf(ctx, ev, translated !== undefined) : []
  const assumes = assumptions.length ? assumptions.map((a) => a.fact).join('; ') : undefined
  const assumeText = assumes ? `. This assumes ${assumes}` : ''
  for (const a of assumptions) ctx.datapath.mode.basis.push(a.basis)

  if (ev) {
    const { v, p } = ev
    const assumedLines = assumptions.flatMap((a) => a.lines)
    if ((v.verdict === 'masquerade' || v.verdict === 'snat') && v.shadowedBy.length && !translated) {
      const sh = v.shadowedBy
      addUnproven(ctx, {
        kind: 'nat',
        host: ctx.nodeId,
        place: 'node',
        summary: `iptables ${v.verdict === 'snat' ? 'SNAT' : 'MASQUERADE'} by ${v.rule?.chain} L${v.rule?.line} would translate the source ${ctx.srcIp}, unless ${sh.map((r) => `${r.chain} L${r.line} (${r.target})`).join(', ')} matched first: ${describeExtra(sh)} the engine cannot evaluate${assumeText}`,
        facts: { type: v.verdict, by: 'iptables', from: ctx.srcIp, rule: v.rule?.text.trim(), assumes },
        evidence: [cite(p.source, [...v.path.map((r) => r.line), ...sh.map((r) => r.line), ...(v.rule ? [v.rule.line] : []), ...assumedLines]), ...ctx.datapath.evidence.masquerade],
        prove: { host: ctx.nodeId, command: `conntrack -L -s ${ctx.srcIp}`, why: `${sh.map((r) => `L${r.line}`).join(', ')} select${sh.length > 1 ? '' : 's'} on ${describeExtra(sh)} the engine cannot evaluate` },
      })
      return
    }
    if (v.verdict === 'masquerade' || v.verdict === 'snat') {
      rule = v.rule
      type = v.verdict
      evidence.push(cite(p.source, [...v.path.map((r) => r.line), ...(rule ? [rule.line] : []), ...assumedLines]))
    } else if (!translated && !conclusive(ev)) {
      const doubt = [...ev.v.unevaluated.filter((r) => r.target === 'MASQUERADE' || r.target === 'SNAT'), ...ev.v.hiddenTranslations]
      const why = doubt.length
        ? `rule${doubt.length > 1 ? 's' : ''} ${doubt.map((r) => `${r.chain} L${r.line} (${r.target})`).join(', ')} of \`${p.source.command}\` would translate it but select${doubt.length > 1 ? '' : 's'} on ${describeExtra(doubt)} the engine cannot evaluate`
        : `\`${p.source.command}\` is ${ev.startChain === 'POSTROUTING' ? 'filtered' : `only the ${ev.startChain} chain`}, so finding no matching rule proves nothing`
      const doubtRule = doubt[0]
      addUnproven(ctx, {
        kind: 'nat',
        host: ctx.nodeId,
        place: 'node',
        summary: `iptables may masquerade the source ${ctx.srcIp} on its way out of ${outDevice}${doubtRule ? ` (${doubtRule.chain} L${doubtRule.line} "${ruleQuote(doubtRule)}", if its match holds)` : ''}: not decided from the capture${assumeText}`,
        facts: { type: doubtRule?.target === 'SNAT' ? 'snat' : 'masquerade', by: 'iptables', from: ctx.srcIp, rule: doubtRule?.text.trim(), assumes },
        evidence: [cite(p.source, [...ev.v.path.map((r) => r.line), ...doubt.map((r) => r.line), ...assumedLines]), ...ctx.datapath.evidence.masquerade],
        prove: { host: ctx.nodeId, command: `conntrack -L -s ${ctx.srcIp}`, why },
      })
      return
    } else if (!translated) {
      ctx.datapath.mode.basis.push(
        `no masquerade: no rule of nat ${ev.startChain} in \`${p.source.command}\` translates ${ctx.srcIp} → ${ctx.dstIp} out of ${outDevice}${assumes ? ` (assuming ${assumes})` : ''}`,
      )
      if (nf) ctx.datapath.mode.basis.push(`netfilter conntrack L${nf.record.line} agrees: the reply goes back to ${nf.record.reply.dst}`)
      return
    } else if (conclusive(ev)) {
      ctx.warnings.push(
        `No nat rule in \`${p.source.command}\` on ${ctx.nodeId} matches ${ctx.srcIp} → ${ctx.dstIp} out of ${outDevice}, yet netfilter conntrack L${nf?.record.line} shows the source translated to ${translated}: the outputs disagree.`,
      )
    }
    // else: a rule the engine could not evaluate did it; conntrack proves the translation, not the rule
  } else if (nf && !translated) {
    ctx.datapath.mode.basis.push(
      `no masquerade: netfilter conntrack L${nf.record.line} (\`${nf.source.command}\`) sends the reply back to ${nf.record.reply.dst}, the pod's own address`,
    )
    return
  } else {
    const counts = (ctx.node?.counts ?? []).filter((s) => s.info.kind === 'iptables-save' || s.info.kind === 'iptables-list')
    const countNote = counts.length ? ` (only ${counts.map((s) => `\`${s.command}\``).join(', ')}, a count, was captured)` : ''
    if (translated) {
      ctx.warnings.push(`The MASQUERADE rule itself was not captured${countNote}: \`iptables-save -t nat\` on ${ctx.nodeId} would show which rule translates the packet.`)
    }
    noRuleNote = countNote
  }

  if (nf) evidence.push(cite(nf.source, [nf.record.line]))
  let to = translated
  let toBasis = translated ? `the conntrack entry (L${nf?.record.line}) expects the reply at ${translated}` : ''
  if (!to && rule && type === 'snat') {
    to = snatTarget(rule)
    if (to) toBasis = `the rule's --to-source is ${to}`
  }
  if (!to && rule) {
    const addr = deviceAddress(ctx.node, outDevice)
    if (addr) {
      to = addr.ip
      toBasis = `MASQUERADE takes ${outDevice}'s address, ${addr.ip}`
      evidence.push(addr.evidence)
    }
  }
  if (to) {
    const addr = deviceAddress(ctx.node, outDevice)
    if (addr && addr.ip !== to && type === 'masquerade') {
      ctx.warnings.push(`The translated source ${to} is not ${outDevice}'s first address ${addr.ip} on ${ctx.nodeId}: check that these outputs come from the same node.`)
    }
  }
  for (const e of ctx.datapath.evidence.masquerade) evidence.push(e)

  const matched = rule && ev ? `${[...ev.v.path, rule].map((r) => `${r.chain} L${r.line}`).join(' → ')} matches ("${ruleQuote(rule)}")` : undefined
  const facts = { type, by: 'iptables', from: ctx.srcIp, to, rule: rule?.text.trim(), assumes }
  if ((rule || translated) && to) {
    const because = matched ? `${matched}, and ${toBasis}` : `${toBasis}; the rule itself was not captured`
    addHop(ctx, {
      kind: 'nat',
      host: ctx.nodeId,
      place: 'node',
      summary: `iptables ${type === 'snat' ? 'SNAT' : 'MASQUERADE'} rewrites the source ${ctx.srcIp} to ${to}${translatedPort !== undefined ? `:${translatedPort}` : ''}: ${because}${assumeText}`,
      facts,
      evidence,
      packet: { srcIp: to, srcPort: translatedPort },
    })
    return
  }
  addUnproven(ctx, {
    kind: 'nat',
    host: ctx.nodeId,
    place: 'node',
    summary: `iptables masquerades the source ${ctx.srcIp} on its way out${outDevice ? ` of ${outDevice}` : ''}${matched ? ` (${matched})` : ''}, to an address the capture does not show${assumeText}`,
    facts,
    evidence,
    prove: rule
      ? { host: ctx.nodeId, command: `conntrack -L -s ${ctx.srcIp}`, why: `the rule matches but the translated address is not in the capture` }
      : { host: ctx.nodeId, command: 'iptables-save -t nat', why: `neither the nat rules nor a translated conntrack entry of ${ctx.srcIp} → ${ctx.dstIp} were captured${noRuleNote}` },
  })
}
