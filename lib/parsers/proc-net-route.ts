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
 *
 * A row in the kernel's own layout (`<iface>\t<8 hex>\t<8 hex>\t…`) is taken as a route up front and
 * its columns are read on first access (see lazy-route.ts) — a row found unreadable only then reads
 * as destination ''. Any other line is read whole, as always.
 */
import type { Diagnostic, ParseResult, RouteRecord } from '@/lib/model/records'
import * as common from './common'
import { LazyRoute } from './lazy-route'

// Bound once: a transpiled `import { x }` is a property read on every call.
const { LineCursor, clip, intToIPv4, isNoise, maskIntToPrefixLength, scanWords } = common

/** RTF_* flags in the order route -n prints them. */
const FLAG_LETTERS: [number, string][] = [
  [0x0001, 'U'], [0x0002, 'G'], [0x0004, 'H'], [0x0008, 'R'], [0x0010, 'D'], [0x0020, 'M'], [0x0200, '!'],
]

/** line[s, e) as a hex number, or -1 when it is not 1–8 hex digits. */
function hexAt(line: string, s: number, e: number): number {
  if (e <= s || e - s > 8) return -1
  let v = 0
  for (let i = s; i < e; i++) {
    const c = line.charCodeAt(i)
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1
    if (d < 0) return -1
    v = v * 16 + d
  }
  return v
}

/** The kernel prints the network-order address as a host-order number: swap the bytes back. */
function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0
}

/** `0100A8C0` → `192.168.0.1` (little-endian host); undefined if not 8 hex digits. */
export function hexLeToIPv4(hex: string): string | undefined {
  if (hex.length !== 8) return undefined
  const v = hexAt(hex, 0, 8)
  return v < 0 ? undefined : intToIPv4(swap32(v))
}

interface Columns {
  dest: number
  gw: number
  flags: number
  metric: number
  mask: number
  mtu: number
}

const KERNEL_COLUMNS: Columns = { dest: 1, gw: 2, flags: 3, metric: 6, mask: 7, mtu: 8 }

export function parseProcNetRoute(text: string): ParseResult<RouteRecord> {
  const records: RouteRecord[] = []
  const diagnostics: Diagnostic[] = []
  const b = new Int32Array(32)
  // column order from the header; the kernel's own order when the header was cut off
  let col = KERNEL_COLUMNS
  let kernelOrder = true
  const lines = new LineCursor(text)
  while (lines.next()) {
    const ln = lines.ln
    const line = lines.plain()

    // the kernel's row: iface, then the 8-digit destination and gateway, tab-separated
    if (kernelOrder) {
      const t1 = line.indexOf('\t')
      if (t1 > 0 && line.charCodeAt(t1 + 9) === 9 && line.charCodeAt(t1 + 18) === 9 && line.charCodeAt(0) > 32 && line.charCodeAt(t1 + 1) > 32) {
        records.push(new LazyRoute(ln, line, readRow, col))
        continue
      }
    }

    const count = scanWords(line, b)
    if (count === 0) continue
    if (line.startsWith('Iface', b[0])) {
      const names: string[] = []
      for (let k = 0; k < count && k < 16; k++) names.push(line.slice(b[2 * k], b[2 * k + 1]))
      const at = (n: string, d: number) => (names.indexOf(n) === -1 ? d : names.indexOf(n))
      col = { dest: at('Destination', 1), gw: at('Gateway', 2), flags: at('Flags', 3), metric: at('Metric', 6), mask: at('Mask', 7), mtu: at('MTU', 8) }
      kernelOrder = col.dest === 1 && col.gw === 2
      continue
    }
    const rec = count <= 16 ? row(ln, line, count, b, col) : undefined
    if (rec) {
      records.push(new LazyRoute(ln, line, readRow, col, rec))
      continue
    }
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised /proc/net/route line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

const rowWords = new Int32Array(32)

/** The whole reading of a row, with the columns of its table (for a route's fields on first access). */
function readRow(line: string, col: Columns): RouteRecord | undefined {
  const count = scanWords(line, rowWords)
  return count > 0 && count <= 16 ? row(0, line, count, rowWords, col) : undefined
}

/** Word k as an 8-digit hex number, or -1. */
function hex8(line: string, b: Int32Array, k: number): number {
  const s = b[2 * k] as number
  const e = b[2 * k + 1] as number
  return e - s === 8 ? hexAt(line, s, e) : -1
}

function row(ln: number, line: string, count: number, b: Int32Array, col: Columns): RouteRecord | undefined {
  if (count <= col.mask || count <= col.flags) return undefined
  const dest = hex8(line, b, col.dest)
  const gw = hex8(line, b, col.gw)
  const mask = hex8(line, b, col.mask)
  const flagBits = hexAt(line, b[2 * col.flags] as number, b[2 * col.flags + 1] as number)
  if (dest < 0 || gw < 0 || mask < 0 || flagBits < 0) return undefined
  const len = maskIntToPrefixLength(swap32(mask))
  if (len === undefined) return undefined
  let flags = ''
  for (const [bit, letter] of FLAG_LETTERS) if (flagBits & bit) flags += letter
  const rec: RouteRecord = { line: ln, destination: `${intToIPv4(swap32(dest))}/${len}`, table: 'main', flags }
  if (gw !== 0) rec.gateway = intToIPv4(swap32(gw))
  const dev = line.slice(b[0], b[1])
  if (dev !== '*') rec.device = dev
  if (col.metric < count) {
    const metric = Number(line.slice(b[2 * col.metric], b[2 * col.metric + 1]))
    if (Number.isFinite(metric)) rec.metric = metric
  }
  if (col.mtu < count) {
    const mtu = Number(line.slice(b[2 * col.mtu], b[2 * col.mtu + 1]))
    if (Number.isFinite(mtu) && mtu > 0) rec.mtu = mtu
  }
  if (flagBits & 0x0200) rec.type = 'unreachable'
  return rec
}
