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
import { splitLines, words } from './common'
import { splitAddrPort } from './addr-port'
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
  let after: number
  if (p3e - p3 === 2 && raw.startsWith('->', p3)) {
    const p4 = skipBlanks(raw, p3e)
    const p4e = wordEnd(raw, p4)
    if (p4e === p4) return undefined
    const a = splitAddrPort(raw.slice(p2, p2e))
    const b = splitAddrPort(raw.slice(p4, p4e))
    rec.src = a.addr
    if (a.port !== undefined) rec.sport = a.port
    rec.dst = b.addr
    if (b.port !== undefined) rec.dport = b.port
    after = p4e
  } else {
    // 1.5: `TCP IN 10.15.0.1 9090:34382`
    const colon = raw.indexOf(':', p3)
    const sport = colon === -1 || colon > p3e ? undefined : uintAt(raw, p3, colon)
    const dport = sport === undefined ? undefined : uintAt(raw, colon + 1, p3e)
    if (sport === undefined || dport === undefined) return undefined
    rec.address = raw.slice(p2, p2e)
    rec.sport = sport
    rec.dport = dport
    after = p3e
  }
  if (direction === 'SVC') rec.service = true
  // `related` / `service` words sit between the tuple and the first key=value
  const firstKey = raw.indexOf('=', after)
  const marks = raw.slice(after, firstKey === -1 ? n : firstKey)
  if (marks.indexOf(' related') !== -1) rec.related = true
  if (marks.indexOf(' service') !== -1) rec.service = true

  setNum(rec, 'expires', raw, after, ' expires=')
  setNum(rec, 'revNat', raw, after, ' RevNAT=', ' revnat=')
  setNum(rec, 'sourceSecurityId', raw, after, ' SourceSecurityID=', ' src_sec_id=')
  setNum(rec, 'ifIndex', raw, after, ' IfIndex=')
  setNum(rec, 'backendId', raw, after, ' BackendID=')
  setNum(rec, 'natPort', raw, after, ' NatPort=')
  let f = raw.indexOf(' Flags=', after)
  if (f === -1) f = raw.indexOf(' flags=', after)
  if (f !== -1) {
    const v = f + 7
    const ve = wordEnd(raw, v)
    rec.flagsValue = raw.slice(v, ve)
    // `Flags=0x0013 [ RxClosing TxClosing SeenNonSyn ]`: names up to the closing bracket
    const open = skipBlanks(raw, ve)
    if (raw.charCodeAt(open) === 91 && (open + 1 === n || raw.charCodeAt(open + 1) === 32)) {
      const close = raw.indexOf(']', open)
      rec.flags = words(raw.slice(open + 1, close === -1 ? n : close))
    }
  }
  return rec
}

type NumericField = 'expires' | 'revNat' | 'sourceSecurityId' | 'ifIndex' | 'backendId' | 'natPort'

/** The number after ` Key=` (or its 2018 lower-case spelling) when the entry has it. */
function setNum(rec: CiliumCtRecord, field: NumericField, raw: string, from: number, key: string, oldKey?: string): void {
  let k = raw.indexOf(key, from)
  let len = key.length
  if (k === -1 && oldKey) {
    k = raw.indexOf(oldKey, from)
    len = oldKey.length
  }
  if (k === -1) return
  const v = uintAt(raw, k + len, wordEnd(raw, k + len))
  if (v !== undefined) rec[field] = v
}
