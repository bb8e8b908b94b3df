/**
 * parseCiliumNat — `cilium bpf nat list` / `cilium-dbg bpf nat list`; findMissingMaps for its errors.
 *
 *   TCP OUT [2001:db8:dead:beef::2]:33388 -> [64:ff9b::8c52:7204]:80 XLATE_SRC [192.168.64.2]:33388 Created=155sec ago NeedsCT=0
 *   → { line: 1, protocol: 'TCP', direction: 'OUT', src: '2001:db8:dead:beef::2', sport: 33388, dst: '64:ff9b::8c52:7204',
 *       dport: 80, xlate: 'XLATE_SRC', to: '192.168.64.2', toPort: 33388, text: '<the line, trimmed>' }
 *
 * An OUT entry with XLATE_SRC is BPF masquerade/SNAT: `to` is the address the node put on the
 * packet. IN/XLATE_DST is the way back.
 *
 *   Unable to open /sys/fs/bpf/tc/globals/cilium_snat_v4_external: Unable to get object …: no such file or directory. Skipping.
 *   → findMissingMaps(stderr, 'stderr') → [{ line: 1, map: 'cilium_snat_v4_external', stream: 'stderr' }]
 *
 * The SNAT maps exist only when BPF masquerading (or BPF NodePort) is on, so their absence is
 * evidence that masquerading, if any, is done by iptables.
 */
import type { CiliumNatRecord, Diagnostic, MissingMapRecord, ParseResult } from '@/lib/model/records'
import { splitLines, words } from './common'
import { splitAddrPort } from './addr-port'
import { noteSkipped } from './skipped'

export function parseCiliumNat(text: string): ParseResult<CiliumNatRecord> {
  const records: CiliumNatRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line.length === 0) continue
    const rec = natEntry(i + 1, line)
    if (rec) {
      records.push(rec)
      continue
    }
    const missing = missingMap(line)
    if (missing) diagnostics.push({ line: i + 1, message: `map ${missing} does not exist (BPF masquerading off)` })
    else noteSkipped(diagnostics, i + 1, line, 'a Cilium NAT entry')
  }
  return { records, diagnostics }
}

function natEntry(line: number, raw: string): CiliumNatRecord | undefined {
  const w = words(raw)
  const [protocol, direction, from, arrow, toward, xlate, target] = w
  if (!protocol || !direction || !from || arrow !== '->' || !toward || !xlate || !target) return undefined
  if (!xlate.startsWith('XLATE_')) return undefined
  const a = splitAddrPort(from)
  const b = splitAddrPort(toward)
  const t = splitAddrPort(target)
  const rec: CiliumNatRecord = { line, text: raw.trim(), protocol, direction, src: a.addr, dst: b.addr, xlate, to: t.addr }
  if (a.port !== undefined) rec.sport = a.port
  if (b.port !== undefined) rec.dport = b.port
  if (t.port !== undefined) rec.toPort = t.port
  return rec
}

/** `…Unable to open /sys/fs/bpf/tc/globals/cilium_snat_v4_external: …` → `cilium_snat_v4_external`. */
function missingMap(line: string): string | undefined {
  const at = line.indexOf('nable to open ')
  if (at === -1) return undefined
  let start = at + 'nable to open '.length
  if (line.startsWith('map ', start)) start += 4
  let end = start
  while (end < line.length) {
    const c = line.charCodeAt(end)
    if (c === 32 || c === 9 || c === 58 /* : */) break
    end++
  }
  const path = line.slice(start, end)
  const name = path.slice(path.lastIndexOf('/') + 1)
  return name.length > 0 ? name : undefined
}

export function findMissingMaps(text: string, stream: 'stdout' | 'stderr'): MissingMapRecord[] {
  const out: MissingMapRecord[] = []
  if (text.indexOf('nable to open') === -1) return out
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const map = missingMap(lines[i] as string)
    if (map) out.push({ line: i + 1, map, stream })
  }
  return out
}
