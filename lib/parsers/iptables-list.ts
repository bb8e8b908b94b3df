/**
 * parseIptablesList — `iptables [-t table] -L|-nL|-vnL [chain] [--line-numbers]`.
 *
 *   Chain CILIUM_POST_nat (1 references)
 *    pkts bytes target     prot opt in     out     source               destination
 *       8   555 MASQUERADE  all  --  *      !cilium_+  10.0.0.0/24         !10.0.0.0/24          /* cilium masquerade non-cluster *\/
 *   → chain { line: 1, table: 'nat', name: 'CILIUM_POST_nat', references: 1 }
 *   → rule  { line: 3, table: 'nat', chain: 'CILIUM_POST_nat', packets: 8, bytes: 555, target: 'MASQUERADE',
 *             outInterface: 'cilium_+', outInterfaceNot: true, source: '10.0.0.0/24', destination: '10.0.0.0/24',
 *             destinationNot: true, comment: 'cilium masquerade non-cluster', otherMatches: [], targetArgs: [] }
 *
 * Columns map onto the iptables-save fields: `*` interfaces, `all`/`0` protocol and `0.0.0.0/0`
 * addresses mean "any" and stay unset; a leading `!` is the negation; protocol numbers printed by
 * iptables-nft 1.8.9 (`17`) become names (`udp`). An empty target cell (a rule without -j) is
 * recognised by the opt column coming one word early. What follows the
 * destination is split into the `/* comment *\/`, the target's own options for the built-in
 * targets (`to:10.244.1.3:80`, `random-fully`, `MARK xor 0x4000`) and the matches before them.
 * The table is not printed by iptables: it comes from `options.table`, else from an echoed
 * `iptables -t nat …` line, else `unknown`. Rules a grep kept without their `Chain` header get
 * chain `unknown`.
 */
import type { Diagnostic, IptablesChain, IptablesRule } from '@/lib/model/records'
import { splitLines, stripAnsi, words } from './common'
import { parseUint } from './addr-port'
import type { IptablesParseResult } from './iptables-save'
import { noteSkipped } from './skipped'

interface Columns {
  num: boolean
  counters: boolean
  opt: boolean
  inOut: boolean
}

/** Built-in targets whose options iptables -L prints after the matches. */
const TARGETS_WITH_ARGS = new Set([
  'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'MARK', 'CONNMARK', 'TPROXY', 'CT', 'REJECT', 'LOG', 'NETMAP',
  'TOS', 'DSCP', 'TCPMSS', 'NFLOG', 'NFQUEUE', 'SET', 'TTL', 'HMARK', 'CLASSIFY', 'CHECKSUM', 'AUDIT',
])
/** Words that start a built-in target's options in -L output. */
const TARGET_ARG_START = /^(?:to:|random-fully$|random$|persistent$|masq$|redir$|MARK$|CONNMARK$|TPROXY$|CT$|reject-with$|LOG$|ports:|TCPMSS$|NFQUEUE$|NFLOG$|tos$|DSCP$)/

export function parseIptablesList(text: string, options: { table?: string } = {}): IptablesParseResult {
  const records: IptablesRule[] = []
  const chains: IptablesChain[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let table = options.table
  let chain: string | undefined
  let cols: Columns | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const w = words(line)
    if (w.length === 0) continue
    const first = w[0] as string
    if (first === 'Chain' && w.length >= 2) {
      const decl = chainHeader(ln, w, table ?? 'unknown')
      chains.push(decl)
      chain = decl.name
      cols = undefined
      continue
    }
    if (first === 'num' || first === 'pkts' || (first === 'target' && w[1] === 'prot')) {
      cols = { num: first === 'num', counters: w.includes('pkts'), opt: w.includes('opt'), inOut: w.includes('in') }
      continue
    }
    const rule = ruleLine(ln, line, w, cols, table ?? 'unknown', chain ?? 'unknown')
    if (rule) {
      records.push(rule)
      continue
    }
    if (!options.table && line.length < 4096 && line.indexOf('iptables') !== -1) {
      const t = tableFromCommand(line)
      if (t) {
        table = t
        for (const c of chains) if (c.table === 'unknown') c.table = t
        for (const r of records) if (r.table === 'unknown') r.table = t
      }
    }
    noteSkipped(diagnostics, ln, line, 'an iptables -L line')
  }
  return { records, diagnostics, chains }
}

/** `Chain POSTROUTING (policy ACCEPT 10 packets, 668 bytes)`, `Chain X (1 references)`, `Chain INPUT (policy DROP)` */
function chainHeader(line: number, w: string[], table: string): IptablesChain {
  const chain: IptablesChain = { line, table, name: w[1] as string }
  if (w[2] === '(policy' && w[3]) {
    chain.policy = w[3].replace(/\)$/, '')
    const packets = counter(w[4])
    const bytes = counter(w[6])
    if (packets) chain.packets = packets.value
    if (bytes) chain.bytes = bytes.value
  } else if (w[2] && w[2].charCodeAt(0) === 40 /* ( */) {
    const refs = parseUint(w[2].slice(1))
    if (refs !== undefined) chain.references = refs
  }
  return chain
}

/** `186K` → { value: 186000, approximate: true }; iptables rounds to 1000s above 99999. */
function counter(s: string | undefined): { value: number; approximate: boolean } | undefined {
  if (!s) return undefined
  const exact = parseUint(s)
  if (exact !== undefined) return { value: exact, approximate: false }
  const unit = s.charCodeAt(s.length - 1)
  const base = parseUint(s.slice(0, -1))
  if (base === undefined) return undefined
  const mult = unit === 75 ? 1e3 : unit === 77 ? 1e6 : unit === 71 ? 1e9 : unit === 84 ? 1e12 : 0
  return mult ? { value: base * mult, approximate: true } : undefined
}

function isOpt(s: string | undefined): boolean {
  return s === '--' || s === '-f' || s === '!f'
}

function ruleLine(
  line: number,
  raw: string,
  w: string[],
  known: Columns | undefined,
  table: string,
  chain: string,
): IptablesRule | undefined {
  let p = 0
  let cols = known
  if (!cols) {
    // no header (a grep, a `| head`): leading numbers are [num] pkts bytes
    let lead = 0
    while (lead < 3 && counter(w[lead]) !== undefined) lead++
    const optAt = w.findIndex((t, k) => k >= lead && k <= lead + 2 && isOpt(t))
    cols = { num: lead === 1 || lead === 3, counters: lead >= 2, opt: optAt !== -1, inOut: lead >= 2 }
  }
  const need = (cols.num ? 1 : 0) + (cols.counters ? 2 : 0) + 1 + (cols.opt ? 1 : 0) + (cols.inOut ? 2 : 0) + 2
  if (w.length < need - 1) return undefined

  let ruleNumber: number | undefined
  let packets: ReturnType<typeof counter>
  let bytes: ReturnType<typeof counter>
  if (cols.num) {
    ruleNumber = parseUint(w[p++])
    if (ruleNumber === undefined) return undefined
  }
  if (cols.counters) {
    packets = counter(w[p++])
    bytes = counter(w[p++])
    if (!packets || !bytes) return undefined
  }
  let target: string | undefined
  // a rule without -j prints an empty target cell: the opt column then comes one word early
  if (!(cols.opt && isOpt(w[p + 1]))) target = w[p++]
  const prot = w[p++]
  if (cols.opt) {
    if (!isOpt(w[p])) return undefined
    p++
  }
  let inIf: string | undefined
  let outIf: string | undefined
  if (cols.inOut) {
    inIf = w[p++]
    outIf = w[p++]
  }
  const source = w[p++]
  const destination = w[p++]
  if (prot === undefined || !looksLikeAddress(source) || !looksLikeAddress(destination)) return undefined

  const rule: IptablesRule = { line, table, chain, text: raw.trim(), otherMatches: [], targetArgs: [] }
  if (ruleNumber !== undefined) rule.ruleNumber = ruleNumber
  if (packets && bytes) {
    rule.packets = packets.value
    rule.bytes = bytes.value
    if (packets.approximate || bytes.approximate) rule.countersApproximate = true
  }
  if (target !== undefined) rule.target = target
  const negProt = prot.charCodeAt(0) === 33
  const protName = protocolName(negProt ? prot.slice(1) : prot)
  if (protName !== undefined) {
    rule.protocol = protName
    if (negProt) rule.protocolNot = true
  }
  setNegatable(rule, 'inInterface', inIf, '*')
  setNegatable(rule, 'outInterface', outIf, '*')
  setNegatable(rule, 'source', source, 'any')
  setNegatable(rule, 'destination', destination, 'any')
  splitExtra(rule, restAfterWords(raw, p))
  return rule
}

/** `10.0.0.0/24`, `!172.29.3.0/24`, `fd00::/8`, `anywhere`, `node1.example` (no -n): enough to refuse prose. */
function looksLikeAddress(s: string | undefined): boolean {
  if (s === undefined) return false
  const v = s.charCodeAt(0) === 33 ? s.slice(1) : s
  return v === 'anywhere' || v === 'localhost' || v.indexOf('.') > 0 || v.indexOf(':') !== -1
}

/** iptables-nft ≥1.8.9 prints `-n` protocols as numbers (`17`, `0`); the save format names them. */
const PROTOCOL_NUMBERS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '47': 'gre', '50': 'esp', '58': 'ipv6-icmp', '132': 'sctp' }

/** `all`/`0` mean any protocol → undefined. */
function protocolName(p: string): string | undefined {
  if (p === 'all' || p === '0') return undefined
  return PROTOCOL_NUMBERS[p] ?? p
}

type NegatableField = 'source' | 'destination' | 'inInterface' | 'outInterface'

function setNegatable(rule: IptablesRule, field: NegatableField, value: string | undefined, any: '*' | 'any'): void {
  if (value === undefined) return
  let v = value
  let neg = false
  if (v.charCodeAt(0) === 33 /* ! */) {
    neg = true
    v = v.slice(1)
  }
  if (!neg && (any === '*' ? v === '*' : v === '0.0.0.0/0' || v === '::/0' || v === 'anywhere')) return
  rule[field] = v
  if (neg) rule[`${field}Not`] = true
}

/** The text of `line` after its first `count` words, untrimmed at the end. */
function restAfterWords(line: string, count: number): string {
  let i = 0
  const n = line.length
  for (let k = 0; k < count; k++) {
    while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++
    while (i < n && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++
  }
  return line.slice(i).trim()
}

function splitExtra(rule: IptablesRule, extra: string): void {
  let rest = extra
  const open = rest.indexOf('/* ')
  if (open !== -1) {
    const close = rest.indexOf(' */', open + 3)
    if (close !== -1) {
      rule.comment = rest.slice(open + 3, close)
      rest = (rest.slice(0, open) + ' ' + rest.slice(close + 3)).trim()
    }
  }
  if (rest.length === 0) return
  const w = words(rest)
  let at = -1
  if (rule.target && TARGETS_WITH_ARGS.has(rule.target)) at = w.findIndex((t) => TARGET_ARG_START.test(t))
  const matches = at === -1 ? w : w.slice(0, at)
  if (matches.length) rule.otherMatches.push(matches.join(' '))
  if (at !== -1) rule.targetArgs = w.slice(at)
}

/** `iptables -t nat -vnL`, `… iptables --table=mangle -L`, `iptables -tnat -L` → the table. */
function tableFromCommand(line: string): string | undefined {
  const m = /\biptables(?:-legacy|-nft)?\s(?:.*\s)?(?:-t\s*|--table[=\s])([a-z]+)/.exec(line)
  return m ? m[1] : undefined
}
