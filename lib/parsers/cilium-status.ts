/**
 * parseCiliumStatus — `cilium status [--verbose]` (agent CLI, any version) as key/value lines.
 *
 *   Host Routing: Legacy
 *   Masquerading: IPTables [IPv4: Enabled, IPv6: Disabled]
 *   Routing:      Network: Native   Host: Legacy
 *   → status.hostRouting = { value: 'Legacy', line: 1 }
 *     status.masquerading = { value: 'IPTables [IPv4: Enabled, IPv6: Disabled]', line: 2 }
 *     status.routing = { value: 'Network: Native   Host: Legacy', line: 3 } (and hostRouting from its `Host:` part)
 *     status.entries = every `Key: value` line; an indented one carries the unindented key above it as `parent`.
 *
 * 1.13+ prints host routing inside `Routing:`; older agents print `Host Routing:`. When a text holds
 * several status outputs (a before/after comparison pasted in one block), the LAST value of each
 * field wins — the state the cluster was left in — and `entries` keeps all of them with their lines.
 * Markdown fences, `[...]` elisions and the cilium-cli ASCII logo are tolerated.
 */
import type { CiliumStatusRecord, Diagnostic, KeyValueRecord } from '@/lib/model/records'
import { indentOf, splitLines, stripAnsi } from './common'
import { noteSkipped } from './skipped'

const KEY_RE = /^[A-Za-z][\w .()/+-]*$/

export function parseCiliumStatus(text: string): { status: CiliumStatusRecord; diagnostics: Diagnostic[] } {
  const entries: KeyValueRecord[] = []
  const status: CiliumStatusRecord = { entries }
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  let parent: string | undefined

  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    let raw = stripAnsi(lines[i] as string)
    if (raw.indexOf('¯') !== -1 || raw.indexOf('\\__/') !== -1) raw = raw.replace(/^[\s/\\¯_]+(?=[A-Za-z])/, '')
    const t = raw.trim()
    if (t.length === 0) continue
    const indent = indentOf(raw)
    const body = t.startsWith('- ') ? t.slice(2) : t
    const colon = body.indexOf(':')
    const key = colon > 0 ? body.slice(0, colon).trim().replace(/\s+/g, ' ') : ''
    if (colon > 0 && KEY_RE.test(key)) {
      const value = body.slice(colon + 1).trim()
      const rec: KeyValueRecord = { line: ln, key, value }
      if (indent > 0 && parent) rec.parent = parent
      else if (indent === 0) parent = key
      entries.push(rec)
      noteField(status, key, value, ln)
      continue
    }
    noteSkipped(diagnostics, ln, raw, 'a status `Key: value` line')
  }
  return { status, diagnostics }
}

function noteField(status: CiliumStatusRecord, key: string, value: string, line: number): void {
  switch (key) {
    case 'Host Routing':
      status.hostRouting = { value, line }
      return
    case 'Masquerading':
      status.masquerading = { value, line }
      return
    case 'KubeProxyReplacement':
      status.kubeProxyReplacement = { value, line }
      return
    case 'Routing': {
      status.routing = { value, line }
      const m = /(?:^|\s)Host:\s*(\S+)/.exec(value)
      if (m) status.hostRouting = { value: m[1] as string, line }
      return
    }
  }
}
