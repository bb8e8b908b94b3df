/**
 * parseArp — net-tools `arp -an` / `arp -a` (BSD style) and `arp -n` (table style).
 *
 *   ? (10.244.0.201) at f6:93:7d:11:4d:37 [ether] on eth0
 *   → { line: 1, ip: '10.244.0.201', mac: 'f6:93:7d:11:4d:37', device: 'eth0' }
 *
 *   Address                  HWtype  HWaddress           Flags Mask            Iface
 *   10.255.255.1             ether   00:00:5e:00:01:0c   C                     bond0
 *   → { line: 2, ip: '10.255.255.1', mac: '00:00:5e:00:01:0c', device: 'bond0', state: 'C' }
 *
 * Incomplete entries (`<incomplete>`, `(incomplete)`) have no MAC and state `incomplete`.
 */
import type { Diagnostic, NeighborRecord, ParseResult } from '@/lib/model/records'
import * as common from './common'

// Bound once: a transpiled `import { x }` is a property read on every call.
const { clip, isIPv4, isNoise, normaliseMac, splitLines, stripAnsi } = common

const BSD_RE = /^(\S+)\s+\(([^)]+)\)\s+at\s+(\S+)(?:\s+\[(\w+)\])?(?:\s+(PERM|PUB|permanent|published))*(?:\s+on\s+(\S+))?/
/** net-tools trailers: `arp: in 2 entries no match found.`, `Entries: 1	Skipped: 0	Found: 1`. */
const TRAILER_RE = /^(?:arp: |Entries: \d+|[\w.-]+ \([\d.]+\) -- no entry)/

export function parseArp(text: string): ParseResult<NeighborRecord> {
  const records: NeighborRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const t = line.trim()
    if (t.length === 0) continue
    const rec = t.indexOf(' at ') !== -1 ? bsdRecord(ln, t) : tableRecord(ln, t)
    if (rec) {
      records.push(rec)
      continue
    }
    if (t.startsWith('Address ') || TRAILER_RE.test(t) || isNoise(t)) continue
    diagnostics.push({ line: ln, message: `unrecognised arp line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

function bsdRecord(ln: number, t: string): NeighborRecord | undefined {
  const m = BSD_RE.exec(t)
  if (!m || !isIPv4(m[2] as string)) return undefined
  const rec: NeighborRecord = { line: ln, ip: m[2] as string }
  const mac = normaliseMac(m[3] as string)
  if (mac) rec.mac = mac
  else if (m[3] === '<incomplete>') rec.state = 'incomplete'
  else return undefined
  if (m[5]) rec.state = m[5]
  if (m[6]) rec.device = m[6]
  return rec
}

const TABLE_RE = /^(\S+)\s+(?:\S+\s+(\S+)\s+([CMPA]+)(?:\s+\S+)?|\(incomplete\))\s+(\S+)$/

/** `ADDRESS HWTYPE HWADDRESS FLAGS [MASK] IFACE` or `ADDRESS (incomplete) IFACE`. */
function tableRecord(ln: number, t: string): NeighborRecord | undefined {
  const m = TABLE_RE.exec(t)
  if (!m || !isIPv4(m[1] as string)) return undefined
  const ip = m[1] as string
  const device = m[4] as string
  if (m[2] === undefined) return { line: ln, ip, state: 'incomplete', device }
  const mac = normaliseMac(m[2])
  if (!mac) return undefined
  return { line: ln, ip, mac, state: m[3], device }
}
