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
import { clip, isIPv4, isNoise, normaliseMac, splitLines, stripAnsi, words } from './common'

export function parseProcNetArp(text: string): ParseResult<NeighborRecord> {
  const records: NeighborRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const w = words(line)
    if (w.length === 0) continue
    if (w[0] === 'IP' && w[1] === 'address') continue
    const rec = row(ln, w)
    if (rec) {
      records.push(rec)
      continue
    }
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised /proc/net/arp line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

function row(ln: number, w: string[]): NeighborRecord | undefined {
  if (w.length < 6) return undefined
  const ip = w[0] as string
  const flagsHex = w[2] as string
  if (!isIPv4(ip) || !/^0x[0-9a-fA-F]+$/.test(flagsHex)) return undefined
  const bits = parseInt(flagsHex.slice(2), 16)
  const rec: NeighborRecord = { line: ln, ip, device: w[5] }
  let state = ''
  if (bits & 0x2) state += 'C'
  if (bits & 0x4) state += 'M'
  if (bits & 0x8) state += 'P'
  if (bits & 0x2) {
    const mac = normaliseMac(w[3] as string)
    if (mac) rec.mac = mac
  }
  rec.state = state || 'incomplete'
  return rec
}
