/**
 * Where the canvas looks: the whole walk when it fits at a readable zoom, otherwise the current
 * hop and its neighbours at that zoom, following the packet. Pure, so the readability rule is
 * unit-tested: node text is at least 12 CSS px (NODE_TEXT_MIN_PX), so a zoom of `minZoom`
 * renders it at 12 × minZoom on screen (projection asks 1.5 → 18 px, hop titles 16 → 24 px).
 */
import { NODE_H, NODE_W, absolutePosition, type FlowLayout } from './walk-to-flow'

/** Smallest font size used inside the canvas (CSS px, before zoom). */
export const NODE_TEXT_MIN_PX = 12
/** Font size of a hop's title on the canvas (CSS px, before zoom). */
export const HOP_TITLE_PX = 16

export interface Viewport {
  x: number
  y: number
  zoom: number
  /** true: the whole walk is on screen; false: the view follows the current hop. */
  whole: boolean
}

interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

const MARGIN = 16

function boxOf(layout: FlowLayout, ids: string[]): Box | undefined {
  let b: Box | undefined
  for (const id of ids) {
    const p = absolutePosition(layout, id)
    if (!p) continue
    const n = { x0: p.x, y0: p.y, x1: p.x + NODE_W, y1: p.y + NODE_H }
    b = b ? { x0: Math.min(b.x0, n.x0), y0: Math.min(b.y0, n.y0), x1: Math.max(b.x1, n.x1), y1: Math.max(b.y1, n.y1) } : n
  }
  return b
}

/** The stops the viewer should see around hop `step`: the one before, the hop, the one after. */
function neighbourIds(layout: FlowLayout, step: number): { before?: string; current?: string; after?: string } {
  const current = layout.hopNodeIds[step]
  const edgeIn = layout.edges.find((e) => e.target === current)
  const edgeOut = layout.edges.find((e) => e.source === current)
  return { before: edgeIn?.source, current, after: edgeOut?.target }
}

/** Screen pixels kept between the drawing and the canvas edge. */
const EDGE = 8

/**
 * Centres `box` at `zoom`, then keeps the drawing on the canvas: an axis on which the whole walk
 * fits is centred on the walk, otherwise the view stops at the walk's edge (no empty band).
 */
function centerOn(box: Box, zoom: number, canvas: { width: number; height: number }, layout: FlowLayout): Viewport {
  const axis = (lo: number, hi: number, size: number, span: number) => {
    if (span * zoom + 2 * EDGE <= size) return (size - span * zoom) / 2
    const ideal = size / 2 - ((lo + hi) / 2) * zoom
    return Math.min(EDGE, Math.max(size - span * zoom - EDGE, ideal))
  }
  return {
    x: axis(box.x0, box.x1, canvas.width, layout.width),
    y: axis(box.y0, box.y1, canvas.height, layout.height),
    zoom,
    whole: false,
  }
}

/**
 * The viewport for hop `step` on a `canvas` of the given size. The walk is shown whole when it
 * fits at `minZoom` or more (capped at `maxZoom`); else the view zooms to `minZoom` on the
 * previous, current and next stops, or on the current and next when those three are too wide.
 */
export function focusViewport(
  layout: FlowLayout,
  step: number,
  canvas: { width: number; height: number },
  { minZoom, maxZoom }: { minZoom: number; maxZoom: number },
): Viewport {
  const whole = Math.min(maxZoom, (canvas.width - 2 * MARGIN) / layout.width, (canvas.height - 2 * MARGIN) / layout.height)
  if (whole >= minZoom) {
    return { x: (canvas.width - layout.width * whole) / 2, y: (canvas.height - layout.height * whole) / 2, zoom: whole, whole: true }
  }
  const { before, current, after } = neighbourIds(layout, step)
  const fits = (b: Box) => (b.x1 - b.x0 + 2 * MARGIN) * minZoom <= canvas.width && (b.y1 - b.y0 + 2 * MARGIN) * minZoom <= canvas.height
  const candidates = [
    [before, current, after],
    [current, after],
    [current],
  ].map((ids) => boxOf(layout, ids.filter((id): id is string => !!id)))
  const box = candidates.find((b) => b && fits(b)) ?? candidates[candidates.length - 1]
  if (!box) return { x: 0, y: 0, zoom: minZoom, whole: false }
  return centerOn(box, minZoom, canvas, layout)
}
