/**
 * parseProcNetRoute — `cat /proc/net/route`, the kernel's IPv4 main table for images without iproute2.
 *
 *   Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
 *   eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0
 *   → { line: 2, destination: '0.0.0.0/0', gateway: '192.0.2.1', device: 'eth0', table: 'main',
 *       flags: 'UG', metric: 0 }
 *
 * Addresses are the 32-bit network-order value printed as a host-order hex number: on the
 * little-endian machines Kubernetes runs on, 0100A8C0 is 192.168.0.1 (bytes read right to left).
 */
import type { Diagnostic, ParseResult, RouteRecord } from '@/lib/model/records'
import { clip, intToIPv4, isNoise, maskToPrefixLength, splitLines, stripAnsi, words } from './common'

const HEX8_RE = /^[0-9A-Fa-f]{8}$/

/** RTF_* flags in the order route -n prints them. */
const FLAG_LETTERS: [number, string][] = [
  [0x0001, 'U'], [0x0002, 'G'], [0x0004, 'H'], [0x0008, 'R'], [0x0010, 'D'], [0x0020, 'M'], [0x0200, '!'],
]

/** `0100A8C0` → `192.168.0.1` (little-endian host); undefined if not 8 hex digits. */
export function hexLeToIPv4(hex: string): string | undefined {
  if (!HEX8_RE.test(hex)) return undefined
  const v = parseInt(hex, 16)
  // byte-swap: the lowest byte is the first octet
  return intToIPv4((((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0)
}

export function parseProcNetRoute(text: string): ParseResult<RouteRecord> {
  const records: RouteRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  // column order from the header; the kernel's own order when the header was cut off
  let col = { iface: 0, dest: 1, gw: 2, flags: 3, metric: 6, mask: 7, mtu: 8 }

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const w = words(line)
    if (w.length === 0) continue
    if (w[0] === 'Iface') {
      const at = (n: string, d: number) => (w.indexOf(n) === -1 ? d : w.indexOf(n))
      col = { iface: 0, dest: at('Destination', 1), gw: at('Gateway', 2), flags: at('Flags', 3), metric: at('Metric', 6), mask: at('Mask', 7), mtu: at('MTU', 8) }
      continue
    }
    const rec = row(ln, w, col)
    if (rec) {
      records.push(rec)
      continue
    }
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised /proc/net/route line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

function row(ln: number, w: string[], col: { iface: number; dest: number; gw: number; flags: number; metric: number; mask: number; mtu: number }): RouteRecord | undefined {
  const dest = hexLeToIPv4(w[col.dest] ?? '')
  const gw = hexLeToIPv4(w[col.gw] ?? '')
  const mask = hexLeToIPv4(w[col.mask] ?? '')
  const flagsHex = w[col.flags] ?? ''
  if (!dest || !gw || !mask || !/^[0-9A-Fa-f]{1,8}$/.test(flagsHex)) return undefined
  const len = maskToPrefixLength(mask)
  if (len === undefined) return undefined
  const flagBits = parseInt(flagsHex, 16)
  let flags = ''
  for (const [bit, letter] of FLAG_LETTERS) if (flagBits & bit) flags += letter
  const rec: RouteRecord = { line: ln, destination: `${dest}/${len}`, table: 'main', flags }
  if (gw !== '0.0.0.0') rec.gateway = gw
  const dev = w[col.iface] as string
  if (dev !== '*') rec.device = dev
  const metric = Number(w[col.metric])
  if (Number.isFinite(metric)) rec.metric = metric
  const mtu = Number(w[col.mtu])
  if (Number.isFinite(mtu) && mtu > 0) rec.mtu = mtu
  if (flagBits & 0x0200) rec.type = 'unreachable'
  return rec
}
