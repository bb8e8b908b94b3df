/**
 * parseIpAddr — `ip addr`, `ip link`, `ip -d link`, `ip -br addr|link` (and their `-c` colour form).
 *
 *   24: eth0@if25: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default
 *       link/ether a6:c6:93:71:26:19 brd ff:ff:ff:ff:ff:ff link-netnsid 0
 *       inet 10.244.0.213/32 scope global eth0
 *   →  { line: 1, lines: [1, 2, 3], name: 'eth0', ifindex: 24, peerIfindex: 25, mtu: 1500, state: 'UP',
 *        mac: 'a6:c6:93:71:26:19', macLine: 2, linkNetnsId: 0,
 *        addresses: [{ line: 3, family: 'inet', ip: '10.244.0.213', prefixLength: 32, scope: 'global' }] }
 *
 *   eth0@if24        UP             10.0.0.210/32        (brief)
 *   →  { name: 'eth0', peerIfindex: 24, state: 'UP', addresses: [{ ip: '10.0.0.210', prefixLength: 32 }] }
 *
 * Continuation lines attach to the interface above whatever their indentation: pasted outputs
 * often lose it. Lines a `| grep` kept without their header cannot be attributed and become
 * diagnostics.
 */
import type { AddressRecord, Diagnostic, InterfaceRecord, ParseResult } from '@/lib/model/records'
import * as common from './common'

// Bound once: a transpiled `import { x }` is a property read on every call.
const { clip, isIPv4, isIPv6, isNoise, normaliseMac, parsePrefix, skipBlanks, splitLines, stripAnsi, wordEnd, words } = common

const HEADER_RE = /^\s*(\d+):\s+([^\s:@]+)(?:@([^\s:]+))?:\s+<([^>]*)>(.*)$/
const BRIEF_STATE = new Set(['UP', 'DOWN', 'UNKNOWN', 'LOWERLAYERDOWN', 'DORMANT', 'NOTPRESENT', 'TESTING'])

/** First words of `ip -d link` detail lines that name the link kind (or its role as a port). */
const LINK_KINDS = new Set([
  'veth', 'vxlan', 'geneve', 'ipvlan', 'macvlan', 'macvtap', 'ipvtap', 'bridge', 'bond', 'dummy', 'tun', 'tap',
  'vlan', 'ipip', 'sit', 'gre', 'gretap', 'ip6gre', 'ip6tnl', 'wireguard', 'ifb', 'vrf', 'netkit', 'team',
  'openvswitch', 'nlmon', 'vti', 'xfrm', 'erspan', 'bareudp', 'can', 'hsr', 'macsec', 'ipoib',
])

export function parseIpAddr(text: string): ParseResult<InterfaceRecord> {
  const records: InterfaceRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let cur: InterfaceRecord | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const ind = skipBlanks(line, 0)
    if (ind === line.length) continue
    const c = line.charCodeAt(ind)

    // the frequent lines first, recognised in place
    if (c >= 48 && c <= 57) {
      const m = HEADER_RE.exec(line)
      if (m) {
        cur = headerRecord(ln, m)
        records.push(cur)
        continue
      }
    } else if (cur && c === 105 /* i */ && line.startsWith('inet', ind)) {
      const addr = addressAt(ln, line, ind)
      if (addr) {
        cur.addresses.push(addr)
        cur.lines.push(ln)
        continue
      }
    } else if (cur && c === 118 /* v */ && line.startsWith('valid_lft', ind)) {
      cur.lines.push(ln)
      continue
    } else if (cur && c === 108 /* l */ && line.startsWith('link/', ind)) {
      linkLine(cur, ln, line, ind)
      continue
    }

    const ke = wordEnd(line, ind)
    const key = line.slice(ind, ke)
    if (cur && continuation(cur, ln, key, line, ke)) continue

    if (ind === 0 || !cur) {
      const brief = briefRecord(ln, words(line))
      if (brief) {
        records.push(brief)
        cur = undefined
        continue
      }
    }
    if (isNoise(line)) continue
    if (!cur && CONTINUATION_KEYS.has(key.startsWith('link/') ? 'link/' : key)) {
      diagnostics.push({ line: ln, message: `"${key}" line without an interface header above it (filtered by grep?)` })
    } else {
      diagnostics.push({ line: ln, message: `unrecognised ip addr line: ${clip(line)}` })
    }
  }
  return { records, diagnostics }
}

const CONTINUATION_KEYS = new Set(['link/', 'inet', 'inet6', 'valid_lft', 'altname'])

function headerRecord(ln: number, m: RegExpExecArray): InterfaceRecord {
  const rec: InterfaceRecord = {
    line: ln,
    lines: [ln],
    name: m[2] as string,
    ifindex: Number(m[1]),
    flags: m[4] ? (m[4] as string).split(',') : [],
    addresses: [],
  }
  applySuffix(rec, m[3])
  const rest = words(m[5] ?? '')
  for (let j = 0; j < rest.length; j++) {
    const k = rest[j]
    const v = rest[j + 1]
    if (v === undefined) break
    if (k === 'mtu') {
      const n = Number(v)
      if (Number.isFinite(n)) rec.mtu = n
      j++
    } else if (k === 'state') {
      rec.state = v
      j++
    } else if (k === 'master') {
      rec.master = v
      j++
    } else if (k === 'qdisc' || k === 'group' || k === 'qlen' || k === 'mode' || k === 'link-netnsid' || k === 'netns') {
      j++
    }
  }
  return rec
}

/** `eth0@if25` → peer ifindex 25; `cilium_host@bond0` → parent bond0; `eth0@NONE` → nothing. */
function applySuffix(rec: InterfaceRecord, suffix: string | undefined): void {
  if (!suffix || suffix === 'NONE') return
  if (suffix.startsWith('if') && /^if\d+$/.test(suffix)) rec.peerIfindex = Number(suffix.slice(2))
  else rec.parent = suffix
}

/** Attaches a line to the interface above; false when the line is not an interface detail. */
function continuation(cur: InterfaceRecord, ln: number, key: string, line: string, ke: number): boolean {
  if (key === 'valid_lft' || key === 'altname' || key === 'prop' || key === 'RX:' || key === 'TX:' || key === 'alias') {
    if (key === 'altname') {
      const vs = skipBlanks(line, ke)
      if (vs < line.length) (cur.altnames ??= []).push(line.slice(vs, wordEnd(line, vs)))
    }
    cur.lines.push(ln)
    return true
  }
  // `ip -s link` counters under RX:/TX:
  if (/^\d+$/.test(key) && /^[\d \t]+$/.test(line)) {
    cur.lines.push(ln)
    return true
  }
  const slave = key.endsWith('_slave')
  if (LINK_KINDS.has(slave ? key.slice(0, -6) : key) || key === 'promiscuity') {
    if (!slave && key !== 'promiscuity' && cur.linkKind === undefined) cur.linkKind = key
    cur.lines.push(ln)
    return true
  }
  return false
}

/** `link/ether a6:c6:… brd ff:… link-netnsid 0` (or `link-netns cni-…`), starting at `ind`. */
function linkLine(cur: InterfaceRecord, ln: number, line: string, ind: number): void {
  const ke = wordEnd(line, ind)
  const ms = skipBlanks(line, ke)
  const mac = normaliseMac(line.slice(ms, wordEnd(line, ms)))
  if (mac && !line.startsWith('link/none', ind)) {
    cur.mac = mac
    cur.macLine = ln
  }
  const nsid = line.indexOf(' link-netnsid ', ke)
  if (nsid !== -1) {
    const vs = skipBlanks(line, nsid + 14)
    const n = Number(line.slice(vs, wordEnd(line, vs)))
    if (Number.isInteger(n)) cur.linkNetnsId = n
  } else {
    const ns = line.indexOf(' link-netns ', ke)
    if (ns !== -1) {
      const vs = skipBlanks(line, ns + 12)
      cur.linkNetns = line.slice(vs, wordEnd(line, vs))
    }
  }
  cur.lines.push(ln)
}

/** `inet 10.0.2.15/24 metric 100 brd 10.0.2.255 scope global dynamic eth0` starting at `ind`. */
function addressAt(ln: number, line: string, ind: number): AddressRecord | undefined {
  const ke = wordEnd(line, ind)
  const family = ke - ind === 4 ? 'inet' : ke - ind === 5 && line.charCodeAt(ind + 4) === 54 ? 'inet6' : undefined
  if (!family) return undefined
  const vs = skipBlanks(line, ke)
  const ve = wordEnd(line, vs)
  const slash = line.indexOf('/', vs)
  const ipEnd = slash !== -1 && slash < ve ? slash : ve
  const ip = line.slice(vs, ipEnd)
  if (family === 'inet' ? !isIPv4(ip) : !isIPv6(ip)) return undefined
  let prefixLength = family === 'inet' ? 32 : 128
  if (ipEnd < ve) {
    const n = Number(line.slice(ipEnd + 1, ve))
    if (!Number.isInteger(n) || n < 0 || n > prefixLength) return undefined
    prefixLength = n
  }
  const addr: AddressRecord = { line: ln, family, ip, prefixLength }
  for (let ks = skipBlanks(line, ve); ks < line.length; ) {
    const e = wordEnd(line, ks)
    const s2 = skipBlanks(line, e)
    const e2 = wordEnd(line, s2)
    if (s2 === e2) break
    const len = e - ks
    if (len === 5 && line.startsWith('scope', ks)) addr.scope = line.slice(s2, e2)
    else if (len === 3 && line.startsWith('brd', ks)) addr.broadcast = line.slice(s2, e2)
    else if (len === 4 && line.startsWith('peer', ks) && ipEnd === ve) {
      // `inet 10.0.0.1 peer 10.0.0.2/32`: the prefix length is the peer's
      const peer = parsePrefix(line.slice(s2, e2))
      if (peer) addr.prefixLength = peer.prefixLength
    } else {
      ks = s2 // a flag (dynamic, noprefixroute…) or the label: no value consumed
      continue
    }
    ks = skipBlanks(line, e2)
  }
  return addr
}

/** `ip -br addr`: `eth0@if24  UP  10.0.0.210/32 fe80::…/64`; `ip -br link`: `eth0@if24 UP aa:bb:… <FLAGS>`. */
function briefRecord(ln: number, w: string[]): InterfaceRecord | undefined {
  if (w.length < 2) return undefined
  const state = w[1] as string
  if (!BRIEF_STATE.has(state)) return undefined
  const first = w[0] as string
  const at = first.indexOf('@')
  const name = at === -1 ? first : first.slice(0, at)
  if (!/^[\w.:-]+$/.test(name) || parsePrefix(name)) return undefined
  const rec: InterfaceRecord = { line: ln, lines: [ln], name, flags: [], state, addresses: [] }
  applySuffix(rec, at === -1 ? undefined : first.slice(at + 1))
  for (let j = 2; j < w.length; j++) {
    const tok = w[j] as string
    if (tok.charCodeAt(0) === 60 /* < */) {
      rec.flags = tok.replace(/[<>]/g, '').split(',').filter(Boolean)
      continue
    }
    const mac = normaliseMac(tok)
    if (mac) {
      rec.mac = mac
      rec.macLine = ln
      continue
    }
    const p = parsePrefix(tok)
    if (p) rec.addresses.push({ line: ln, family: p.family, ip: p.ip, prefixLength: p.prefixLength })
    else return undefined
  }
  return rec
}
