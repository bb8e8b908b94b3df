/**
 * parseCiliumCt — `cilium bpf ct list global` (and per-endpoint `cilium bpf ct list <id>`), every era.
 *
 *   TCP OUT 10.244.0.213:46486 -> 1.0.0.1:80 expires=17755044 RxPackets=4 … Flags=0x0013 [ RxClosing TxClosing SeenNonSyn ] RevNAT=0 SourceSecurityID=42837 IfIndex=0
 *   → { line: 1, protocol: 'TCP', direction: 'OUT', src: '10.244.0.213', sport: 46486, dst: '1.0.0.1', dport: 80,
 *       expires: 17755044, flagsValue: '0x0013', flags: ['RxClosing', 'TxClosing', 'SeenNonSyn'], revNat: 0,
 *       sourceSecurityId: 42837, ifIndex: 0, text: '<the line, trimmed>' }
 *
 * Formats read:
 * - 2018: `TCP IN [f00d::…]:12865 -> [f00d::…]:41471  expires=2156 rx_packets=2 … flags=13 revnat=0 src_sec_id=55058`
 * - 1.5: `TCP IN 10.15.0.1 9090:34382 expires=… Flags=13 RevNAT=0 SourceSecurityID=2` — one address and the
 *   port pair as printed (sport:dport); which end the address is, the line does not say: it goes to
 *   `address`, src/dst stay ''.
 * - ~1.14: `… -> … service expires=… RxFlagsSeen=… RevNAT=5 SourceSecurityID=0 IfIndex=0`
 * - 2025: `TCP SVC …`, `Packets=`/`Bytes=`, `BackendID=`, `NatPort=`.
 * `related` and `service` words become flags of the record; an `SVC` entry is a service entry.
 */
import type { CiliumCtRecord, Diagnostic, ParseResult } from '@/lib/model/records'
import { splitLines } from './common'
import { skipBlanks, uintAt, wordEnd } from './scan'
import { noteSkipped } from './skipped'

export function parseCiliumCt(text: string): ParseResult<CiliumCtRecord> {
  const records: CiliumCtRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line.length === 0) continue
    const rec = ctEntry(i + 1, line)
    if (rec) records.push(rec)
    else noteSkipped(diagnostics, i + 1, line, 'a Cilium conntrack entry')
  }
  return { records, diagnostics }
}

const PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP']
const DIRECTIONS = ['OUT', 'IN', 'SVC']

/** raw[a, b) when it is one of `words` (returning the constant: no copy per entry), else undefined. */
function oneOf(raw: string, a: number, b: number, words: readonly string[]): string | undefined {
  const len = b - a
  for (const w of words) if (w.length === len && raw.startsWith(w, a)) return w
  return undefined
}

/** TCP, UDP, ICMP…, or an unnamed protocol printed upper-case or as a number. */
function protocolAt(raw: string, a: number, b: number): string | undefined {
  const known = oneOf(raw, a, b, PROTOCOLS)
  if (known) return known
  const c = raw.charCodeAt(a)
  return b > a && b - a <= 8 && ((c >= 65 && c <= 90) || (c >= 48 && c <= 57)) ? raw.slice(a, b) : undefined
}

function ctEntry(line: number, raw: string): CiliumCtRecord | undefined {
  const n = raw.length
  const p0 = skipBlanks(raw, 0)
  const p0e = wordEnd(raw, p0)
  const protocol = protocolAt(raw, p0, p0e)
  if (!protocol) return undefined
  const p1 = skipBlanks(raw, p0e)
  const p1e = wordEnd(raw, p1)
  const direction = oneOf(raw, p1, p1e, DIRECTIONS)
  if (!direction) return undefined
  const p2 = skipBlanks(raw, p1e)
  const p2e = wordEnd(raw, p2)
  const p3 = skipBlanks(raw, p2e)
  const p3e = wordEnd(raw, p3)
  if (p2e === p2 || p3e === p3) return undefined

  const rec: CiliumCtRecord = { line, text: raw.trim(), protocol, direction, src: '', dst: '' }
  let p: number
  if (p3e - p3 === 2 && raw.startsWith('->', p3)) {
    const p4 = skipBlanks(raw, p3e)
    const p4e = wordEnd(raw, p4)
    if (p4e === p4) return undefined
    const sep = portColon(raw, p2, p2e)
    rec.src = hostAt(raw, p2, sep)
    if (sep < p2e) setPort(rec, 'sport', raw, sep + 1, p2e)
    const sep2 = portColon(raw, p4, p4e)
    rec.dst = hostAt(raw, p4, sep2)
    if (sep2 < p4e) setPort(rec, 'dport', raw, sep2 + 1, p4e)
    p = p4e
  } else {
    // 1.5: `TCP IN 10.15.0.1 9090:34382`
    const colon = raw.indexOf(':', p3)
    const sport = colon === -1 || colon > p3e ? undefined : uintAt(raw, p3, colon)
    const dport = sport === undefined ? undefined : uintAt(raw, colon + 1, p3e)
    if (sport === undefined || dport === undefined) return undefined
    rec.address = raw.slice(p2, p2e)
    rec.sport = sport
    rec.dport = dport
    p = p3e
  }
  if (direction === 'SVC') rec.service = true

  // the rest is `word` marks and `Key=value` pairs: one pass, keys told apart by their first letter
  for (;;) {
    const a = skipBlanks(raw, p)
    if (a >= n) break
    const b = wordEnd(raw, a)
    p = b
    const eq = raw.indexOf('=', a)
    if (eq === -1 || eq > b) {
      if (b - a === 7 && raw.startsWith('related', a)) rec.related = true
      else if (b - a === 7 && raw.startsWith('service', a)) rec.service = true
      continue
    }
    const v = eq + 1
    switch (raw.charCodeAt(a)) {
      case 101: // e
        if (raw.startsWith('expires=', a)) setNum(rec, 'expires', raw, v, b)
        break
      case 82: // R
      case 114: // r
        if (eq - a === 6 && (raw.startsWith('RevNAT', a) || raw.startsWith('revnat', a))) setNum(rec, 'revNat', raw, v, b)
        break
      case 83: // S
        if (raw.startsWith('SourceSecurityID=', a)) setNum(rec, 'sourceSecurityId', raw, v, b)
        break
      case 115: // s
        if (raw.startsWith('src_sec_id=', a)) setNum(rec, 'sourceSecurityId', raw, v, b)
        break
      case 73: // I
        if (raw.startsWith('IfIndex=', a)) setNum(rec, 'ifIndex', raw, v, b)
        break
      case 66: // B
        if (raw.startsWith('BackendID=', a)) setNum(rec, 'backendId', raw, v, b)
        break
      case 78: // N
        if (raw.startsWith('NatPort=', a)) setNum(rec, 'natPort', raw, v, b)
        break
      case 70: // F
      case 102: // f
        if (eq - a === 5 && (raw.startsWith('Flags', a) || raw.startsWith('flags', a))) p = readFlags(rec, raw, v, b)
        break
    }
  }
  return rec
}

/** Index of the colon before the port in s[a, b), or b when there is none (bare IPv6 included). */
function portColon(s: string, a: number, b: number): number {
  if (s.charCodeAt(a) === 91 /* [ */) {
    const close = s.indexOf(']', a)
    return close !== -1 && close + 1 < b && s.charCodeAt(close + 1) === 58 ? close + 1 : b
  }
  const c = s.indexOf(':', a)
  if (c === -1 || c >= b) return b
  const d = s.indexOf(':', c + 1)
  return d !== -1 && d < b ? b : c
}

/** The address before `end`, without IPv6 brackets. */
function hostAt(s: string, a: number, end: number): string {
  return s.charCodeAt(a) === 91 && s.charCodeAt(end - 1) === 93 ? s.slice(a + 1, end - 1) : s.slice(a, end)
}

function setPort(rec: CiliumCtRecord, field: 'sport' | 'dport', s: string, a: number, b: number): void {
  const v = uintAt(s, a, b)
  if (v !== undefined && v <= 65535) rec[field] = v
}

const FLAG_NAMES = ['RxClosing', 'TxClosing', 'SeenNonSyn', 'Nat64', 'LBLoopback', 'NodePort', 'ProxyRedirect', 'DSR', 'FromL7LB', 'FromTunnel']

/** `Flags=0x0013 [ RxClosing TxClosing SeenNonSyn ]` from the value at v; returns where reading goes on. */
function readFlags(rec: CiliumCtRecord, raw: string, v: number, b: number): number {
  rec.flagsValue = raw.slice(v, b)
  const open = skipBlanks(raw, b)
  if (raw.charCodeAt(open) !== 91 || wordEnd(raw, open) !== open + 1) return b
  const names: string[] = []
  let i = skipBlanks(raw, open + 1)
  while (i < raw.length && raw.charCodeAt(i) !== 93) {
    const e = wordEnd(raw, i)
    names.push(oneOf(raw, i, e, FLAG_NAMES) ?? raw.slice(i, e))
    i = skipBlanks(raw, e)
  }
  rec.flags = names
  return i < raw.length ? i + 1 : i
}

type NumericField = 'expires' | 'revNat' | 'sourceSecurityId' | 'ifIndex' | 'backendId' | 'natPort'

function setNum(rec: CiliumCtRecord, field: NumericField, raw: string, a: number, b: number): void {
  const v = uintAt(raw, a, b)
  if (v !== undefined) rec[field] = v
}
