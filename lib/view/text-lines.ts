/**
 * Line access on command outputs, 1-based like the walk's evidence. A trailing newline ends the
 * last line rather than starting an empty one, matching how the parsers number lines.
 */

/** Offsets where each line starts; computed once per output and reused for every window. */
export function lineStarts(text: string): number[] {
  const starts = [0]
  let i = text.indexOf('\n')
  while (i !== -1) {
    starts.push(i + 1)
    i = text.indexOf('\n', i + 1)
  }
  if (text.length === 0 || starts[starts.length - 1] === text.length) starts.pop()
  return starts
}

/** Lines `from`..`from+count-1` (1-based, clamped), with `\r` of CRLF outputs removed. */
export function sliceLines(text: string, starts: number[], from: number, count: number): string[] {
  const first = Math.max(1, from)
  const last = Math.min(starts.length, from + count - 1)
  const out: string[] = []
  for (let n = first; n <= last; n++) {
    const start = starts[n - 1] ?? 0
    const next = starts[n]
    const end = next === undefined ? text.length : next - 1
    out.push(text.slice(start, end).replace(/\r?\n?$/, ''))
  }
  return out
}
