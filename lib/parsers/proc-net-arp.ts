/**
 * parseProcNetArp — `cat /proc/net/arp`, the kernel's IPv4 neighbour table for images without iproute2.
 *
 *   IP address       HW type     Flags       HW address            Mask     Device
 *   192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0
 *   → { line: 2, ip: '192.0.2.1', mac: '02:fc:00:00:00:05', device: 'eth0', state: 'C' }
 *
 * Flags are ATF_* bits, turned into the letters `arp -n` prints: 0x2 complete (C), 0x4 permanent (M),
 * 0x8 published (P). Flags 0x0 is an incomplete entry: its all-zero MAC is not a MAC.
 */
import type { Diagnostic, NeighborRecord, ParseResult } from '@/lib/model/records'
import * as common from './common'

// Bound once: a transpiled `import { x }` is a property read on every call.
const { clip, isIPv4, isNoise, normaliseMac, scanWords, splitLines, stripAnsi } = common

export function parseProcNetArp(text: string): ParseResult<NeighborRecord> {
  const records: NeighborRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)

  const b = new Int32Array(16)
  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const count = scanWords(line, b)
    if (count === 0) continue
    if (line.startsWith('IP address', b[0])) continue
    const rec = count === 6 ? row(ln, line, b) : undefined
    if (rec) {
      records.push(rec)
      continue
    }
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised /proc/net/arp line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

function row(ln: number, line: string, b: Int32Array): NeighborRecord | undefined {
  const ip = line.slice(b[0], b[1])
  const flagsHex = line.slice(b[4], b[5])
  if (!isIPv4(ip) || !/^0x[0-9a-fA-F]+$/.test(flagsHex)) return undefined
  const bits = parseInt(flagsHex.slice(2), 16)
  const rec: NeighborRecord = { line: ln, ip, device: line.slice(b[10], b[11]) }
  let state = ''
  if (bits & 0x2) state += 'C'
  if (bits & 0x4) state += 'M'
  if (bits & 0x8) state += 'P'
  if (bits & 0x2) {
    const mac = normaliseMac(line.slice(b[6], b[7]))
    if (mac) rec.mac = mac
  }
  rec.state = state || 'incomplete'
  return rec
}
