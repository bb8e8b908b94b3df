/**
 * parseNfConntrack — `/proc/net/nf_conntrack` and `conntrack -L` (also grep'd subsets of both).
 *
 *   ipv4 2 tcp 6 117 TIME_WAIT src=10.244.0.213 dst=1.0.0.1 sport=41708 dport=80 src=1.0.0.1 dst=164.92.138.123 sport=80 dport=41708 [ASSURED] mark=0 zone=0 use=2
 *   → { line: 1, family: 'ipv4', protocol: 'tcp', protocolNumber: 6, timeout: 117, state: 'TIME_WAIT',
 *       original: { src: '10.244.0.213', dst: '1.0.0.1', sport: 41708, dport: 80 },
 *       reply: { src: '1.0.0.1', dst: '164.92.138.123', sport: 80, dport: 41708 },
 *       flags: ['ASSURED'], mark: 0, zone: 0, use: 2, text: '<the line, trimmed>' }
 *
 * `conntrack -L` lines are the same without the leading `ipv4 2`. The first tuple is the
 * original direction, the second the reply: a reply whose addresses differ from the swapped
 * original is NAT (here the reply goes to 164.92.138.123, the node: masquerade). ICMP tuples
 * carry type/code/id instead of ports. The `conntrack v1.4.6 (conntrack-tools): N flow entries
 * have been shown.` trailer is skipped; other lines (netstat, kubectl) become diagnostics.
 */
import type { ConntrackTuple, Diagnostic, NfConntrackRecord, ParseResult } from '@/lib/model/records'
import { splitLines } from './common'
import { skipBlanks, spaceAfter, uintAt, wordEnd } from './scan'
import { noteSkipped } from './skipped'

export function parseNfConntrack(text: string): ParseResult<NfConntrackRecord> {
  const records: NfConntrackRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line.length === 0) continue
    const rec = conntrackEntry(i + 1, line)
    if (rec) {
      records.push(rec)
      continue
    }
    if (line.startsWith('conntrack v')) continue
    noteSkipped(diagnostics, i + 1, line, 'a conntrack entry')
  }
  return { records, diagnostics }
}

function conntrackEntry(line: number, raw: string): NfConntrackRecord | undefined {
  // every entry has two tuples, each opening with src=; found by native search, not word by word
  const s1 = raw.indexOf(' src=')
  if (s1 === -1) return undefined
  const s2 = raw.indexOf(' src=', s1 + 5)
  if (s2 === -1) return undefined

  // head: [ipv4 2] proto protonum timeout [state]
  let i = skipBlanks(raw, 0)
  let e = wordEnd(raw, i)
  let family: 'ipv4' | 'ipv6' | undefined
  if (e - i === 4 && raw.startsWith('ipv', i)) {
    const v = raw.charCodeAt(i + 3)
    if (v === 52 || v === 54) {
      family = v === 52 ? 'ipv4' : 'ipv6'
      i = skipBlanks(raw, wordEnd(raw, skipBlanks(raw, e)))
      e = wordEnd(raw, i)
    }
  }
  if (e > s1) return undefined
  const protocol = known(raw, i, e, PROTOCOLS)
  i = skipBlanks(raw, e)
  e = wordEnd(raw, i)
  const protocolNumber = uintAt(raw, i, e)
  i = skipBlanks(raw, e)
  e = wordEnd(raw, i)
  const timeout = uintAt(raw, i, e)
  if (protocol.length === 0 || protocolNumber === undefined || timeout === undefined || e > s1) return undefined

  const replyEnd = tupleEnd(raw, s2 + 5)
  const original = tuple(raw, s1 + 5, s2)
  const reply = tuple(raw, s2 + 5, replyEnd)
  if (!original || !reply) return undefined
  const rec: NfConntrackRecord = { line, text: raw.trim(), protocol, protocolNumber, timeout, original, reply, flags: NO_FLAGS }
  if (family) rec.family = family
  i = skipBlanks(raw, e)
  if (i < s1) rec.state = known(raw, i, wordEnd(raw, i), STATES)
  // [UNREPLIED] sits between the tuples, [ASSURED] after them
  let f = raw.indexOf('[', s1)
  while (f !== -1) {
    const fe = wordEnd(raw, f)
    const flag = known(raw, f + 1, raw.charCodeAt(fe - 1) === 93 ? fe - 1 : fe, FLAGS)
    if (rec.flags === NO_FLAGS) rec.flags = [flag]
    else rec.flags.push(flag)
    f = raw.indexOf('[', fe)
  }
  const n = raw.length
  const mark = valueAfter(raw, ' mark=', n, replyEnd)
  if (mark !== undefined) rec.mark = mark
  const zone = valueAfter(raw, ' zone=', n, replyEnd)
  if (zone !== undefined) rec.zone = zone
  const use = valueAfter(raw, ' use=', n, replyEnd)
  if (use !== undefined) rec.use = use
  return rec
}

const PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'gre', 'unknown']
const STATES = ['ESTABLISHED', 'TIME_WAIT', 'SYN_SENT', 'SYN_RECV', 'CLOSE', 'CLOSE_WAIT', 'FIN_WAIT', 'LAST_ACK', 'NONE']
const FLAGS = ['ASSURED', 'UNREPLIED', 'OFFLOAD', 'HW_OFFLOAD']

/**
 * raw[a, b) as a string, reusing the constant when it is one of `common`: 200,000 entries hold a
 * handful of distinct protocols, states and flags, and a copy each would be most of the garbage.
 */
function known(raw: string, a: number, b: number, common: readonly string[]): string {
  const len = b - a
  for (const w of common) if (w.length === len && raw.startsWith(w, a)) return w
  return raw.slice(a, b)
}

/** Entries without flags share this frozen empty list (most /proc/net/nf_conntrack lines have one flag or none). */
const NO_FLAGS = Object.freeze([]) as unknown as string[]

/** End of the tuple whose src value starts at `from`: before the first word that is not a tuple key. */
function tupleEnd(raw: string, from: number): number {
  // src value, then dst and sport/dport or type/code/id: at most five more words
  let e = spaceAfter(raw, from)
  for (let k = 0; k < 5; k++) {
    const next = e + 1
    if (next >= raw.length || !isTupleKey(raw, next)) return e
    e = spaceAfter(raw, next)
  }
  return e
}

function isTupleKey(raw: string, i: number): boolean {
  switch (raw.charCodeAt(i)) {
    case 100: // d
      return raw.startsWith('dst=', i) || raw.startsWith('dport=', i)
    case 115: // s
      return raw.startsWith('sport=', i)
    case 116: // t
      return raw.startsWith('type=', i)
    case 99: // c
      return raw.startsWith('code=', i)
    case 105: // i
      return raw.startsWith('id=', i)
  }
  return false
}

/** The tuple whose src value starts at `from` and that ends before `end`. */
function tuple(raw: string, from: number, end: number): ConntrackTuple | undefined {
  const srcEnd = spaceAfter(raw, from)
  const d = raw.indexOf(' dst=', srcEnd)
  if (d === -1 || d > end) return undefined
  const t: ConntrackTuple = { src: raw.slice(from, srcEnd), dst: raw.slice(d + 5, spaceAfter(raw, d + 5)) }
  const sport = valueAfter(raw, ' sport=', end, d)
  if (sport !== undefined) {
    t.sport = sport
    const dport = valueAfter(raw, ' dport=', end, d)
    if (dport !== undefined) t.dport = dport
    return t
  }
  const type = valueAfter(raw, ' type=', end, d)
  if (type !== undefined) {
    t.type = type
    const code = valueAfter(raw, ' code=', end, d)
    if (code !== undefined) t.code = code
    const id = valueAfter(raw, ' id=', end, d)
    if (id !== undefined) t.id = id
  }
  return t
}

/** The number after `key` (searched from `from`), when the key occurs before `end`. */
function valueAfter(raw: string, key: string, end: number, from = 0): number | undefined {
  const k = raw.indexOf(key, from)
  if (k === -1 || k > end) return undefined
  const v = k + key.length
  return uintAt(raw, v, spaceAfter(raw, v))
}
