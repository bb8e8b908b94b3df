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
 *
 * Routing tables can be large: a line is taken as a route up front when it opens with an address
 * (a digit) followed by `via <address>` or `dev <name>` (the kernel's usual spelling), and its
 * fields are read on first access (see lazy-route.ts) — a destination found unreadable only then
 * reads as ''. Any other line is read whole at once, as always.
 */
import type { Diagnostic, ParseResult, RouteRecord } from '@/lib/model/records'
import * as common from './common'
import { LazyRoute } from './lazy-route'

// Bound once: a transpiled `import { x }` is a property read on every call, and these run per word.
const { LineCursor, clip, isNoise, normalisePrefix, skipBlanks, wordEnd, wordIs } = common

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

type Hop = { line: number; gateway?: string; device?: string; weight?: number }

export function parseIpRoute(text: string): ParseResult<RouteRecord> {
  const records: RouteRecord[] = []
  const diagnostics: Diagnostic[] = []
  let prev: LazyRoute<undefined> | undefined
  const lines = new LineCursor(text)
  while (lines.next()) {
    const ln = lines.ln
    const line = lines.plain()
    const s = skipBlanks(line, 0)
    if (s === line.length) continue

    // the usual route line: `<address or prefix> via <address> …` or `… dev <name> …`, taken as a
    // route at once (its destination is checked when read: an unreadable one reads as '')
    const c = line.charCodeAt(s)
    const e0 = c >= 48 && c <= 57 ? line.indexOf(' ', s) : -1
    if (e0 !== -1 && usualSecondWord(line, e0 + 1)) {
      prev = new LazyRoute(ln, line, readRouteLine, undefined)
      records.push(prev)
      continue
    }

    const e = wordEnd(line, s)
    if (prev && wordIs(line, s, e, 'nexthop')) {
      ;(prev.nexthops ??= []).push(nexthop(ln, line, e))
      continue
    }
    if (prev && wordIs(line, s, e, 'cache')) {
      const m = / mtu +(\d+)/.exec(line)
      if (m) prev.cacheMtu = Number(m[1])
      continue
    }

    const rec = routeRecord(ln, line, s, e)
    if (rec) {
      prev = new LazyRoute(ln, line, readRouteLine, undefined, rec)
      records.push(prev)
      continue
    }
    prev = undefined
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised ip route line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

/**
 * `via <IPv4…>` or `dev <name>` at i: then the line is a route whatever follows (a route with a
 * gateway or a device is never taken for prose), so it can be read later.
 */
function usualSecondWord(line: string, i: number): boolean {
  const c = line.charCodeAt(i)
  const c1 = line.charCodeAt(i + 1)
  const c2 = line.charCodeAt(i + 2)
  if (line.charCodeAt(i + 3) !== 32) return false
  const v = line.charCodeAt(i + 4)
  if (c === 100 && c1 === 101 && c2 === 118) return v > 32 // dev
  return c === 118 && c1 === 105 && c2 === 97 && v >= 48 && v <= 57 // via + an IPv4 address
}

/** The whole reading of a route line (for a route's fields on first access). */
function readRouteLine(line: string): RouteRecord | undefined {
  const s = skipBlanks(line, 0)
  return routeRecord(0, line, s, wordEnd(line, s))
}

/** Reads one route line whose first word is line[s, e). */
function routeRecord(ln: number, line: string, s: number, e: number): RouteRecord | undefined {
  let type: string | undefined
  let word = line.slice(s, e)
  if (ROUTE_TYPES.has(word)) {
    type = word
    s = skipBlanks(line, e)
    e = wordEnd(line, s)
    word = line.slice(s, e)
  }
  const destination = normalisePrefix(word)
  if (destination === undefined) return undefined
  const rec: RouteRecord = { line: ln, destination, table: 'main' }
  if (type !== undefined && type !== 'unicast') rec.type = type
  let unknown = false

  for (let ks = skipBlanks(line, e); ks < line.length; ) {
    const ke = wordEnd(line, ks)
    const vs = skipBlanks(line, ke)
    const ve = wordEnd(line, vs)
    const len = ke - ks
    if (vs >= line.length && !FLAG_WORDS.has(line.slice(ks, ke))) {
      unknown = true // a key without its value
      break
    }
    // keys are recognised by length then text, so no word is cut out of the line to compare it
    if (len === 3 && line.startsWith('via', ks)) {
      let gs = vs
      let ge = ve
      if (wordIs(line, vs, ve, 'inet') || wordIs(line, vs, ve, 'inet6')) {
        gs = skipBlanks(line, ve) // `via inet6 fe80::1`
        ge = wordEnd(line, gs)
      }
      if (gs < ge) rec.gateway = line.slice(gs, ge)
      ks = skipBlanks(line, ge)
      continue
    }
    if (len === 3 && line.startsWith('dev', ks)) rec.device = line.slice(vs, ve)
    else if (len === 5 && line.startsWith('table', ks)) rec.table = line.slice(vs, ve)
    else if (len === 5 && line.startsWith('proto', ks)) rec.proto = line.slice(vs, ve)
    else if (len === 5 && line.startsWith('scope', ks)) rec.scope = line.slice(vs, ve)
    else if (len === 3 && line.startsWith('src', ks)) rec.src = line.slice(vs, ve)
    else if (len === 6 && line.startsWith('metric', ks)) {
      const n = Number(line.slice(vs, ve))
      if (Number.isFinite(n)) rec.metric = n
    } else if (len === 3 && line.startsWith('mtu', ks)) {
      let ms = vs
      let me = ve
      if (wordIs(line, vs, ve, 'lock')) {
        ms = skipBlanks(line, ve)
        me = wordEnd(line, ms)
      }
      const n = Number(line.slice(ms, me))
      if (ms < me && Number.isFinite(n)) rec.mtu = n
      ks = skipBlanks(line, me)
      continue
    } else {
      const key = line.slice(ks, ke)
      if (FLAG_WORDS.has(key)) {
        if (key === 'onlink') rec.onlink = true
        ks = vs // no value to skip
        continue
      }
      // other attributes (pref, expires, uid, initcwnd, from…) carry one value we do not use
      if (!OTHER_KEYS.has(key)) unknown = true
    }
    ks = skipBlanks(line, ve)
  }
  // a prose line that happens to start with an address ("10.0.0.1 is the gateway") is not a route
  if (unknown && !rec.device && !rec.gateway && !rec.type) return undefined
  if (word === 'default' && rec.gateway !== undefined && rec.gateway.indexOf(':') !== -1) rec.destination = '::/0'
  return rec
}

/** `nexthop via 192.0.2.2 dev eth0 weight 1` under a multipath route; `from` is the end of `nexthop`. */
function nexthop(ln: number, line: string, from: number): Hop {
  const hop: Hop = { line: ln }
  for (let ks = skipBlanks(line, from); ks < line.length; ) {
    const ke = wordEnd(line, ks)
    const vs = skipBlanks(line, ke)
    const ve = wordEnd(line, vs)
    if (wordIs(line, ks, ke, 'via')) {
      if (wordIs(line, vs, ve, 'inet') || wordIs(line, vs, ve, 'inet6')) {
        const gs = skipBlanks(line, ve)
        const ge = wordEnd(line, gs)
        if (gs < ge) hop.gateway = line.slice(gs, ge)
        ks = skipBlanks(line, ge)
        continue
      }
      hop.gateway = line.slice(vs, ve)
    } else if (wordIs(line, ks, ke, 'dev')) hop.device = line.slice(vs, ve)
    else if (wordIs(line, ks, ke, 'weight')) {
      const n = Number(line.slice(vs, ve))
      if (Number.isFinite(n)) hop.weight = n
    } else if (FLAG_WORDS.has(line.slice(ks, ke))) {
      ks = vs
      continue
    }
    ks = skipBlanks(line, ve)
  }
  return hop
}
