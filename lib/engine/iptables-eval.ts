/**
 * evaluateNat: runs a packet through the nat table's POSTROUTING chain the way netfilter would —
 * rules in order, -s/-d/-o/-p with their `!` negations, jumps (-j) and gotos (-g) into user
 * chains, RETURN — and says which rule translates it. A rule that also selects on something we
 * cannot know (a mark, a conntrack state, an ipset) is assumed not to match and is reported, so
 * the caller can say the answer rests on that assumption; so are the rules decided only by taking
 * kube-proxy's mark bit as clear, and the unevaluated jumps that could hide a translation.
 */
import type { IptablesRule } from '@/lib/model/records'
import { cidrContains, parseCidr } from '@/lib/net'
import { sameProtocol } from './flow-match'
import type { Protocol } from '@/lib/model/capture'

export interface NatPacket {
  src: string
  dst: string
  outInterface: string
  protocol: Protocol
  dport?: number
  /**
   * Assume kube-proxy's masquerade bit (0x4000) is clear: a pod's packet only carries it after
   * KUBE-MARK-MASQ, which the walk reports when it sees the packet go through it.
   */
  kubeMarkClear?: boolean
}

export interface NatVerdict {
  /** masquerade / snat when a rule translates the source; accept when a rule or the policy lets it pass untouched */
  verdict: 'masquerade' | 'snat' | 'accept'
  rule?: IptablesRule
  /** the jump rules that led to `rule`, outermost first */
  path: IptablesRule[]
  /** rules whose extra matches could not be evaluated (assumed not to match) */
  unevaluated: IptablesRule[]
  /**
   * Unevaluated rules met before `rule` that would have ended or diverted the walk (RETURN, ACCEPT,
   * a jump, a translation) had they matched: the verdict holds only if they did not.
   */
  shadowedBy: IptablesRule[]
  /**
   * Rules decided only by assuming kube-proxy's 0x4000 mark bit is clear (`kubeMarkClear`): the
   * verdict rests on that assumption, and the caller must say so.
   */
  assumedMarkClear: IptablesRule[]
  /**
   * Unevaluated jumps into chains that hold a MASQUERADE or SNAT rule: a translation hidden behind
   * a match the engine cannot decide, so an `accept` verdict does not prove "no NAT".
   */
  hiddenTranslations: IptablesRule[]
}

/** `cilium_+` matches every name starting with `cilium_`; otherwise names compare exactly. */
export function interfaceMatches(pattern: string, dev: string): boolean {
  return pattern.endsWith('+') ? dev.startsWith(pattern.slice(0, -1)) : pattern === dev
}

function addressMatches(spec: string, ip: string): boolean | undefined {
  // iptables-save prints one prefix per rule; `-s a,b` would be two rules
  const parts = spec.split(',')
  let any = false
  for (const p of parts) {
    if (!parseCidr(p)) return undefined
    if (cidrContains(p, ip)) any = true
  }
  return any
}

/** `-m mark ! --mark 0x4000/0x4000` / `mark match ! 0x4000/0x4000`: decided only for kube-proxy's bit, when it is known clear. */
function markMatch(m: string, pkt: NatPacket): Match | undefined {
  const x = /^(?:-m\s+mark\s+(!\s+)?--mark|mark\s+match\s+(!\s+)?)\s*(0x[0-9a-f]+|\d+)(?:\/(0x[0-9a-f]+|\d+))?\s*$/i.exec(m.trim())
  if (!x) return undefined
  const negate = !!(x[1] ?? x[2])
  const value = Number(x[3])
  const mask = x[4] !== undefined ? Number(x[4]) : 0xffffffff
  if (!pkt.kubeMarkClear || mask !== 0x4000) return 'unknown'
  const matches = (0 & mask) === (value & mask)
  return matches !== negate
}

/**
 * The extra matches: comments never select; `-m tcp|udp --dport N` is decided when the flow has a
 * port; kube-proxy's mark bit under `kubeMarkClear` (reported as an assumption); anything else
 * (other marks, sets, states, sport) is "unknown".
 */
function otherMatches(rule: IptablesRule, pkt: NatPacket): { match: Match; assumed: boolean } {
  let result: Match = true
  let assumed = false
  let assumedFalse = false
  for (const m of rule.otherMatches) {
    if (/^-m\s+comment\b/.test(m) || /^--comment\b/.test(m) || /^-m\s+(tcp|udp|icmp)\s*$/.test(m)) continue
    const mark = markMatch(m, pkt)
    if (mark === 'unknown') {
      result = 'unknown'
      continue
    }
    if (mark !== undefined) {
      // only kube-proxy's bit, under `kubeMarkClear`, gets a true/false here: an assumption
      assumed = true
      if (!mark) assumedFalse = true
      continue
    }
    const port = /^-m\s+(?:tcp|udp)\s+(!\s+)?--dport\s+(\d+)(?::(\d+))?\s*$/.exec(m)
    if (port && pkt.dport !== undefined) {
      const lo = Number(port[2])
      const hi = port[3] !== undefined ? Number(port[3]) : lo
      const inside = pkt.dport >= lo && pkt.dport <= hi
      // a match decided from the packet itself: no assumption needed
      if (inside === !!port[1]) return { match: false, assumed: false }
      continue
    }
    result = 'unknown'
  }
  if (assumedFalse) return { match: false, assumed: true }
  return { match: result, assumed: assumed && result !== 'unknown' }
}

type Match = true | false | 'unknown'

function evaluateRule(rule: IptablesRule, pkt: NatPacket): { match: Match; assumed: boolean } {
  const no = { match: false, assumed: false } as const
  if (rule.source !== undefined) {
    const m = addressMatches(rule.source, pkt.src)
    if (m === undefined) return { match: 'unknown', assumed: false }
    if (m === !!rule.sourceNot) return no
  }
  if (rule.destination !== undefined) {
    const m = addressMatches(rule.destination, pkt.dst)
    if (m === undefined) return { match: 'unknown', assumed: false }
    if (m === !!rule.destinationNot) return no
  }
  if (rule.outInterface !== undefined) {
    if (interfaceMatches(rule.outInterface, pkt.outInterface) === !!rule.outInterfaceNot) return no
  }
  // -i cannot appear in POSTROUTING; if a listing shows one, we cannot decide it
  if (rule.inInterface !== undefined) return { match: 'unknown', assumed: false }
  if (rule.protocol !== undefined && rule.protocol !== 'all' && rule.protocol !== '0') {
    if (!sameProtocol(rule.protocol, pkt.protocol)) return no
  }
  return otherMatches(rule, pkt)
}

export function ruleMatches(rule: IptablesRule, pkt: NatPacket): Match {
  return evaluateRule(rule, pkt).match
}

const MAX_DEPTH = 16

/**
 * Walks nat POSTROUTING (or `startChain` when only one chain was listed) for `pkt`.
 * `undefined` when the rules do not contain the start chain at all.
 */
export function evaluateNat(rules: readonly IptablesRule[], pkt: NatPacket, startChain = 'POSTROUTING'): NatVerdict | undefined {
  const byChain = new Map<string, IptablesRule[]>()
  for (const r of rules) {
    // a grep'd iptables-save loses its `*nat` line: rows of an unknown table may be nat rows
    if (r.table && r.table !== 'nat' && r.table !== 'unknown') continue
    let list = byChain.get(r.chain)
    if (!list) byChain.set(r.chain, (list = []))
    list.push(r)
  }
  if (!byChain.has(startChain)) return undefined
  const unevaluated: IptablesRule[] = []
  const shadowing: IptablesRule[] = []
  const assumedMarkClear: IptablesRule[] = []
  const hiddenTranslations: IptablesRule[] = []
  // whether a chain (or one it jumps to) holds a translating rule
  const translates = (chain: string, seen: Set<string>): boolean => {
    if (seen.has(chain)) return false
    seen.add(chain)
    return (byChain.get(chain) ?? []).some((r) => r.target === 'MASQUERADE' || r.target === 'SNAT' || (r.target !== undefined && byChain.has(r.target) && translates(r.target, seen)))
  }

  type Outcome = { kind: 'return' } | { kind: 'final'; verdict: NatVerdict['verdict']; rule?: IptablesRule; path: IptablesRule[] }
  const run = (chain: string, path: IptablesRule[], depth: number): Outcome => {
    if (depth > MAX_DEPTH) return { kind: 'return' }
    for (const rule of byChain.get(chain) ?? []) {
      const { match: m, assumed } = evaluateRule(rule, pkt)
      if (m === 'unknown') {
        if (rule.target) unevaluated.push(rule)
        if (rule.target && !NON_TERMINATING.has(rule.target)) shadowing.push(rule)
        if (rule.target && byChain.has(rule.target) && translates(rule.target, new Set())) hiddenTranslations.push(rule)
        continue
      }
      if (assumed && rule.target && !NON_TERMINATING.has(rule.target)) assumedMarkClear.push(rule)
      if (!m) continue
      const t = rule.target
      if (!t) continue
      if (t === 'MASQUERADE') return { kind: 'final', verdict: 'masquerade', rule, path }
      if (t === 'SNAT') return { kind: 'final', verdict: 'snat', rule, path }
      if (t === 'ACCEPT') return { kind: 'final', verdict: 'accept', rule, path }
      if (t === 'RETURN') return { kind: 'return' }
      if (byChain.has(t)) {
        const out = run(t, [...path, rule], depth + 1)
        if (out.kind === 'final') return out
        if (rule.goto) return { kind: 'return' }
        continue
      }
      // MARK, LOG, CT…: non-terminating, or a chain we were not shown
    }
    return { kind: 'return' }
  }
  const out = run(startChain, [], 0)
  const common = { unevaluated, shadowedBy: shadowing, assumedMarkClear, hiddenTranslations }
  if (out.kind === 'final') return { verdict: out.verdict, rule: out.rule, path: out.path, ...common }
  return { verdict: 'accept', path: [], ...common }
}

/** Targets that let the packet go on to the next rule. */
const NON_TERMINATING = new Set(['MARK', 'LOG', 'KUBE-MARK-MASQ', 'KUBE-MARK-DROP', 'CONNMARK', 'CT', 'NOTRACK', 'TRACE', 'NFLOG'])
