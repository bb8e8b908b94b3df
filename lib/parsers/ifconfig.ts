/**
 * parseIfconfig — net-tools `ifconfig [dev]`, both the current and the pre-2011 output formats.
 *
 *   cilium_host: flags=4291<UP,BROADCAST,RUNNING,NOARP,MULTICAST>  mtu 1500
 *           inet 10.244.0.201  netmask 255.255.255.255  broadcast 0.0.0.0
 *           ether a2:a3:02:88:07:34  txqueuelen 1000  (Ethernet)
 *   → { line: 1, lines: [1, 2, 3], name: 'cilium_host', flags: ['UP', 'BROADCAST', 'RUNNING', 'NOARP', 'MULTICAST'],
 *       mtu: 1500, mac: 'a2:a3:02:88:07:34', macLine: 3,
 *       addresses: [{ line: 2, family: 'inet', ip: '10.244.0.201', prefixLength: 32, broadcast: '0.0.0.0' }] }
 *
 *   eth0      Link encap:Ethernet  HWaddr 00:0C:29:3E:5B:4C          (old format)
 *             inet addr:192.168.1.10  Bcast:192.168.1.255  Mask:255.255.255.0
 *             UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1
 *
 * ifconfig prints no ifindex and no veth peer. Detail lines attach to the interface above even
 * when a paste lost their indentation.
 */
import type { Diagnostic, InterfaceRecord, ParseResult } from '@/lib/model/records'
import * as common from './common'

// Bound once: a transpiled `import { x }` is a property read on every call.
const { clip, isNoise, maskToPrefixLength, normaliseMac, parsePrefix, skipBlanks, splitLines, stripAnsi, words } = common

const NEW_HEADER_RE = /^([^\s:]+(?::\d+)?):?\s+flags=\d+<([^>]*)>(?:\s+mtu\s+(\d+))?/
const OLD_HEADER_RE = /^(\S+)\s+Link encap:(.*?)(?:\s+HWaddr\s+(\S+))?\s*$/
/** First words of detail lines that carry nothing the record keeps (counters, hardware). */
const DETAIL_WORDS = new Set(['RX', 'TX', 'device', 'collisions:0', 'Interrupt', 'Memory', 'unspec', 'loop', 'infiniband', 'tunnel', 'ppp', 'ipip'])

export function parseIfconfig(text: string): ParseResult<InterfaceRecord> {
  const records: InterfaceRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let cur: InterfaceRecord | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const ind = skipBlanks(line, 0)
    if (ind === line.length) {
      cur = undefined // a blank line ends the block
      continue
    }
    // counters: half of every block, nothing to keep
    if (cur && (line.startsWith('RX ', ind) || line.startsWith('TX ', ind))) {
      cur.lines.push(ln)
      continue
    }
    if (ind === 0) {
      const header = headerRecord(ln, line)
      if (header) {
        cur = header
        records.push(cur)
        continue
      }
    }
    const w = words(line)
    if (cur && detail(cur, ln, w)) continue
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: cur ? `unrecognised ifconfig detail: ${clip(line)}` : `ifconfig line outside an interface block: ${clip(line)}` })
  }
  return { records, diagnostics }
}

function headerRecord(ln: number, line: string): InterfaceRecord | undefined {
  let m = NEW_HEADER_RE.exec(line)
  if (m) {
    const rec: InterfaceRecord = { line: ln, lines: [ln], name: m[1] as string, flags: m[2] ? (m[2] as string).split(',') : [], addresses: [] }
    if (m[3]) rec.mtu = Number(m[3])
    return rec
  }
  m = OLD_HEADER_RE.exec(line)
  if (m) {
    const rec: InterfaceRecord = { line: ln, lines: [ln], name: m[1] as string, flags: [], addresses: [] }
    const mac = m[3] ? normaliseMac(m[3]) : undefined
    if (mac) {
      rec.mac = mac
      rec.macLine = ln
    }
    return rec
  }
  return undefined
}

function detail(cur: InterfaceRecord, ln: number, w: string[]): boolean {
  const key = w[0] as string
  if (key === 'inet') {
    if (w[1]?.startsWith('addr:')) return oldInet(cur, ln, w)
    const p = w[1] !== undefined ? parsePrefix(w[1]) : undefined
    if (!p || p.family !== 'inet') return false
    let len = p.prefixLength
    let broadcast: string | undefined
    for (let j = 2; j < w.length - 1; j++) {
      if (w[j] === 'netmask') len = maskToPrefixLength(w[++j] as string) ?? len
      else if (w[j] === 'broadcast') broadcast = w[++j]
    }
    cur.addresses.push(broadcast ? { line: ln, family: 'inet', ip: p.ip, prefixLength: len, broadcast } : { line: ln, family: 'inet', ip: p.ip, prefixLength: len })
    cur.lines.push(ln)
    return true
  }
  if (key === 'inet6') {
    // new: `inet6 fe80::1  prefixlen 64  scopeid 0x20<link>`; old: `inet6 addr: fe80::1/64 Scope:Link`
    const old = w[1] === 'addr:'
    const p = parsePrefix((old ? w[2] : w[1]) ?? '')
    if (!p || p.family !== 'inet6') return false
    let len = p.prefixLength
    let scope: string | undefined
    for (let j = 2; j < w.length; j++) {
      const k = w[j] as string
      if (k === 'prefixlen' && w[j + 1]) len = Number(w[++j])
      else if (k === 'scopeid' && w[j + 1]) scope = /<(\w+)>/.exec(w[++j] as string)?.[1]
      else if (k.startsWith('Scope:')) scope = k.slice(6).toLowerCase()
    }
    cur.addresses.push({ line: ln, family: 'inet6', ip: p.ip, prefixLength: Number.isFinite(len) ? len : 128, ...(scope ? { scope } : {}) })
    cur.lines.push(ln)
    return true
  }
  if (key === 'ether') {
    const mac = w[1] !== undefined ? normaliseMac(w[1]) : undefined
    if (!mac) return false
    cur.mac = mac
    cur.macLine = ln
    cur.lines.push(ln)
    return true
  }
  // old format flag line: `UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1`
  let mtuWord: string | undefined
  for (const x of w) if (x.startsWith('MTU:')) mtuWord = x
  if (mtuWord) {
    const flags: string[] = []
    for (const x of w) if (/^[A-Z]+$/.test(x)) flags.push(x)
    cur.flags = flags
    const mtu = Number(mtuWord.slice(4))
    if (Number.isFinite(mtu)) cur.mtu = mtu
    cur.lines.push(ln)
    return true
  }
  if (DETAIL_WORDS.has(key) || key.startsWith('collisions:') || key.startsWith('Interrupt:')) {
    cur.lines.push(ln)
    return true
  }
  return false
}

function oldInet(cur: InterfaceRecord, ln: number, w: string[]): boolean {
  const ip = (w[1] as string).slice(5)
  const p = parsePrefix(ip)
  if (!p || p.family !== 'inet') return false
  let len = 32
  let broadcast: string | undefined
  for (const x of w) {
    if (x.startsWith('Mask:')) len = maskToPrefixLength(x.slice(5)) ?? len
    else if (x.startsWith('Bcast:')) broadcast = x.slice(6)
  }
  cur.addresses.push(broadcast ? { line: ln, family: 'inet', ip: p.ip, prefixLength: len, broadcast } : { line: ln, family: 'inet', ip: p.ip, prefixLength: len })
  cur.lines.push(ln)
  return true
}
