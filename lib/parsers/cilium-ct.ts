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
import { parseUint, splitAddrPort } from './addr-port'
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

/** TCP, UDP, ICMP, ICMPv6, SCTP, or a protocol number: an upper-case word. */
function isProtocolWord(s: string): boolean {
  const c = s.charCodeAt(0)
  return s.length > 0 && s.length <= 8 && ((c >= 65 && c <= 90) || (c >= 48 && c <= 57))
}

function ctEntry(line: number, raw: string): CiliumCtRecord | undefined {
  const w = words(raw)
  const protocol = w[0]
  const direction = w[1]
  if (!protocol || !direction || !isProtocolWord(protocol)) return undefined
  if (direction !== 'OUT' && direction !== 'IN' && direction !== 'SVC') return undefined
  const rec: CiliumCtRecord = { line, text: raw.trim(), protocol, direction, src: '', dst: '' }
  let p: number
  if (w[3] === '->' && w[2] && w[4]) {
    const a = splitAddrPort(w[2])
    const b = splitAddrPort(w[4])
    rec.src = a.addr
    if (a.port !== undefined) rec.sport = a.port
    rec.dst = b.addr
    if (b.port !== undefined) rec.dport = b.port
    p = 5
  } else if (w[2] && w[3] && /^\d+:\d+$/.test(w[3])) {
    const colon = w[3].indexOf(':')
    rec.address = w[2]
    rec.sport = Number(w[3].slice(0, colon))
    rec.dport = Number(w[3].slice(colon + 1))
    p = 4
  } else {
    return undefined
  }
  if (direction === 'SVC') rec.service = true
  for (; p < w.length; p++) {
    const t = w[p] as string
    if (t === 'related') {
      rec.related = true
      continue
    }
    if (t === 'service') {
      rec.service = true
      continue
    }
    const eq = t.indexOf('=')
    if (eq === -1) continue
    const value = t.slice(eq + 1)
    switch (t.slice(0, eq).toLowerCase()) {
      case 'expires':
        setNum(rec, 'expires', value)
        break
      case 'revnat':
        setNum(rec, 'revNat', value)
        break
      case 'sourcesecurityid':
      case 'src_sec_id':
        setNum(rec, 'sourceSecurityId', value)
        break
      case 'ifindex':
        setNum(rec, 'ifIndex', value)
        break
      case 'backendid':
        setNum(rec, 'backendId', value)
        break
      case 'natport':
        setNum(rec, 'natPort', value)
        break
      case 'flags': {
        rec.flagsValue = value
        // `Flags=0x0013 [ RxClosing TxClosing SeenNonSyn ]`: names up to the closing bracket
        if (w[p + 1] === '[') {
          const names: string[] = []
          let k = p + 2
          while (k < w.length && w[k] !== ']') names.push(w[k++] as string)
          rec.flags = names
          p = k
        }
        break
      }
    }
  }
  return rec
}

type NumericField = 'expires' | 'revNat' | 'sourceSecurityId' | 'ifIndex' | 'backendId' | 'natPort'

function setNum(rec: CiliumCtRecord, field: NumericField, value: string): void {
  const v = parseUint(value)
  if (v !== undefined) rec[field] = v
}
