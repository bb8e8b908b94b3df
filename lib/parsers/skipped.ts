/**
 * What a parser does with a line it cannot read: blank lines, author elisions and fences pass
 * silently; an echoed prompt or command and anything else become a diagnostic, so every skipped
 * line of evidence is accounted for.
 */
import type { Diagnostic } from '@/lib/model/records'
import { clip, isElisionOrFence, looksLikePromptOrCommand } from './common'

export function noteSkipped(diagnostics: Diagnostic[], line: number, text: string, what: string): void {
  const t = text.trim()
  if (t.length === 0 || t === '--' || isElisionOrFence(t)) return
  // a prompt is short; a megabyte-long garbage line is not worth the prompt regexes
  if (t.length < 4096 && looksLikePromptOrCommand(t)) {
    diagnostics.push({ line, message: `echoed command line, not output: ${clip(t)}` })
    return
  }
  diagnostics.push({ line, message: `not ${what}: ${clip(t)}` })
}
