/**
 * parseIpRoute — `ip route [show] [table all|main|N]`, `ip -4 route`, `ip -c route`, and the output
 * of `ip route get` (a route line plus its `cache` line).
 *
 *   default via 10.0.0.215 dev eth0 mtu 1450
 *   → { line: 1, destination: '0.0.0.0/0', gateway: '10.0.0.215', device: 'eth0', table: 'main', mtu: 1450 }
 *
 *   local 10.0.0.1 dev eth0 table local proto kernel scope host src 10.0.0.1
 *   → { destination: '10.0.0.1/32', type: 'local', table: 'local', proto: 'kernel', scope: 'host', … }
 *
 * A bare address is a host route (/32, /128). Unknown attributes are skipped, never guessed at.
 */
import type { Diagnostic, ParseResult, RouteRecord } from '@/lib/model/records'
import { clip, isNoise, normalisePrefix, parsePrefix, splitLines, stripAnsi, words } from './common'

const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'anycast'])

/** Attributes that stand alone (no value follows). */
const FLAG_WORDS = new Set(['onlink', 'linkdown', 'pervasive', 'offload', 'trap', 'dead', 'notify', 'rt_offload', 'rt_trap', 'rt_offload_failed', 'cloned', 'nh_unresolved', 'unresolved', 'ttl-propagate'])

/** Attributes with one value that the route record does not keep. */
const OTHER_KEYS = new Set([
  'pref', 'expires', 'uid', 'from', 'tos', 'dsfield', 'realm', 'realms', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss',
  'reordering', 'hoplimit', 'initcwnd', 'initrwnd', 'features', 'quickack', 'congctl', 'fastopen_no_cookie', 'nhid',
  'encap', 'error', 'weight', 'window', 'lastuse', 'age', 'users', 'used', 'iif', 'oif', 'mark', 'ipproto', 'sport',
  'dport', 'rto_min', 'mpath', 'nh', 'protocol',
])

export function parseIpRoute(text: string): ParseResult<RouteRecord> {
  const records: RouteRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let prev: RouteRecord | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const fast = fastRoute(ln, line)
    if (fast) {
      records.push(fast)
      prev = fast
      continue
    }
    const w = words(line)
    if (w.length === 0) continue
    const first = w[0] as string

    if (first === 'nexthop' && prev) {
      prev.nexthops ??= []
      prev.nexthops.push(nexthop(ln, w))
      continue
    }
    if (first === 'cache' && prev) {
      for (let j = 1; j < w.length - 1; j++) {
        if (w[j] === 'mtu') {
          const n = Number(w[j + 1])
          if (Number.isFinite(n)) prev.cacheMtu = n
        }
      }
      continue
    }

    const rec = routeRecord(ln, w)
    if (rec) {
      records.push(rec)
      prev = rec
      continue
    }
    prev = undefined
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised ip route line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

/**
 * The shape iproute2 prints, attributes in its own order. Lines it does not match (reordered or
 * unusual attributes) go through the word-by-word reader.
 */
const FAST_RE =
  /^(?:(local|broadcast|blackhole|unreachable|prohibit|throw|multicast|unicast|anycast|nat) +)?([0-9a-fA-F.:/]+|default)(?: +via +(?:inet6? +)?(\S+))?(?: +dev +(\S+))?(?: +table +(\S+))?(?: +proto +(\S+))?(?: +scope +(\S+))?(?: +src +(\S+))?(?: +metric +(\d+))?((?: +(?:onlink|linkdown|pervasive|offload|trap|dead|notify|rt_offload|rt_trap|pref +\w+|mtu +(?:lock +)?\d+|expires +\S+|uid +\d+))*) *$/

function fastRoute(ln: number, line: string): RouteRecord | undefined {
  const m = FAST_RE.exec(line)
  if (!m) return undefined
  const destination = normalisePrefix(m[2] as string)
  if (destination === undefined) return undefined
  const [, type, , via, dev, table, proto, scope, src, metric, tail] = m
  const rec: RouteRecord = { line: ln, destination, table: table ?? 'main' }
  if (type !== undefined && type !== 'unicast') rec.type = type
  if (via !== undefined) rec.gateway = via
  if (dev !== undefined) rec.device = dev
  if (proto !== undefined) rec.proto = proto
  if (scope !== undefined) rec.scope = scope
  if (src !== undefined) rec.src = src
  if (metric !== undefined) rec.metric = Number(metric)
  if (tail) {
    if (tail.indexOf('onlink') !== -1) rec.onlink = true
    const mtu = / mtu +(?:lock +)?(\d+)/.exec(tail)
    if (mtu) rec.mtu = Number(mtu[1])
  }
  if (m[2] === 'default' && via !== undefined && via.indexOf(':') !== -1) rec.destination = '::/0'
  return rec
}

function routeRecord(ln: number, w: string[]): RouteRecord | undefined {
  let j = 0
  let type: string | undefined
  if (ROUTE_TYPES.has(w[0] as string)) {
    type = w[0]
    j = 1
  }
  const dest = w[j]
  if (dest === undefined) return undefined
  const p = parsePrefix(dest)
  if (!p) return undefined
  const rec: RouteRecord = { line: ln, destination: `${p.ip}/${p.prefixLength}`, table: 'main' }
  if (type && type !== 'unicast') rec.type = type
  let unknown = false
  for (j++; j < w.length; j++) {
    const k = w[j] as string
    if (FLAG_WORDS.has(k)) {
      if (k === 'onlink') rec.onlink = true
      continue
    }
    let v = w[j + 1]
    if (v === undefined) break
    j++
    switch (k) {
      case 'via':
        // `via inet6 fe80::1` (an IPv4 route through an IPv6 next hop)
        if ((v === 'inet' || v === 'inet6') && w[j + 1] !== undefined) v = w[++j] as string
        rec.gateway = v
        break
      case 'dev':
        rec.device = v
        break
      case 'table':
        rec.table = v
        break
      case 'proto':
        rec.proto = v
        break
      case 'scope':
        rec.scope = v
        break
      case 'src':
        rec.src = v
        break
      case 'metric': {
        const n = Number(v)
        if (Number.isFinite(n)) rec.metric = n
        break
      }
      case 'mtu': {
        if (v === 'lock' && w[j + 1] !== undefined) v = w[++j] as string
        const n = Number(v)
        if (Number.isFinite(n)) rec.mtu = n
        break
      }
      default:
        // other attributes (pref, expires, uid, initcwnd, from…) carry one value we do not use
        if (!OTHER_KEYS.has(k)) unknown = true
        break
    }
  }
  // a prose line that happens to start with an address ("10.0.0.1 is the gateway") is not a route
  if (unknown && !rec.device && !rec.gateway && !rec.type) return undefined
  if (dest === 'default' && rec.gateway?.includes(':')) rec.destination = '::/0'
  return rec
}

function nexthop(ln: number, w: string[]): { line: number; gateway?: string; device?: string; weight?: number } {
  const hop: { line: number; gateway?: string; device?: string; weight?: number } = { line: ln }
  for (let j = 1; j < w.length - 1; j++) {
    const k = w[j]
    const v = w[j + 1] as string
    if (k === 'via') {
      hop.gateway = v === 'inet' || v === 'inet6' ? w[++j + 1] : v
      j++
    } else if (k === 'dev') {
      hop.device = v
      j++
    } else if (k === 'weight') {
      const n = Number(v)
      if (Number.isFinite(n)) hop.weight = n
      j++
    }
  }
  return hop
}
