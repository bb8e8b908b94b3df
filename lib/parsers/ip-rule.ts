/**
 * parseIpRule — `ip rule [show]` (policy routing rules, IPv4 or IPv6).
 *
 *   9:	from all fwmark 0x200/0xf00 lookup 2004
 *   → { line: 1, priority: 9, from: 'all', fwmark: '0x200/0xf00', table: '2004', action: 'lookup' }
 *
 *   1000:	not from all to 10.0.0.0/8 iif lo [detached] goto 32766
 *   → { priority: 1000, not: true, from: 'all', to: '10.0.0.0/8', iif: 'lo', action: 'goto' }
 */
import type { Diagnostic, ParseResult, RuleRecord } from '@/lib/model/records'
import * as common from './common'

// Bound once: a transpiled `import { x }` is a property read on every call.
const { clip, isNoise, splitLines, stripAnsi, words } = common

const PRIORITY_RE = /^(\d+):$/
const ACTIONS = new Set(['blackhole', 'unreachable', 'prohibit', 'nop'])
/** Selectors and options with one value that the record does not keep. */
const OTHER_KEYS = new Set([
  'tos', 'dsfield', 'realms', 'uidrange', 'ipproto', 'sport', 'dport', 'protocol', 'proto', 'suppress_prefixlength',
  'suppress_ifgroup', 'tun_id', 'nat', 'map-to', 'pref', 'priority', 'l3mdev',
])

export function parseIpRule(text: string): ParseResult<RuleRecord> {
  const records: RuleRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const w = words(line)
    if (w.length === 0) continue
    const rec = ruleRecord(ln, w)
    if (rec) {
      records.push(rec)
      continue
    }
    if (isNoise(line)) continue
    diagnostics.push({ line: ln, message: `unrecognised ip rule line: ${clip(line)}` })
  }
  return { records, diagnostics }
}

function ruleRecord(ln: number, w: string[]): RuleRecord | undefined {
  const m = PRIORITY_RE.exec(w[0] as string)
  if (!m) return undefined
  const rec: RuleRecord = { line: ln, priority: Number(m[1]), action: 'lookup' }
  let action: string | undefined
  for (let j = 1; j < w.length; j++) {
    const k = w[j] as string
    if (k === 'not') {
      rec.not = true
      continue
    }
    if (k === 'l3mdev' || k === '[detached]' || k === 'detached') continue
    if (ACTIONS.has(k)) {
      action = k
      continue
    }
    const v = w[j + 1]
    if (v === undefined) return undefined
    j++
    switch (k) {
      case 'from':
        rec.from = v
        break
      case 'to':
        rec.to = v
        break
      case 'fwmark':
        rec.fwmark = v
        break
      case 'iif':
        rec.iif = v
        break
      case 'oif':
        rec.oif = v
        break
      case 'lookup':
      case 'table':
        rec.table = v
        action ??= 'lookup'
        break
      case 'goto':
        action = 'goto'
        break
      default:
        if (!OTHER_KEYS.has(k)) return undefined
    }
  }
  if (!action) return undefined
  rec.action = action
  return rec
}
