/**
 * parseRouteN — net-tools `route -n` (also `route -ne`, `netstat -rn`, `route -n -A inet6`, and
 * `route` without -n for the `default`/`*` spellings it prints).
 *
 *   Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
 *   10.244.0.128    10.244.0.148    255.255.255.128 UG    0      0        0 cilium_host
 *   → { line: 2, destination: '10.244.0.128/25', gateway: '10.244.0.148', device: 'cilium_host',
 *       table: 'main', metric: 0, flags: 'UG' }
 *
 * Columns are read as whitespace-separated words, not by position: pasted tables often lose their
 * alignment (the seed's has single spaces). The header row, when present, says which column is which.
 *
 * Routing tables can be large: a row opening with an address and a gateway (`<digit…> <digit…|*>`)
 * is taken as a route up front and its columns are read on first access (see lazy-route.ts) — a row
 * found unreadable only then reads as destination ''. Any other line is read whole, as always.
 */
import type { Diagnostic, ParseResult, RouteRecord } from '@/lib/model/records'
import * as common from './common'
import { LazyRoute } from './lazy-route'

// Bound once: a transpiled `import { x }` is a property read on every call.
const { LineCursor, clip, isIPv4, isNoise, maskToPrefixLength, normalisePrefix, scanWords, skipBlanks } = common

interface Columns {
  gateway: number
  genmask: number
  flags: number
  /** -1 when the table has no Metric column (`route -ne`, `netstat -rn`) */
  metric: number
  iface: number
  count: number
}

const DEFAULT_COLUMNS: Columns = { gateway: 1, genmask: 2, flags: 3, metric: 4, iface: 7, count: 8 }

export function parseRouteN(text: string): ParseResult<RouteRecord> {
  const records: RouteRecord[] = []
  const diagnostics: Diagnostic[] = []
  const b = new Int32Array(32)
  let cols = DEFAULT_COLUMNS
  const lines = new LineCursor(text)
  while (lines.next()) {
    const ln = lines.ln
    const line = lines.plain()

    // the usual row: an address, then a gateway address or `*`
    const s = skipBlanks(line, 0)
    const c = line.charCodeAt(s)
    if (c >= 48 && c <= 57) {
      const e0 = line.indexOf(' ', s)
      const g = e0 === -1 ? -1 : skipBlanks(line, e0)
      const gc = line.charCodeAt(g)
      if ((gc >= 48 && gc <= 57) || gc === 42 /* * */) {
        records.push(new LazyRoute(ln, line, readRow, cols))
        continue
      }
    }

    const count = scanWords(line, b)
    if (count === 0) continue
    const first = line.slice(b[0], b[1])

    if (first === 'Destination') {
      cols = headerColumns(line, count, b)
      continue
    }
    if (first === 'Kernel') continue

    const rec = first.indexOf(':') !== -1 ? ipv6Row(ln, line, count, b, first) : ipv4Row(ln, line, count, b, cols, first)
    if (rec) {
      records.push(new LazyRoute(ln, line, readRow, cols, rec))
      continue
    }
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised route -n line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

const rowWords = new Int32Array(32)

/** The whole reading of a row, with the columns of its table (for a route's fields on first access). */
function readRow(line: string, cols: Columns): RouteRecord | undefined {
  const count = scanWords(line, rowWords)
  if (count === 0) return undefined
  const first = line.slice(rowWords[0], rowWords[1])
  return first.indexOf(':') !== -1 ? ipv6Row(0, line, count, rowWords, first) : ipv4Row(0, line, count, rowWords, cols, first)
}

function headerColumns(line: string, count: number, b: Int32Array): Columns {
  // `route -n`: Destination Gateway Genmask Flags Metric Ref Use Iface
  // `route -ne`, `netstat -rn`: Destination Gateway Genmask Flags MSS Window irtt Iface
  const names: string[] = []
  for (let k = 0; k < count && k < 16; k++) names.push(line.slice(b[2 * k], b[2 * k + 1]))
  const at = (name: string, fallback: number) => {
    const k = names.indexOf(name)
    return k === -1 ? fallback : k
  }
  return {
    gateway: at('Gateway', 1),
    genmask: at('Genmask', 2),
    flags: at('Flags', 3),
    metric: names.indexOf('Metric'),
    iface: at('Iface', count - 1),
    count,
  }
}

function word(line: string, b: Int32Array, k: number): string {
  return line.slice(b[2 * k], b[2 * k + 1])
}

function ipv4Row(ln: number, line: string, count: number, b: Int32Array, cols: Columns, dest: string): RouteRecord | undefined {
  if (count <= cols.flags || count > 16) return undefined
  const flags = word(line, b, cols.flags)
  if (!/^[A-Z!]+$/.test(flags)) return undefined
  const destIp = dest === 'default' ? '0.0.0.0' : dest
  if (!isIPv4(destIp)) return undefined
  const len = maskToPrefixLength(word(line, b, cols.genmask))
  if (len === undefined) return undefined
  const rec: RouteRecord = { line: ln, destination: `${destIp}/${len}`, table: 'main', flags }
  const gw = word(line, b, cols.gateway)
  if (gw !== '0.0.0.0' && gw !== '*' && gw !== '-') {
    if (!isIPv4(gw)) return undefined
    rec.gateway = gw
  }
  if (cols.metric >= 0 && cols.metric < count) {
    const m = Number(word(line, b, cols.metric))
    if (Number.isFinite(m)) rec.metric = m
  }
  // the Iface column is last; a blackhole prints `*`, a reject route (`!`) prints `-`
  if (count >= cols.count) {
    const dev = word(line, b, cols.iface)
    if (dev !== '-' && dev !== '*') rec.device = dev
  }
  if (flags.indexOf('!') !== -1) rec.type = 'unreachable'
  return rec
}

/** `route -n -A inet6`: Destination Next Hop Flag Met Ref Use If. */
function ipv6Row(ln: number, line: string, count: number, b: Int32Array, dest: string): RouteRecord | undefined {
  const destination = normalisePrefix(dest)
  if (destination === undefined || count < 6 || count > 16) return undefined
  const rec: RouteRecord = { line: ln, destination, table: 'main', flags: word(line, b, 2) }
  const gw = word(line, b, 1)
  if (gw !== '::' && gw !== '*') rec.gateway = gw
  const m = Number(word(line, b, 3))
  if (Number.isFinite(m)) rec.metric = m
  rec.device = word(line, b, count - 1)
  if (rec.flags?.includes('!')) rec.type = 'unreachable'
  return rec
}
