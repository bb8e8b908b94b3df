/**
 * parseCiliumServiceList — `cilium service list` / `cilium-dbg service list` / `cilium service get <id>`.
 *
 *   ID   Frontend                Service Type   Backend
 *   20   10.96.48.145:80/TCP     ClusterIP      1 => 172.20.0.158:80/TCP (active)
 *                                               2 => 172.20.1.219:80/TCP (active)
 *   → { line: 2, lines: [2, 3], id: 20, frontend: '10.96.48.145:80', protocol: 'TCP', type: 'ClusterIP',
 *       backends: [{ line: 2, index: 1, address: '172.20.0.158:80', protocol: 'TCP', state: 'active' },
 *                  { line: 3, index: 2, address: '172.20.1.219:80', protocol: 'TCP', state: 'active' }] }
 *
 * Eras: 2017 `10.0.0.10:53 =>` header lines with tab-indented `1 => 10.1.0.3:53 (1)` backends (the
 * number is the rev-NAT id); 1.5 without the type column; 1.10 CI logs with tab-prefixed lines and
 * services without backends; ≥1.14 `(active)`/`(maintenance)` states; ≥1.17 `/TCP` suffixes, kept
 * in `protocol` so that frontend and backend addresses stay `ip:port`.
 */
import type { CiliumServiceRecord, Diagnostic, ParseResult } from '@/lib/model/records'
import { splitLines, stripAnsi, words } from './common'
import { parseUint, splitAddrPort } from './addr-port'
import { noteSkipped } from './skipped'

type Backend = CiliumServiceRecord['backends'][number]

export function parseCiliumServiceList(text: string): ParseResult<CiliumServiceRecord> {
  const records: CiliumServiceRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let cur: CiliumServiceRecord | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const raw = stripAnsi(lines[i] as string)
    const w = words(raw)
    if (w.length === 0) continue
    const first = w[0] as string
    if (first === 'ID' && w[1] === 'Frontend') continue

    // `N => backend …` continues the service above
    if (w[1] === '=>' && parseUint(first) !== undefined) {
      const b = backend(ln, w, 0)
      if (cur && b) {
        cur.backends.push(b)
        if (cur.lines[cur.lines.length - 1] !== ln) cur.lines.push(ln)
        continue
      }
    }
    // 2017: `10.0.0.10:53 =>`
    if (w.length === 2 && w[1] === '=>' && first.indexOf(':') !== -1) {
      cur = service(ln, undefined, first)
      records.push(cur)
      continue
    }
    const id = parseUint(first)
    if (id !== undefined && w[1] !== undefined && w[1].indexOf(':') !== -1) {
      cur = service(ln, id, w[1])
      records.push(cur)
      let p = 2
      if (w[p] !== undefined && w[p + 1] !== '=>') cur.type = w[p++]
      if (w[p] !== undefined) {
        const b = backend(ln, w, p)
        if (b) cur.backends.push(b)
        else diagnostics.push({ line: ln, message: `backend cell not understood: ${w.slice(p).join(' ')}` })
      }
      continue
    }
    cur = undefined
    noteSkipped(diagnostics, ln, raw, 'a service list row')
  }
  return { records, diagnostics }
}

function service(line: number, id: number | undefined, frontendCell: string): CiliumServiceRecord {
  const f = splitAddrPort(frontendCell)
  const rec: CiliumServiceRecord = { line, lines: [line], frontend: withoutProtocol(frontendCell, f.protocol), backends: [] }
  if (id !== undefined) rec.id = id
  if (f.protocol) rec.protocol = f.protocol
  return rec
}

/** `1 => 10.1.0.3:53 (1)` / `1 => 172.20.0.11:8081/TCP (active)` starting at w[p]. */
function backend(line: number, w: string[], p: number): Backend | undefined {
  const index = parseUint(w[p])
  const addrCell = w[p + 2]
  if (index === undefined || w[p + 1] !== '=>' || addrCell === undefined) return undefined
  const a = splitAddrPort(addrCell)
  const b: Backend = { line, index, address: withoutProtocol(addrCell, a.protocol) }
  if (a.protocol) b.protocol = a.protocol
  const extra = w[p + 3]
  if (extra && extra.charCodeAt(0) === 40 /* ( */) {
    const inner = extra.slice(1, extra.charCodeAt(extra.length - 1) === 41 ? -1 : undefined)
    const revNat = parseUint(inner)
    if (revNat !== undefined) b.revNat = revNat
    else b.state = inner
  }
  return b
}

function withoutProtocol(cell: string, protocol: string | undefined): string {
  return protocol ? cell.slice(0, cell.lastIndexOf('/')) : cell
}
