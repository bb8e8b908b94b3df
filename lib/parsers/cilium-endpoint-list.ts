/**
 * parseCiliumEndpointList — `cilium endpoint list` / `cilium-dbg endpoint list` (1.5 to 1.17+).
 *
 *   ENDPOINT   POLICY (ingress)   POLICY (egress)   IDENTITY   LABELS (source:key[=value])   IPv6   IPv4          STATUS
 *              ENFORCEMENT        ENFORCEMENT
 *   865        Disabled           Disabled          21894      k8s:app=curl                         172.20.2.23   ready
 *                                                              k8s:io.kubernetes.pod.namespace=default
 *   → { line: 3, lines: [3, 4], id: 865, identity: 21894, ipv4: '172.20.2.23',
 *       labels: ['k8s:app=curl', 'k8s:io.kubernetes.pod.namespace=default'], status: 'ready' }
 *
 * Label cells wrap onto indented lines, which belong to the endpoint above. Empty IPv6/IPv4
 * cells are simply absent, so cells are told apart by what they hold (address, `source:label`,
 * status word) rather than by column position.
 */
import type { CiliumEndpointRecord, Diagnostic, ParseResult } from '@/lib/model/records'
import { isIPv4, isIPv6, splitLines, stripAnsi, words } from './common'
import { parseUint } from './addr-port'
import { noteSkipped } from './skipped'

const ENFORCEMENT = new Set(['Enabled', 'Disabled', '(Audit)'])

export function parseCiliumEndpointList(text: string): ParseResult<CiliumEndpointRecord> {
  const records: CiliumEndpointRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let cur: CiliumEndpointRecord | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const raw = stripAnsi(lines[i] as string)
    const w = words(raw)
    if (w.length === 0) continue
    const first = w[0] as string
    if (first === 'ENDPOINT' || (first === 'ENFORCEMENT' && w.every((x) => x === 'ENFORCEMENT'))) continue
    const indented = raw.charCodeAt(0) === 32 || raw.charCodeAt(0) === 9
    const id = parseUint(first)
    if (id !== undefined && !indented) {
      cur = endpointRow(ln, id, w)
      records.push(cur)
      continue
    }
    if (cur && indented && w.length === 1 && isLabel(first)) {
      cur.labels.push(first)
      cur.lines.push(ln)
      continue
    }
    cur = undefined
    noteSkipped(diagnostics, ln, raw, 'an endpoint list row')
  }
  return { records, diagnostics }
}

function isLabel(s: string): boolean {
  return s.indexOf(':') > 0 && !isIPv6(s)
}

function endpointRow(line: number, id: number, w: string[]): CiliumEndpointRecord {
  const rec: CiliumEndpointRecord = { line, lines: [line], id, labels: [] }
  let p = 1
  while (p < w.length && ENFORCEMENT.has(w[p] as string)) p++
  const identity = parseUint(w[p])
  if (identity !== undefined) {
    rec.identity = identity
    p++
  }
  for (; p < w.length; p++) {
    const t = w[p] as string
    if (isIPv4(t)) rec.ipv4 = t
    else if (isIPv6(t)) rec.ipv6 = t
    else if (isLabel(t)) rec.labels.push(t)
    else if (p === w.length - 1) rec.status = t
  }
  return rec
}
