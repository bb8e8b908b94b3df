/**
 * lookupRoute: the kernel's routing decision for one destination, from the routing outputs of
 * one namespace. Policy rules (`ip rule`) are walked in priority order when captured; without
 * them the kernel's default rules apply (local, main, default). Rules that select on marks or
 * interfaces the engine cannot know are skipped and reported, never guessed.
 */
import type { RouteRecord, RuleRecord } from '@/lib/model/records'
import { cidrContains, longestPrefixMatch, parseCidr } from '@/lib/net'
import type { Parsed, Source } from './facts'

export interface RouteDecision {
  route: RouteRecord
  source: Source
  /** normalised table name: main, local, default or the number/name printed */
  table: string
  rule?: { rule: RuleRecord; source: Source }
  /** rules skipped because they select on something unknown (fwmark, oif…) */
  skippedRules: { rule: RuleRecord; source: Source }[]
}

const TABLE_NAMES: Record<string, string> = { '254': 'main', '255': 'local', '253': 'default' }
export function normaliseTable(t: string | undefined): string {
  if (!t) return 'main'
  return TABLE_NAMES[t] ?? t
}

/** Sources in the order the engine trusts them: iproute2, then net-tools, then /proc; whole outputs before grep-filtered ones. */
function rank(p: Parsed<RouteRecord>): number {
  const kind = p.source.info.kind
  const base = kind === 'ip-route' ? 0 : kind === 'route-n' ? 1 : 2
  return base + (p.source.info.complete ? 0 : 10)
}

export interface LookupInput {
  routes: readonly Parsed<RouteRecord>[]
  rules: readonly Parsed<RuleRecord>[]
  dst: string
  src?: string
  /** the interface the packet came in on (a rule's `iif` selector) */
  iif?: string
}

function ruleSelects(rule: RuleRecord, input: LookupInput): boolean | 'unknown' {
  if (rule.fwmark !== undefined || rule.oif !== undefined) return 'unknown'
  let ok = true
  if (rule.from && rule.from !== 'all') ok &&= input.src !== undefined && cidrContains(rule.from, input.src)
  if (rule.to && rule.to !== 'all') ok &&= cidrContains(rule.to, input.dst)
  if (rule.iif !== undefined) {
    if (input.iif === undefined) return 'unknown'
    ok &&= rule.iif === input.iif
  }
  return rule.not ? !ok : ok
}

function matchIn(routes: readonly RouteRecord[], table: string, dst: string): RouteRecord | undefined {
  const inTable = routes.filter((r) => normaliseTable(r.table) === table && !(r.type && /^(broadcast|multicast|anycast)$/.test(r.type)))
  return longestPrefixMatch(inTable, (r) => parseCidr(r.destination), dst, (r) => r.metric)
}

function decide(p: Parsed<RouteRecord>, input: LookupInput): RouteDecision | undefined {
  const skippedRules: RouteDecision['skippedRules'] = []
  const tables = new Set(p.records.map((r) => normaliseTable(r.table)))
  const ruleList = input.rules.flatMap((rp) => rp.records.map((rule) => ({ rule, source: rp.source })))
  ruleList.sort((a, b) => a.rule.priority - b.rule.priority)
  if (ruleList.length === 0) {
    // the kernel's default policy: local, main, default — a table missing from the output is empty to us
    for (const t of ['local', 'main', 'default']) {
      if (!tables.has(t)) continue
      const route = matchIn(p.records, t, input.dst)
      if (route && route.type !== 'throw') return { route, source: p.source, table: t, skippedRules }
    }
    return undefined
  }
  for (const entry of ruleList) {
    const { rule } = entry
    const sel = ruleSelects(rule, input)
    if (sel === 'unknown') {
      skippedRules.push(entry)
      continue
    }
    if (!sel) continue
    if (rule.action !== 'lookup' || !rule.table) continue
    const t = normaliseTable(rule.table)
    if (!tables.has(t)) continue
    const route = matchIn(p.records, t, input.dst)
    if (route && route.type !== 'throw') return { route, source: p.source, table: t, rule: entry, skippedRules }
  }
  return undefined
}

/**
 * The decision from the most trusted output that yields one, plus any output that contradicts it
 * (another routing output of the same namespace choosing a different route).
 */
export function lookupRoute(input: LookupInput): { decision?: RouteDecision; disagreements: RouteDecision[] } {
  const ordered = [...input.routes].sort((a, b) => rank(a) - rank(b))
  let decision: RouteDecision | undefined
  const disagreements: RouteDecision[] = []
  for (const p of ordered) {
    const d = decide(p, input)
    if (!d) continue
    if (!decision) decision = d
    else if (
      d.source.info.complete &&
      (d.route.destination !== decision.route.destination || (d.route.gateway ?? '') !== (decision.route.gateway ?? '') || d.route.device !== decision.route.device)
    ) {
      disagreements.push(d)
    }
  }
  return { decision, disagreements }
}
