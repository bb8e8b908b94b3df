/**
 * parseBpftoolNet — `bpftool net show` (alias `bpftool net list`), any version, grep'd subsets too.
 *
 *   tc:
 *   lxc473b3117af85(24) clsact/ingress bpf_lxc.o:[from-container] id 2895
 *   → { line: 2, device: 'lxc473b3117af85', ifindex: 24, attachType: 'clsact', direction: 'ingress', section: 'tc',
 *       name: 'bpf_lxc.o:[from-container]', object: 'bpf_lxc.o', program: 'from-container', id: 2895 }
 *   eth0(2) tcx/ingress cil_from_netdev prog_id 1975 link_id 16
 *   → { device: 'eth0', ifindex: 2, attachType: 'tcx', direction: 'ingress', name: 'cil_from_netdev',
 *       program: 'cil_from_netdev', id: 1975, linkId: 16 }
 *   xdp:
 *   eth0(2) driver id 52
 *   → { device: 'eth0', ifindex: 2, attachType: 'xdp', name: 'driver', id: 52 }
 *
 * Device lines are read wherever they are: `bpftool net show | grep 24` drops the section
 * headers, and `clsact/` or `tcx/` says enough. `flow_dissector:` and `netfilter:` entries are
 * not device attachments and become diagnostics.
 */
import type { BpftoolNetRecord, Diagnostic, ParseResult } from '@/lib/model/records'
import { splitLines, stripAnsi, words } from './common'
import { parseUint } from './addr-port'
import { splitBpfProgramName } from './bpf-program-name'
import { noteSkipped } from './skipped'

const SECTION_RE = /^([a-z_]+):$/

export function parseBpftoolNet(text: string): ParseResult<BpftoolNetRecord> {
  const records: BpftoolNetRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let section: string | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const w = words(line)
    if (w.length === 0) continue
    const first = w[0] as string
    if (w.length === 1) {
      const m = SECTION_RE.exec(first)
      if (m) {
        section = m[1]
        continue
      }
    }
    const rec = attachmentRecord(ln, w, section)
    if (rec) {
      records.push(rec)
      continue
    }
    noteSkipped(diagnostics, ln, line, 'a bpftool net device attachment')
  }
  return { records, diagnostics }
}

/** `dev(ifindex) kind/dir name [id N] [prog_id N] [link_id N]` or, under `xdp:`, `dev(ifindex) mode id N`. */
function attachmentRecord(line: number, w: string[], section: string | undefined): BpftoolNetRecord | undefined {
  const head = w[0] as string
  const open = head.lastIndexOf('(')
  if (open <= 0 || head.charCodeAt(head.length - 1) !== 41 /* ) */ || w.length < 2) return undefined
  const ifindex = parseUint(head.slice(open + 1, -1))
  if (ifindex === undefined) return undefined
  const rec: BpftoolNetRecord = { line, device: head.slice(0, open), ifindex, attachType: '', name: '' }
  if (section) rec.section = section

  const hook = w[1] as string
  const slash = hook.indexOf('/')
  let next = 2
  if (slash > 0) {
    const dir = hook.slice(slash + 1)
    rec.attachType = hook.slice(0, slash)
    if (dir === 'ingress' || dir === 'egress') rec.direction = dir
    else return undefined
    const name = w[2]
    if (name === undefined || name === 'id' || name === 'prog_id') return undefined
    rec.name = name
    next = 3
    const split = splitBpfProgramName(name)
    if (split.object) rec.object = split.object
    rec.program = split.program
    if (split.device) rec.nameDevice = split.device
  } else if (section === 'xdp' || hook === 'driver' || hook === 'generic' || hook === 'offload') {
    // xdp lines print the attach mode where tc lines print kind/direction, and no program name
    rec.attachType = 'xdp'
    rec.name = hook
  } else {
    return undefined
  }
  for (let i = next; i < w.length; i++) {
    const t = w[i]
    if (t === 'id' || t === 'prog_id') rec.id = parseUint(w[++i])
    else if (t === 'link_id') rec.linkId = parseUint(w[++i])
  }
  if (rec.id === undefined) delete rec.id
  if (rec.linkId === undefined) delete rec.linkId
  return rec
}
