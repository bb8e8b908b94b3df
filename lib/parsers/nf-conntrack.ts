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
import { splitLines } from './common'
import { skipBlanks, uintAt, wordEnd } from './scan'
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
  // cheap rejection before any work: every entry has two src= tuples
  if (raw.indexOf('src=') === -1) return undefined
  let i = skipBlanks(raw, 0)
  let e = wordEnd(raw, i)
  let family: 'ipv4' | 'ipv6' | undefined
  if (e - i === 4 && raw.startsWith('ipv', i)) {
    const v = raw.charCodeAt(i + 3)
    if (v === 52 || v === 54) {
      family = v === 52 ? 'ipv4' : 'ipv6'
      i = skipBlanks(raw, wordEnd(raw, skipBlanks(raw, e)))
      e = wordEnd(raw, i)
    }
  }
  const protocol = raw.slice(i, e)
  i = skipBlanks(raw, e)
  e = wordEnd(raw, i)
  const protocolNumber = uintAt(raw, i, e)
  i = skipBlanks(raw, e)
  e = wordEnd(raw, i)
  const timeout = uintAt(raw, i, e)
  if (protocol.length === 0 || protocolNumber === undefined || timeout === undefined) return undefined

  const original: ConntrackTuple = { src: '', dst: '' }
  const reply: ConntrackTuple = { src: '', dst: '' }
  const rec: NfConntrackRecord = { line, text: raw.trim(), protocol, protocolNumber, timeout, original, reply, flags: [] }
  if (family) rec.family = family
  let cur = original
  let tuples = 0
  const n = raw.length
  for (;;) {
    i = skipBlanks(raw, e)
    if (i >= n) break
    e = wordEnd(raw, i)
    const c = raw.charCodeAt(i)
    if (c === 91 /* [ */) {
      rec.flags.push(raw.slice(i + 1, raw.charCodeAt(e - 1) === 93 ? e - 1 : e))
      continue
    }
    const eq = raw.indexOf('=', i)
    if (eq === -1 || eq > e) {
      if (tuples === 0 && rec.state === undefined) rec.state = raw.slice(i, e)
      continue
    }
    const v = eq + 1
    // keys by their first letter, most frequent first; only kept values are sliced
    if (c === 115 /* s */) {
      if (eq - i === 3 && raw.startsWith('src', i)) {
        tuples++
        cur = tuples === 1 ? original : reply
        if (tuples <= 2) cur.src = raw.slice(v, e)
      } else if (eq - i === 5 && raw.startsWith('sport', i)) setTupleNum(cur, 'sport', raw, v, e, tuples)
    } else if (c === 100 /* d */) {
      if (eq - i === 3 && raw.startsWith('dst', i)) {
        if (tuples <= 2) cur.dst = raw.slice(v, e)
      } else if (eq - i === 5 && raw.startsWith('dport', i)) setTupleNum(cur, 'dport', raw, v, e, tuples)
    } else if (eq - i === 4 && raw.startsWith('type', i)) setTupleNum(cur, 'type', raw, v, e, tuples)
    else if (eq - i === 4 && raw.startsWith('code', i)) setTupleNum(cur, 'code', raw, v, e, tuples)
    else if (eq - i === 2 && raw.startsWith('id', i)) setTupleNum(cur, 'id', raw, v, e, tuples)
    else if (eq - i === 4 && raw.startsWith('mark', i)) setNum(rec, 'mark', raw, v, e)
    else if (eq - i === 4 && raw.startsWith('zone', i)) setNum(rec, 'zone', raw, v, e)
    else if (eq - i === 3 && raw.startsWith('use', i)) setNum(rec, 'use', raw, v, e)
  }
  if (tuples < 2 || !original.src || !original.dst || !reply.src || !reply.dst) return undefined
  return rec
}

function setTupleNum(t: ConntrackTuple, key: 'sport' | 'dport' | 'type' | 'code' | 'id', s: string, start: number, end: number, tuples: number): void {
  if (tuples > 2) return
  const v = uintAt(s, start, end)
  if (v !== undefined) t[key] = v
}

function setNum(rec: NfConntrackRecord, key: 'mark' | 'zone' | 'use', s: string, start: number, end: number): void {
  const v = uintAt(s, start, end)
  if (v !== undefined) rec[key] = v
}
