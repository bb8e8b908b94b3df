/**
 * parseTcFilter — `tc filter show dev <dev> ingress|egress` (iproute2, any version).
 *
 *   filter protocol all pref 1 bpf chain 0
 *   filter protocol all pref 1 bpf chain 0 handle 0x1 bpf_lxc.o:[from-container] direct-action not_in_hw id 13245 tag 7febdcdfe7cdd86f jited
 *   → { line: 2, protocol: 'all', pref: 1, chain: 0, handle: '0x1', kind: 'bpf', name: 'bpf_lxc.o:[from-container]',
 *       object: 'bpf_lxc.o', program: 'from-container', directAction: true, id: 13245, tag: '7febdcdfe7cdd86f', jited: true }
 *
 * The first line is the header tc prints once per priority; it is not a filter and yields nothing.
 * Cilium 1.13+ names filters `cil_from_container-lxc84a447e034a3` (program, then the device).
 * Several filters can share a priority (a foreign classifier next to Cilium's, cilium#21345), so
 * every `handle` line is its own record. When the output carries its echoed `tc filter show dev X
 * ingress` line (pasted sessions, `a; b` combined outputs), the records below it get that device
 * and direction; an empty output between two echoed commands is an empty hook.
 */
import type { Diagnostic, ParseResult, TcFilterRecord } from '@/lib/model/records'
import { clip, splitLines, stripAnsi, stripPrompt, words } from './common'
import { parseUint } from './addr-port'
import { splitBpfProgramName } from './bpf-program-name'
import { noteSkipped } from './skipped'

const FLAG_WORDS = new Set(['not_in_hw', 'in_hw', 'skip_hw', 'skip_sw', 'verbose'])

export function parseTcFilter(text: string): ParseResult<TcFilterRecord> {
  const records: TcFilterRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let context: { device?: string; direction?: 'ingress' | 'egress' } = {}

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string)
    const w = words(line)
    if (w.length === 0) continue
    if (w[0] === 'filter') {
      const rec = filterRecord(ln, w, context)
      if (rec) records.push(rec)
      continue
    }
    const echoed = echoedTcShow(line)
    if (echoed) {
      context = echoed
      diagnostics.push({ line: ln, message: `echoed command line, not output: ${clip(line)}` })
      continue
    }
    noteSkipped(diagnostics, ln, line, 'a tc filter line')
  }
  return { records, diagnostics }
}

function filterRecord(
  line: number,
  w: string[],
  context: { device?: string; direction?: 'ingress' | 'egress' },
): TcFilterRecord | undefined {
  const rec: TcFilterRecord = { line, kind: '' }
  let afterPref = false
  let hasHandle = false
  for (let i = 1; i < w.length; i++) {
    const t = w[i] as string
    switch (t) {
      case 'parent':
        rec.parent = w[++i]
        continue
      case 'protocol':
        rec.protocol = w[++i]
        continue
      case 'pref':
      case 'prio':
        rec.pref = parseUint(w[++i])
        afterPref = true
        continue
      case 'chain':
        rec.chain = parseUint(w[++i])
        continue
      case 'handle':
      case 'fh':
        rec.handle = w[++i]
        hasHandle = true
        continue
      case 'id':
        rec.id = parseUint(w[++i])
        continue
      case 'tag':
        rec.tag = w[++i]
        continue
      case 'jited':
        rec.jited = true
        continue
      case 'direct-action':
      case 'da':
        rec.directAction = true
        continue
      case 'in_hw_count':
        i++
        continue
    }
    if (FLAG_WORDS.has(t)) continue
    if (afterPref && rec.kind === '') {
      rec.kind = t
    } else if (rec.kind === 'bpf' && hasHandle && rec.name === undefined) {
      rec.name = t
    } else if (rec.kind === '') {
      rec.kind = t
    }
    afterPref = false
  }
  // `filter protocol all pref 1 bpf chain 0`: the per-priority header, not a filter
  if (!hasHandle) return undefined
  if (rec.name !== undefined) {
    const split = splitBpfProgramName(rec.name)
    if (split.object) rec.object = split.object
    rec.program = split.program
    if (split.device) rec.device = split.device
  }
  if (context.device) rec.device = context.device
  if (context.direction) rec.direction = context.direction
  for (const k of Object.keys(rec) as (keyof TcFilterRecord)[]) if (rec[k] === undefined) delete rec[k]
  return rec
}

/**
 * `root@node:/# tc filter show dev lxc5869b5857a3d ingress` → { device, direction }.
 * A line holding two `tc filter show` commands (`a; b`) cannot say which output is whose: the
 * context is cleared rather than guessed.
 */
function echoedTcShow(line: string): { device?: string; direction?: 'ingress' | 'egress' } | undefined {
  const cmd = stripPrompt(line) ?? line.trim()
  const at = cmd.indexOf('tc filter show')
  if (at === -1) return undefined
  if (cmd.indexOf('tc filter show', at + 1) !== -1) return {}
  const w = words(cmd.slice(at))
  const out: { device?: string; direction?: 'ingress' | 'egress' } = {}
  for (let i = 3; i < w.length; i++) {
    const t = w[i] as string
    if (t === 'dev') out.device = w[++i]
    else if (t === 'ingress' || t === 'egress') out.direction = t
    else if (t === '|' || t === ';' || t === '&&') break
  }
  return out
}
