/**
 * parseNfConntrack — `/proc/net/nf_conntrack` and `conntrack -L` (also grep'd subsets of both).
 *
 *   ipv4 2 tcp 6 117 TIME_WAIT src=10.244.0.213 dst=1.0.0.1 sport=41708 dport=80 src=1.0.0.1 dst=164.92.138.123 sport=80 dport=41708 [ASSURED] mark=0 zone=0 use=2
 *   → { line: 1, family: 'ipv4', protocol: 'tcp', protocolNumber: 6, timeout: 117, state: 'TIME_WAIT',
 *       original: { src: '10.244.0.213', dst: '1.0.0.1', sport: 41708, dport: 80 },
 *       reply: { src: '1.0.0.1', dst: '164.92.138.123', sport: 80, dport: 41708 },
 *       flags: ['ASSURED'], mark: 0, zone: 0, use: 2, text: '<the line, trimmed>' }
 *
 * `conntrack -L` lines are the same without the leading `ipv4 2`. The first tuple is the
 * original direction, the second the reply: a reply whose addresses differ from the swapped
 * original is NAT (here the reply goes to 164.92.138.123, the node: masquerade). ICMP tuples
 * carry type/code/id instead of ports. The `conntrack v1.4.6 (conntrack-tools): N flow entries
 * have been shown.` trailer is skipped; other lines (netstat, kubectl) become diagnostics.
 */
import type { ConntrackTuple, Diagnostic, NfConntrackRecord, ParseResult } from '@/lib/model/records'
import { splitLines, words } from './common'
import { parseUint } from './addr-port'
import { noteSkipped } from './skipped'

export function parseNfConntrack(text: string): ParseResult<NfConntrackRecord> {
  const records: NfConntrackRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line.length === 0) continue
    const rec = conntrackEntry(i + 1, line)
    if (rec) {
      records.push(rec)
      continue
    }
    if (line.startsWith('conntrack v')) continue
    noteSkipped(diagnostics, i + 1, line, 'a conntrack entry')
  }
  return { records, diagnostics }
}

function conntrackEntry(line: number, raw: string): NfConntrackRecord | undefined {
  // cheap rejection before splitting: every entry has at least two src= tuples
  const firstSrc = raw.indexOf('src=')
  if (firstSrc === -1) return undefined
  const w = words(raw)
  let p = 0
  let family: 'ipv4' | 'ipv6' | undefined
  if (w[0] === 'ipv4' || w[0] === 'ipv6') {
    family = w[0]
    p = 2
  }
  const protocol = w[p]
  const protocolNumber = parseUint(w[p + 1])
  const timeout = parseUint(w[p + 2])
  if (protocol === undefined || protocolNumber === undefined || timeout === undefined) return undefined
  p += 3

  const original: ConntrackTuple = { src: '', dst: '' }
  const reply: ConntrackTuple = { src: '', dst: '' }
  const rec: NfConntrackRecord = { line, text: raw.trim(), protocol, protocolNumber, timeout, original, reply, flags: [] }
  if (family) rec.family = family
  let cur = original
  let tuples = 0
  for (; p < w.length; p++) {
    const t = w[p] as string
    const c = t.charCodeAt(0)
    if (c === 91 /* [ */) {
      rec.flags.push(t.slice(1, t.charCodeAt(t.length - 1) === 93 ? -1 : undefined))
      continue
    }
    const eq = t.indexOf('=')
    if (eq === -1) {
      if (tuples === 0 && rec.state === undefined) rec.state = t
      continue
    }
    const key = t.slice(0, eq)
    const value = t.slice(eq + 1)
    switch (key) {
      case 'src':
        tuples++
        cur = tuples === 1 ? original : reply
        if (tuples <= 2) cur.src = value
        break
      case 'dst':
        if (tuples <= 2) cur.dst = value
        break
      case 'sport':
      case 'dport':
      case 'type':
      case 'code':
      case 'id': {
        const v = parseUint(value)
        if (v !== undefined && tuples <= 2) cur[key] = v
        break
      }
      case 'mark':
      case 'zone':
      case 'use': {
        const v = parseUint(value)
        if (v !== undefined) rec[key] = v
        break
      }
    }
  }
  if (tuples < 2 || !original.src || !original.dst || !reply.src || !reply.dst) return undefined
  return rec
}
