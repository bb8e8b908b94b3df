/**
 * parseCiliumLbList — `cilium bpf lb list` / `cilium-dbg bpf lb list`, grep'd subsets too.
 *
 *   10.96.48.145:80/TCP (1)        172.20.0.158:80/TCP (20) (1)
 *   10.96.48.145:80/TCP (0)        0.0.0.0:0 (20) (0) [ClusterIP, non-routable]
 *   → { line: 1, service: '10.96.48.145:80', protocol: 'TCP', backend: '172.20.0.158:80', revNat: 20, slot: 1 }
 *   → { line: 2, service: '10.96.48.145:80', protocol: 'TCP', backend: '0.0.0.0:0', revNat: 20, slot: 0,
 *       master: true, flags: 'ClusterIP, non-routable' }
 *
 * 1.5 printed `SERVICE ADDRESS  BACKEND ADDRESS` with the service only on its first row and
 * `backend (revNAT id)` cells; later versions print `(revNAT id) (slot)`. The `0.0.0.0:0` cell
 * is the service's master slot, not a backend: it is returned with `master: true`.
 */
import type { CiliumLbRecord, Diagnostic, ParseResult } from '@/lib/model/records'
import { splitLines, stripAnsi, words } from './common'
import { splitAddrPort } from './addr-port'
import { noteSkipped } from './skipped'

export function parseCiliumLbList(text: string): ParseResult<CiliumLbRecord> {
  const records: CiliumLbRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let service: { address: string; protocol?: string } | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const raw = stripAnsi(lines[i] as string)
    const w = words(raw)
    if (w.length === 0) continue
    if (w[0] === 'SERVICE' && w[1] === 'ADDRESS') continue
    const indented = raw.charCodeAt(0) === 32 || raw.charCodeAt(0) === 9
    let p = 0
    if (!indented && isAddressCell(w[0])) {
      const s = splitAddrPort(w[0] as string)
      service = { address: s.protocol ? (w[0] as string).slice(0, (w[0] as string).lastIndexOf('/')) : (w[0] as string) }
      if (s.protocol) service.protocol = s.protocol
      p = 1
      // `(2)` after the service: the slot, repeated after the backend
      if (w[p] && /^\(\d+\)$/.test(w[p] as string)) p++
    }
    const rec = service && isAddressCell(w[p]) ? lbRow(ln, service, w, p) : undefined
    if (rec) {
      records.push(rec)
      continue
    }
    noteSkipped(diagnostics, ln, raw, 'a bpf lb list row')
  }
  return { records, diagnostics }
}

function isAddressCell(s: string | undefined): boolean {
  return s !== undefined && s.indexOf(':') !== -1 && (s.indexOf('.') !== -1 || s.charCodeAt(0) === 91 || s.indexOf('::') !== -1)
}

function lbRow(line: number, service: { address: string; protocol?: string }, w: string[], p: number): CiliumLbRecord {
  const cell = w[p] as string
  const b = splitAddrPort(cell)
  const rec: CiliumLbRecord = { line, service: service.address, backend: b.protocol ? cell.slice(0, cell.lastIndexOf('/')) : cell }
  if (service.protocol) rec.protocol = service.protocol
  const numbers: number[] = []
  let k = p + 1
  for (; k < w.length; k++) {
    const t = w[k] as string
    const m = /^\((\d+)\)$/.exec(t)
    if (!m) break
    numbers.push(Number(m[1]))
  }
  if (numbers[0] !== undefined) rec.revNat = numbers[0]
  if (numbers[1] !== undefined) rec.slot = numbers[1]
  if (k < w.length) {
    const flags = w.slice(k).join(' ')
    rec.flags = flags.charCodeAt(0) === 91 && flags.endsWith(']') ? flags.slice(1, -1) : flags
  }
  if ((b.addr === '0.0.0.0' || b.addr === '::') && (b.port === 0 || b.port === undefined)) rec.master = true
  return rec
}
