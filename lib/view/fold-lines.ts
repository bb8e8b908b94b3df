/**
 * Folding an output around its proving lines: the proof lines and `context` lines on each side
 * are shown, every other run of lines becomes one "⋯ n lines" fold, so every proof of a hop fits
 * on screen without scrolling. Pure; the terminal renders the pieces in order.
 */
import type { OutputWindow } from './walk-view'

export type Piece = { kind: 'line'; n: number; text: string; proof: boolean } | { kind: 'fold'; from: number; to: number }

/** The pieces of `out` to draw when folded around `proof` with `context` lines each side. */
export function foldAround(out: OutputWindow, proof: number[], context: number): Piece[] {
  const text = new Map<number, string>()
  for (const c of out.chunks) c.lines.forEach((l, i) => text.set(c.from + i, l))
  const proofs = new Set(proof)
  const keep = (n: number) => text.has(n) && proof.some((p) => Math.abs(p - n) <= context)
  const pieces: Piece[] = []
  let foldFrom = 0
  for (let n = 1; n <= out.totalLines; n++) {
    if (keep(n)) {
      if (foldFrom) pieces.push({ kind: 'fold', from: foldFrom, to: n - 1 })
      foldFrom = 0
      pieces.push({ kind: 'line', n, text: text.get(n) ?? '', proof: proofs.has(n) })
    } else if (!foldFrom) foldFrom = n
  }
  if (foldFrom) pieces.push({ kind: 'fold', from: foldFrom, to: out.totalLines })
  return pieces
}
