/**
 * LB step: a destination that is a Kubernetes service is translated to one of its backends — by
 * Cilium (its service map, looked up in from-container) or by kube-proxy (iptables DNAT in
 * PREROUTING: KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-…).
 *
 * The backend is never guessed. It is proven by what recorded this very flow — a Cilium CT entry
 * carrying the service's RevNAT id, netfilter conntrack's reply tuple, a `cilium monitor` trace of
 * the same flow id — or by a service that has a single backend. Otherwise the candidates are listed
 * and the hop is unproven, with the command that would tell.
 */
import type { Evidence } from '@/lib/model/walk'
import type { CiliumCtRecord, IptablesRule } from '@/lib/model/records'
import { splitAddrPort } from '@/lib/parsers/addr-port'
import { addHop, addUnproven, endpoint, type WalkContext } from '../context'
import { cite, type HostFacts, type ParsedIptables, type Source } from '../facts'
import { sameProtocol } from '../flow-match'

interface Candidate {
  ip: string
  port?: number
  evidence: Evidence[]
}

export interface ServiceMatch {
  /** ip:port as the tables print it */
  frontend: string
  /** who the tables say translates it: Cilium's service map or kube-proxy's rules */
  ciliumSeen: boolean
  iptablesSeen: boolean
  revNat?: number
  candidates: Candidate[]
  /** KUBE-SEP chains the KUBE-SVC chain jumps to but that were not captured */
  uncapturedEndpoints: string[]
  evidence: Evidence[]
  /** where the frontend was found, for summaries */
  found: string[]
  /** the client port of Cilium's service CT entry, to pick the flow entry of the same connection */
  clientPort?: number
}

interface Chosen {
  ip: string
  port?: number
  by: 'bpf' | 'iptables'
  how: string
  evidence: Evidence[]
  sport?: number
}

function sameFrontend(ctx: WalkContext, cell: string, protocol: string | undefined): boolean {
  const a = splitAddrPort(cell)
  if (a.addr !== ctx.flowDstIp) return false
  if (ctx.flowDstPort !== undefined && a.port !== undefined && a.port !== ctx.flowDstPort) return false
  const proto = protocol ?? a.protocol
  if (proto && ctx.protocol !== 'icmp' && !sameProtocol(proto, ctx.protocol)) return false
  return true
}

function addCandidate(list: Candidate[], address: string, ev: Evidence): void {
  const a = splitAddrPort(address)
  const prev = list.find((c) => c.ip === a.addr && c.port === a.port)
  if (prev) prev.evidence.push(ev)
  else list.push({ ip: a.addr, port: a.port, evidence: [ev] })
}

/** The agent of the source node first: service tables are cluster-wide, but its own is the one that translated. */
function ciliumHosts(ctx: WalkContext): HostFacts[] {
  const others = Object.values(ctx.facts.hosts).filter((h) => h !== ctx.agent && h !== ctx.node && h.host.role !== 'pod')
  return [ctx.agent, ctx.node, ...others].filter((h): h is HostFacts => h !== undefined)
}

function dportOf(rule: IptablesRule): number | undefined {
  for (const m of rule.otherMatches) {
    const x = /(?:\bdpt:|--dport\s+)(\d+)\b/.exec(m)
    if (x) return Number(x[1])
  }
  return undefined
}

function dnatTarget(rule: IptablesRule): string | undefined {
  for (let i = 0; i < rule.targetArgs.length; i++) {
    const a = rule.targetArgs[i] as string
    if (a === '--to-destination') return rule.targetArgs[i + 1]
    if (a.startsWith('to:')) return a.slice(3)
  }
  return undefined
}

/** Every nat rule of the node's iptables outputs, with its output; a grep'd listing's rows get the listed chain. */
function natRules(hf: HostFacts | undefined): { rule: IptablesRule; p: ParsedIptables; chain: string }[] {
  const out: { rule: IptablesRule; p: ParsedIptables; chain: string }[] = []
  for (const p of hf?.iptables ?? []) {
    for (const rule of p.records) {
      if (rule.table && rule.table !== 'nat' && rule.table !== 'unknown') continue
      const chain = rule.chain === 'unknown' || rule.chain === '' ? (p.source.info.chain ?? rule.chain) : rule.chain
      out.push({ rule, p, chain })
    }
  }
  return out
}

/** kube-proxy's rules for the frontend: KUBE-SERVICES → KUBE-SVC → each KUBE-SEP's DNAT. */
function kubeProxyService(ctx: WalkContext, m: ServiceMatch): void {
  const rules = natRules(ctx.node)
  const entry = rules.find(
    ({ rule }) =>
      rule.target !== undefined &&
      /^KUBE-(SVC|EXT|FW|XLB)-/.test(rule.target) &&
      rule.destination !== undefined &&
      !rule.destinationNot &&
      rule.destination.split('/')[0] === ctx.flowDstIp &&
      (ctx.flowDstPort === undefined || dportOf(rule) === undefined || dportOf(rule) === ctx.flowDstPort) &&
      (rule.protocol === undefined || ctx.protocol === 'icmp' || sameProtocol(rule.protocol, ctx.protocol)),
  )
  if (!entry) return
  m.iptablesSeen = true
  m.evidence.push(cite(entry.p.source, [entry.rule.line]))
  m.found.push(`\`${entry.p.source.command}\` L${entry.rule.line} (${entry.chain} → ${entry.rule.target})`)
  const svcChain = entry.rule.target as string
  const svcRules = rules.filter((r) => r.chain === svcChain)
  for (const r of svcRules) m.evidence.push(cite(r.p.source, [r.rule.line]))
  const seps = svcRules.map((r) => r.rule.target).filter((t): t is string => t !== undefined && t.startsWith('KUBE-SEP-'))
  // a service without endpoints has no KUBE-SVC rules but may DNAT directly (rare); a SVC chain that was not listed leaves the backends unknown
  for (const sep of seps) {
    const dnat = rules.find((r) => r.chain === sep && r.rule.target === 'DNAT')
    const to = dnat ? dnatTarget(dnat.rule) : undefined
    if (dnat && to) addCandidate(m.candidates, to, cite(dnat.p.source, [dnat.rule.line]))
    else m.uncapturedEndpoints.push(sep)
  }
}

/** The service the flow's destination is, from whatever tables the capture holds; undefined when none names it. */
export function findService(ctx: WalkContext): ServiceMatch | undefined {
  if (ctx.protocol === 'icmp' && !ctx.capture.flow.destination.service) return undefined
  const m: ServiceMatch = { frontend: endpoint(ctx.flowDstIp, ctx.flowDstPort), ciliumSeen: false, iptablesSeen: false, candidates: [], uncapturedEndpoints: [], evidence: [], found: [] }
  let tableSeen = false
  for (const hf of ciliumHosts(ctx)) {
    if (tableSeen) break
    for (const p of hf.services) {
      const svc = p.records.find((r) => sameFrontend(ctx, r.frontend, r.protocol))
      if (!svc) continue
      tableSeen = true
      m.ciliumSeen = true
      m.frontend = svc.frontend
      if (svc.id !== undefined) m.revNat = svc.id
      m.evidence.push(cite(p.source, [svc.line]))
      m.found.push(`\`${p.source.command}\` L${svc.line} (${svc.id !== undefined ? `service ${svc.id}` : 'service id not printed'})`)
      const live = svc.backends.filter((b) => b.state === undefined || /^active$/i.test(b.state))
      for (const b of live) addCandidate(m.candidates, b.address, cite(p.source, [b.line]))
      break
    }
    for (const p of hf.lbs) {
      const rows = p.records.filter((r) => sameFrontend(ctx, r.service, r.protocol))
      if (!rows.length) continue
      tableSeen = true
      m.ciliumSeen = true
      const master = rows.find((r) => r.master)
      m.revNat ??= rows.find((r) => r.revNat)?.revNat
      m.evidence.push(cite(p.source, (master ? [master] : rows).map((r) => r.line)))
      m.found.push(`\`${p.source.command}\``)
      for (const r of rows) if (!r.master) addCandidate(m.candidates, r.backend, cite(p.source, [r.line]))
      break
    }
  }
  // Cilium's service CT entry: `TCP OUT <frontend> -> <client> service … RevNAT=5` (or `TCP SVC client -> frontend`)
  for (const p of ctx.agent?.ciliumCt ?? []) {
    const svcEntry = p.records.find(
      (r) =>
        r.service &&
        sameProtocol(r.protocol, ctx.protocol) &&
        ((r.src === ctx.flowDstIp && (ctx.flowDstPort === undefined || r.sport === ctx.flowDstPort) && r.dst === ctx.srcIp) ||
          (r.dst === ctx.flowDstIp && (ctx.flowDstPort === undefined || r.dport === ctx.flowDstPort) && r.src === ctx.srcIp)),
    )
    if (!svcEntry) continue
    m.ciliumSeen = true
    if (svcEntry.revNat) m.revNat ??= svcEntry.revNat
    m.clientPort = svcEntry.src === ctx.srcIp ? svcEntry.sport : svcEntry.dport
    m.evidence.push(cite(p.source, [svcEntry.line]))
    m.found.push(`Cilium's service CT entry L${svcEntry.line}${svcEntry.revNat ? ` (RevNAT ${svcEntry.revNat})` : ''}`)
    break
  }
  kubeProxyService(ctx, m)
  const named = ctx.capture.flow.destination.service
  if (!m.ciliumSeen && !m.iptablesSeen && !named && !natTranslatedDst(ctx)) return undefined
  return m
}

/** Netfilter conntrack of the flow whose reply comes from another address: DNAT happened. */
function natTranslatedDst(ctx: WalkContext): { ip: string; port?: number; source: Source; line: number } | undefined {
  for (const p of ctx.node?.nfConntrack ?? []) {
    for (const r of p.records) {
      if (!(sameProtocol(r.protocol, ctx.protocol) || (r.protocolNumber !== undefined && sameProtocol(String(r.protocolNumber), ctx.protocol)))) continue
      if (r.original.src !== ctx.srcIp || r.original.dst !== ctx.flowDstIp) continue
      if (ctx.flowDstPort !== undefined && ctx.protocol !== 'icmp' && r.original.dport !== ctx.flowDstPort) continue
      if (r.reply.src === r.original.dst) continue
      return { ip: r.reply.src, port: ctx.protocol === 'icmp' ? undefined : r.reply.sport, source: p.source, line: r.line }
    }
  }
  return undefined
}

function fromCiliumCt(ctx: WalkContext, m: ServiceMatch): Chosen | undefined {
  const isCandidate = (r: CiliumCtRecord) => m.candidates.length === 0 || m.candidates.some((c) => c.ip === r.dst && (c.port === undefined || c.port === r.dport))
  for (const p of ctx.agent?.ciliumCt ?? []) {
    const hits = p.records.filter(
      (r) =>
        !r.service &&
        (r.direction === 'OUT' || r.direction === '') &&
        r.src === ctx.srcIp &&
        sameProtocol(r.protocol, ctx.protocol) &&
        r.revNat !== undefined &&
        r.revNat > 0 &&
        (m.revNat === undefined || r.revNat === m.revNat) &&
        isCandidate(r),
    )
    if (!hits.length) continue
    const r = hits.find((h) => m.clientPort !== undefined && h.sport === m.clientPort) ?? hits[0]
    if (!r) continue
    return {
      ip: r.dst,
      port: r.dport,
      by: 'bpf',
      sport: r.sport,
      how: `Cilium's CT entry L${r.line} ("${r.protocol} OUT ${endpoint(r.src, r.sport)} -> ${endpoint(r.dst, r.dport)}") carries RevNAT=${r.revNat}${m.revNat !== undefined ? `, the service's id` : ''}, so this connection went to ${endpoint(r.dst, r.dport)}`,
      evidence: [cite(p.source, [r.line])],
    }
  }
  return undefined
}

function fromMonitor(ctx: WalkContext): Chosen | undefined {
  for (const p of ctx.agent?.ciliumMonitor ?? []) {
    const toFrontend = p.records.find(
      // the flow's own protocol: a ping to the same frontend is traced with the same addresses
      (r) =>
        r.flow &&
        r.src === ctx.srcIp &&
        r.dst === ctx.flowDstIp &&
        (r.protocol === undefined || sameProtocol(r.protocol, ctx.protocol)) &&
        (ctx.protocol === 'icmp' || ctx.flowDstPort === undefined || r.dport === ctx.flowDstPort),
    )
    if (!toFrontend) continue
    const after = p.records.find((r) => r.flow === toFrontend.flow && r.line > toFrontend.line && r.src === ctx.srcIp && r.dst !== undefined && r.dst !== ctx.flowDstIp)
    if (!after?.dst) continue
    return {
      ip: after.dst,
      port: ctx.protocol === 'icmp' ? undefined : after.dport,
      by: 'bpf',
      sport: after.sport,
      how: `\`${p.source.command}\` traces flow ${toFrontend.flow} from ${endpoint(ctx.flowDstIp, ctx.flowDstPort)} (L${toFrontend.line}) to ${endpoint(after.dst, after.dport)} (L${after.line})`,
      evidence: [cite(p.source, [toFrontend.line, after.line])],
    }
  }
  return undefined
}

function choose(ctx: WalkContext, m: ServiceMatch): Chosen | undefined {
  const ct = fromCiliumCt(ctx, m)
  if (ct) return ct
  const nf = natTranslatedDst(ctx)
  if (nf) {
    return {
      ip: nf.ip,
      port: nf.port,
      by: 'iptables',
      how: `the conntrack entry L${nf.line} expects the reply from ${endpoint(nf.ip, nf.port)}, so the destination was translated (DNAT)`,
      evidence: [cite(nf.source, [nf.line])],
    }
  }
  const mon = fromMonitor(ctx)
  if (mon) return mon
  const only = m.candidates[0]
  if (m.candidates.length === 1 && only && m.uncapturedEndpoints.length === 0) {
    return {
      ip: only.ip,
      port: only.port,
      by: m.ciliumSeen && !m.iptablesSeen ? 'bpf' : m.iptablesSeen && !m.ciliumSeen ? 'iptables' : ctx.cilium ? 'bpf' : 'iptables',
      how: `the service has a single backend`,
      evidence: only.evidence,
    }
  }
  return undefined
}

/** Who translated, when an entry of this flow (or a single backend) says it. */
export function provenTranslator(ctx: WalkContext, m: ServiceMatch): 'bpf' | 'iptables' | undefined {
  return choose(ctx, m)?.by
}

/** Who translates when nothing recorded the flow: Cilium when it has the service (and kube-proxy does not, or KPR is on). */
export function expectedTranslator(ctx: WalkContext, m: ServiceMatch): 'bpf' | 'iptables' | undefined {
  const kpr = ctx.datapath.mode.kubeProxyReplacement
  const kprOn = kpr !== undefined && /^(true|strict|enabled?)$/i.test(kpr)
  if (m.ciliumSeen && (!m.iptablesSeen || kprOn)) return 'bpf'
  if (m.iptablesSeen && !m.ciliumSeen) return 'iptables'
  if (!m.ciliumSeen && !m.iptablesSeen) return ctx.cilium && kprOn ? 'bpf' : ctx.cilium ? undefined : 'iptables'
  return undefined
}

/** The lb hop; where it sits in the walk is the caller's choice (from-container for bpf, PREROUTING for iptables). */
export function lbStep(ctx: WalkContext, m: ServiceMatch, stage: 'bpf' | 'iptables'): void {
  const chosen = choose(ctx, m)
  const svcName = ctx.capture.flow.destination.service
  const svcText = `${svcName ? `the service ${svcName} (${m.frontend})` : `the service ${m.frontend}`}`
  if (chosen) {
    if (chosen.sport !== undefined && ctx.protocol !== 'icmp') ctx.portsSeen.push({ what: 'lb', line: chosen.evidence[0]?.lines[0] ?? 0, port: chosen.sport })
    const place = chosen.by === 'bpf' ? `Cilium's from-container (per-packet service LB)` : `kube-proxy's iptables DNAT in PREROUTING`
    if (chosen.by !== stage) {
      ctx.warnings.push(`The service translation was expected ${stage === 'bpf' ? 'in Cilium' : 'in iptables'} but the capture shows it done ${chosen.by === 'bpf' ? 'by Cilium' : 'by netfilter'}.`)
    }
    const backend = endpoint(chosen.ip, chosen.port)
    addHop(ctx, {
      kind: 'lb',
      host: ctx.nodeId,
      place: 'node',
      summary: `${place} translates ${svcText} to the backend ${backend}: ${chosen.how}${m.found.length ? ` (service found in ${m.found.join(', ')})` : ''}`,
      facts: { service: m.frontend, backend, by: chosen.by, revNat: m.revNat !== undefined ? String(m.revNat) : undefined },
      evidence: [...m.evidence, ...chosen.evidence],
      packet: { dstIp: chosen.ip, dstPort: chosen.port },
    })
    ctx.dstIp = chosen.ip
    ctx.dstPort = chosen.port
    return
  }
  const by = expectedTranslator(ctx, m)
  const candidates = m.candidates.map((c) => endpoint(c.ip, c.port))
  const listed = [...candidates, ...m.uncapturedEndpoints.map((s) => `${s} (chain not captured)`)]
  const bpfSide = by !== 'iptables' && ctx.cilium
  const prove = bpfSide
    ? { ...ctx.agentAt, command: m.ciliumSeen ? `cilium bpf ct list global | grep ${ctx.srcIp}` : 'cilium service list', why: '' }
    : { host: ctx.nodeId, command: m.iptablesSeen ? `conntrack -L -d ${ctx.flowDstIp}` : 'iptables-save -t nat', why: '' }
  prove.why = listed.length
    ? `${listed.length} candidate backend${listed.length > 1 ? 's' : ''} (${listed.join(', ')}) and no entry of this flow says which one was picked`
    : m.ciliumSeen || m.iptablesSeen
      ? `the service's backends were not captured`
      : `${svcText} appears in no service table of the capture (\`cilium service list\`, \`iptables-save -t nat\`)`
  addUnproven(ctx, {
    kind: 'lb',
    host: ctx.nodeId,
    place: 'node',
    summary: `${by === 'bpf' ? `Cilium's from-container` : by === 'iptables' ? `kube-proxy's iptables DNAT` : 'The service load balancer'} translates ${svcText} to one of its backends (which one is not captured)${listed.length ? `: candidates ${listed.join(', ')}` : ''}`,
    facts: { service: m.frontend, by, candidates: listed.length ? listed.join(', ') : undefined, revNat: m.revNat !== undefined ? String(m.revNat) : undefined },
    evidence: [...m.evidence, ...m.candidates.flatMap((c) => c.evidence)],
    prove,
  })
  ctx.backendUnknown = true
}
