/**
 * parseRouteN — net-tools `route -n` (also `route -ne`, `route -n -A inet6`, and `route` without -n
 * for the `default`/`*` spellings it prints).
 *
 *   Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
 *   10.244.0.128    10.244.0.148    255.255.255.128 UG    0      0        0 cilium_host
 *   → { line: 2, destination: '10.244.0.128/25', gateway: '10.244.0.148', device: 'cilium_host',
 *       table: 'main', metric: 0, flags: 'UG' }
 *
 * Columns are read as whitespace-separated words, not by position: pasted tables often lose their
 * alignment (the seed's has single spaces). The header row, when present, says which column is which.
 */
import type { Diagnostic, ParseResult, RouteRecord } from '@/lib/model/records'
import { clip, isIPv4, isNoise, maskToPrefixLength, parsePrefix, splitLines, stripAnsi, words } from './common'

interface Columns {
  destination: number
  gateway: number
  genmask: number
  flags: number
  metric: number
  iface: number
  count: number
}

const DEFAULT_COLUMNS: Columns = { destination: 0, gateway: 1, genmask: 2, flags: 3, metric: 4, iface: 7, count: 8 }

export function parseRouteN(text: string): ParseResult<RouteRecord> {
  const records: RouteRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let cols = DEFAULT_COLUMNS

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const w = words(line)
    if (w.length === 0) continue
    const first = w[0] as string

    if (first === 'Destination') {
      cols = headerColumns(w)
      continue
    }
    if (first === 'Kernel') continue

    const rec = first.indexOf(':') !== -1 && first.indexOf('/') !== -1 ? ipv6Row(ln, w) : ipv4Row(ln, w, cols)
    if (rec) {
      records.push(rec)
      continue
    }
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised route -n line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

function headerColumns(w: string[]): Columns {
  // `route -n`: Destination Gateway Genmask Flags Metric Ref Use Iface
  // `route -ne`: Destination Gateway Genmask Flags MSS Window irtt Iface
  const at = (name: string, fallback: number) => {
    const k = w.indexOf(name)
    return k === -1 ? fallback : k
  }
  return {
    destination: 0,
    gateway: at('Gateway', 1),
    genmask: at('Genmask', 2),
    flags: at('Flags', 3),
    metric: w.indexOf('Metric'),
    iface: at('Iface', w.length - 1),
    count: w.length,
  }
}

function ipv4Row(ln: number, w: string[], cols: Columns): RouteRecord | undefined {
  const dest = w[cols.destination] as string
  const mask = w[cols.genmask]
  const flags = w[cols.flags]
  if (mask === undefined || flags === undefined || !/^[A-Z!]+$/.test(flags)) return undefined
  const destIp = dest === 'default' ? '0.0.0.0' : dest
  if (!isIPv4(destIp)) return undefined
  const len = maskToPrefixLength(mask)
  if (len === undefined) return undefined
  const rec: RouteRecord = { line: ln, destination: `${destIp}/${len}`, table: 'main', flags }
  const gw = w[cols.gateway]
  if (gw !== undefined && gw !== '0.0.0.0' && gw !== '*' && gw !== '-') {
    if (!isIPv4(gw)) return undefined
    rec.gateway = gw
  }
  if (cols.metric >= 0) {
    const m = Number(w[cols.metric])
    if (Number.isFinite(m)) rec.metric = m
  }
  // the Iface column is last; a reject route (`!`) prints `-` or nothing there
  const dev = w.length >= cols.count ? w[cols.iface] : undefined
  if (dev !== undefined && dev !== '-' && dev !== '*') rec.device = dev
  if (flags.includes('!')) rec.type = 'unreachable'
  return rec
}

/** `route -n -A inet6`: Destination Next Hop Flag Met Ref Use If. */
function ipv6Row(ln: number, w: string[]): RouteRecord | undefined {
  const p = parsePrefix(w[0] as string)
  if (!p || p.family !== 'inet6' || w.length < 6) return undefined
  const rec: RouteRecord = { line: ln, destination: `${p.ip}/${p.prefixLength}`, table: 'main', flags: w[2] }
  const gw = w[1] as string
  if (gw !== '::' && gw !== '*') rec.gateway = gw
  const m = Number(w[3])
  if (Number.isFinite(m)) rec.metric = m
  rec.device = w[w.length - 1]
  // net-tools prints the local table's routes too: flag U without G on `lo`… left as printed
  if (rec.flags?.includes('!')) rec.type = 'unreachable'
  return rec
}
