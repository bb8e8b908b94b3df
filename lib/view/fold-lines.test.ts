import { describe, expect, it } from 'vitest'
import { foldAround } from './fold-lines'
import { seedWalk } from './seed-walk.fixture'
import { buildWalkView } from './evidence-windows'

describe('foldAround on the seed walk', () => {
  const { capture, walk } = seedWalk()
  const view = buildWalkView(capture, walk, { id: 'seed', title: 'seed', embedded: true, capturedAt: capture.capturedAt })

  it('keeps every proof line of every hop and folds the rest, counting every line once', () => {
    view.evidence.forEach((evs) => {
      for (const ev of evs) {
        const out = ev.key ? view.outputs[ev.key] : undefined
        if (!out || out.totalLines === 0) continue
        for (const context of [0, 1, 2]) {
          const pieces = foldAround(out, ev.lines, context)
          const lines = pieces.flatMap((p) => (p.kind === 'line' ? [p] : []))
          const shown = lines.map((p) => p.n)
          expect(lines.filter((p) => p.proof).map((p) => p.n)).toEqual([...ev.lines].sort((a, b) => a - b))
          const folded = pieces.reduce((s, p) => s + (p.kind === 'fold' ? p.to - p.from + 1 : 0), 0)
          expect(shown.length + folded).toBe(out.totalLines)
          for (const n of shown) expect(ev.lines.some((p) => Math.abs(p - n) <= context)).toBe(true)
        }
      }
    })
  })

  it('shows the line text exactly as captured', () => {
    const ev = view.evidence[0]![0]!
    const out = view.outputs[ev.key!]!
    const line = foldAround(out, ev.lines, 0).find((p) => p.kind === 'line')
    const raw = capture.hosts[ev.host]!.runs[out.run]!.stdout.split('\n')[ev.lines[0]! - 1]
    expect(line).toMatchObject({ kind: 'line', n: ev.lines[0], text: raw, proof: true })
  })
})
