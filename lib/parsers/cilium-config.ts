/**
 * parseCiliumConfig — `cilium config view` (cilium-cli, two columns), `cilium-dbg config`
 * (`Key : value`), and `key: value` / `key=value` spellings, grep'd subsets included.
 *
 *   enable-bpf-masquerade                             false
 *   → { line: 1, key: 'enable-bpf-masquerade', value: 'false' }
 *   enable-ipv4-masquerade: "true"      (ConfigMap YAML)
 *   → { key: 'enable-ipv4-masquerade', value: 'true' }
 *
 * A key alone on its line is an empty value (`vtep-cidr` printed with nothing after it).
 * `#` banner lines (`##### Read-only configurations #####`) are skipped.
 */
import type { Diagnostic, KeyValueRecord, ParseResult } from '@/lib/model/records'
import { looksLikePromptOrCommand, splitLines, stripAnsi } from './common'
import { noteSkipped } from './skipped'

const KEY_RE = /^[A-Za-z][\w.\-/]*$/

export function parseCiliumConfig(text: string): ParseResult<KeyValueRecord> {
  const records: KeyValueRecord[] = []
  const diagnostics: Diagnostic[] = []
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1
    const line = stripAnsi(lines[i] as string).trim()
    if (line.length === 0) continue
    const command = line.length < 4096 && looksLikePromptOrCommand(line)
    if (line.charCodeAt(0) === 35 /* # */ && !command) continue
    const kv = command ? undefined : keyValue(line)
    if (kv && KEY_RE.test(kv.key)) {
      records.push({ line: ln, key: kv.key, value: unquote(kv.value) })
      continue
    }
    noteSkipped(diagnostics, ln, line, 'a config key and value')
  }
  return { records, diagnostics }
}

function keyValue(line: string): { key: string; value: string } | undefined {
  let ws = 0
  while (ws < line.length && line.charCodeAt(ws) !== 32 && line.charCodeAt(ws) !== 9) ws++
  const first = line.slice(0, ws)
  const rest = line.slice(ws).trim()
  // `key: value` / `key : value`
  if (first.endsWith(':') && first.length > 1) return { key: first.slice(0, -1), value: rest }
  if (rest.startsWith(':') && (rest.length === 1 || rest.charCodeAt(1) === 32 || rest.charCodeAt(1) === 9)) {
    return { key: first, value: rest.slice(1).trim() }
  }
  // `key=value`
  const eq = first.indexOf('=')
  if (eq > 0 && rest.length === 0) return { key: first.slice(0, eq), value: first.slice(eq + 1) }
  return { key: first, value: rest }
}

function unquote(v: string): string {
  if (v.length >= 2) {
    const c = v.charCodeAt(0)
    if ((c === 34 || c === 39) && v.charCodeAt(v.length - 1) === c) return v.slice(1, -1)
  }
  return v
}
