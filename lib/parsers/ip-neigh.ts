/**
 * parseIpNeigh — `ip neigh [show] [dev X]` / `ip n`.
 *
 *   10.0.0.215 dev eth0 lladdr da:0c:20:4a:86:f7 REACHABLE
 *   → { line: 1, ip: '10.0.0.215', mac: 'da:0c:20:4a:86:f7', device: 'eth0', state: 'REACHABLE' }
 *
 *   10.0.0.9 dev eth0 FAILED      → { ip: '10.0.0.9', device: 'eth0', state: 'FAILED' } (no MAC)
 *
 * With `dev X` iproute2 omits the dev column; the command's filter supplies it.
 */
import type { Diagnostic, NeighborRecord, ParseResult } from '@/lib/model/records'
import { clip, isIPv4, isIPv6, isNoise, normaliseMac, splitLines, stripAnsi, words } from './common'

const STATES = new Set(['PERMANENT', 'NOARP', 'REACHABLE', 'STALE', 'NONE', 'INCOMPLETE', 'DELAY', 'PROBE', 'FAILED'])
/** Words that stand alone on a neighbour line. */
const FLAG_WORDS = new Set(['router', 'proxy', 'extern_learn', 'managed', 'use'])

export function parseIpNeigh(text: string): ParseResult<NeighborRecord> {
  const records: NeighborRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const w = words(line)
    if (w.length === 0) continue
    const rec = neighRecord(ln, w)
    if (rec) {
      records.push(rec)
      continue
    }
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised ip neigh line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

function neighRecord(ln: number, w: string[]): NeighborRecord | undefined {
  const ip = w[0] as string
  if (!isIPv4(ip) && !isIPv6(ip)) return undefined
  const rec: NeighborRecord = { line: ln, ip }
  let state: string | undefined
  for (let j = 1; j < w.length; j++) {
    const k = w[j] as string
    if (STATES.has(k)) {
      // `ip -s neigh` may print several; the kernel's NUD state is the last word
      state = state ? `${state} ${k}` : k
      continue
    }
    if (FLAG_WORDS.has(k)) continue
    const v = w[j + 1]
    if (v === undefined) return undefined
    j++
    if (k === 'dev') rec.device = v
    else if (k === 'lladdr') {
      const mac = normaliseMac(v)
      if (mac) rec.mac = mac
    } else if (k !== 'proto' && k !== 'vrf' && k !== 'ref' && k !== 'used' && k !== 'probes' && k !== 'nomaster') {
      return undefined
    }
  }
  if (state !== undefined) rec.state = state
  if (!rec.device && !rec.mac && state === undefined) return undefined
  return rec
}
