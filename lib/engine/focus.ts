/**
 * parseFocused: runs a line-oriented parser only on the lines that contain one of `needles`,
 * then gives every record and diagnostic its line number in the whole output again.
 *
 * A walk needs the flow's entries, not all 200,000 of a node's conntrack lines; a substring scan
 * is ~50× cheaper than parsing, so big tables (CT, NAT, conntrack) are narrowed first. Only for
 * outputs whose lines stand alone (one record per line, no headers or continuations).
 */
import type { Diagnostic } from '@/lib/model/records'

export interface FocusedResult<T> {
  records: T[]
  diagnostics: Diagnostic[]
}

/** Outputs smaller than this are parsed whole: the scan would not pay for itself. */
export const FOCUS_MIN_BYTES = 256 * 1024

export function parseFocused<T extends { line: number }>(
  text: string,
  needles: readonly string[],
  parse: (t: string) => { records: T[]; diagnostics: Diagnostic[] },
): FocusedResult<T> {
  const wanted = needles.filter((n) => n.length > 0)
  if (text.length < FOCUS_MIN_BYTES || wanted.length === 0) return parse(text)
  // start offsets of the lines holding a needle, deduplicated and in order
  const starts = new Set<number>()
  for (const needle of wanted) {
    let at = text.indexOf(needle)
    while (at !== -1) {
      const start = text.lastIndexOf('\n', at) + 1
      starts.add(start)
      const end = text.indexOf('\n', at)
      if (end === -1) break
      at = text.indexOf(needle, end + 1)
    }
  }
  const sorted = [...starts].sort((a, b) => a - b)
  const kept: string[] = []
  const lineOf: number[] = []
  let line = 1
  let pos = 0
  for (const start of sorted) {
    // count the newlines between the previous position and this line's start
    let nl = text.indexOf('\n', pos)
    while (nl !== -1 && nl < start) {
      line++
      nl = text.indexOf('\n', nl + 1)
    }
    pos = start
    const end = text.indexOf('\n', start)
    kept.push(text.slice(start, end === -1 ? text.length : end))
    lineOf.push(line)
  }
  const r = parse(kept.join('\n'))
  const map = (n: number) => lineOf[n - 1] ?? n
  for (const rec of r.records) rec.line = map(rec.line)
  for (const d of r.diagnostics) d.line = map(d.line)
  return r
}
