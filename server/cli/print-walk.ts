/**
 * The readable form of a walk for a terminal: one row per hop (number, kind, where, proven,
 * summary) with the evidence lines under it, then the datapath basis and the warnings.
 */
import type { Evidence, Walk } from '@/lib/model/walk'

function wrap(text: string, width: number): string[] {
  const out: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) out.push(line)
  return out.length ? out : ['']
}

export function formatEvidence(e: Evidence): string {
  const lines = e.lines.length ? ` L${e.lines.join(',L')}` : ' (no matching line)'
  return `${e.host}: ${e.command}${e.stream === 'stderr' ? ' [stderr]' : ''}${lines}`
}

export function formatWalkTable(walk: Walk, width = 110): string {
  const out: string[] = []
  const { source, destination } = walk.flow
  const dst = `${destination.ip}${destination.port !== undefined && destination.protocol !== 'icmp' ? `:${destination.port}` : ''}/${destination.protocol}`
  out.push(`packet walk: ${source.pod ?? source.ip} (${source.ip}) → ${destination.pod ?? destination.service ?? dst}${destination.pod || destination.service ? ` (${dst})` : ''}`)
  out.push('')
  const rows = walk.hops.map((h, i) => ({
    n: String(i + 1),
    kind: h.kind,
    where: `${h.host}${h.place ? ` (${h.place})` : ''}`,
    proven: h.proven ? 'yes' : 'NO',
    summary: h.summary,
    evidence: h.evidence.filter((e) => e.lines.length > 0).map(formatEvidence),
    prove: h.prove ? `prove with: ${h.prove.command} on ${h.prove.host}` : undefined,
  }))
  const wn = Math.max(1, ...rows.map((r) => r.n.length))
  const wk = Math.max(4, ...rows.map((r) => r.kind.length))
  const ww = Math.min(28, Math.max(5, ...rows.map((r) => r.where.length)))
  const wp = 6
  const indent = wn + 2 + wk + 2 + ww + 2 + wp + 2
  const ws = Math.max(30, width - indent)
  const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length))
  out.push(`${pad('#', wn)}  ${pad('kind', wk)}  ${pad('where', ww)}  ${pad('proven', wp)}  summary / evidence`)
  for (const r of rows) {
    const summary = wrap(r.summary, ws)
    out.push(`${pad(r.n, wn)}  ${pad(r.kind, wk)}  ${pad(r.where, ww)}  ${pad(r.proven, wp)}  ${summary[0]}`)
    const more = [...summary.slice(1), ...r.evidence.map((e) => `↳ ${e}`), ...(r.prove ? [`↳ ${r.prove}`] : [])]
    for (const m of more) for (const piece of wrap(m, ws)) out.push(`${' '.repeat(indent)}${piece}`)
  }
  if (walk.datapath?.basis.length) {
    out.push('')
    out.push('datapath:')
    for (const b of walk.datapath.basis) for (const [i, piece] of wrap(b, width - 4).entries()) out.push(`${i ? '    ' : '  - '}${piece}`)
  }
  if (walk.warnings.length) {
    out.push('')
    out.push(`warnings (${walk.warnings.length}):`)
    for (const w of walk.warnings) for (const [i, piece] of wrap(w, width - 4).entries()) out.push(`${i ? '    ' : '  ! '}${piece}`)
  }
  return out.join('\n') + '\n'
}
