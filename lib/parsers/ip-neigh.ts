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
import * as common from './common'

// Bound once: a transpiled `import { x }` is a property read on every call.
const { clip, isIPv4, isIPv6, isNoise, normaliseMac, scanWords, splitLines, stripAnsi } = common

const STATES = new Set(['PERMANENT', 'NOARP', 'REACHABLE', 'STALE', 'NONE', 'INCOMPLETE', 'DELAY', 'PROBE', 'FAILED'])
/** Words that stand alone on a neighbour line. */
const FLAG_WORDS = new Set(['router', 'proxy', 'extern_learn', 'managed', 'use'])
/** Attributes with a value that the record does not keep. */
const VALUE_KEYS = new Set(['proto', 'vrf', 'ref', 'used', 'probes', 'nomaster', 'protocol'])

export function parseIpNeigh(text: string): ParseResult<NeighborRecord> {
  const records: NeighborRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)

  const b = new Int32Array(64)
  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const count = scanWords(line, b)
    if (count === 0) continue
    const rec = count <= 32 ? neighRecord(ln, line, count, b) : undefined
    if (rec) {
      records.push(rec)
      continue
    }
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised ip neigh line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

function neighRecord(ln: number, line: string, count: number, b: Int32Array): NeighborRecord | undefined {
  const ip = line.slice(b[0], b[1])
  if (!isIPv4(ip) && !isIPv6(ip)) return undefined
  const rec: NeighborRecord = { line: ln, ip }
  let state: string | undefined
  for (let j = 1; j < count; j++) {
    const k = line.slice(b[2 * j], b[2 * j + 1])
    if (STATES.has(k)) {
      // `ip -s neigh` may print several; the kernel's NUD state is the last word
      state = state ? `${state} ${k}` : k
      continue
    }
    if (FLAG_WORDS.has(k)) continue
    if (j + 1 >= count) return undefined
    j++
    const v = line.slice(b[2 * j], b[2 * j + 1])
    if (k === 'dev') rec.device = v
    else if (k === 'lladdr') {
      const mac = normaliseMac(v)
      if (mac) rec.mac = mac
    } else if (!VALUE_KEYS.has(k)) {
      return undefined
    }
  }
  if (state !== undefined) rec.state = state
  if (!rec.device && !rec.mac && state === undefined) return undefined
  return rec
}
