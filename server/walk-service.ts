/**
 * The only place that turns a capture into what the UI shows: capture → inferWalk (the engine)
 * → WalkView (evidence windows). Results are memoised per capture id; ids of uploads are
 * content hashes, so a cached walk can never be stale.
 */
import { inferWalk } from '@/lib/engine'
import type { Capture } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'
import { buildWalkView } from '@/lib/view/evidence-windows'
import type { WalkView } from '@/lib/view/walk-view'
import { addUploadedCapture, lookupCapture, type StoredCapture, type Timings } from './captures'

const walks = new WeakMap<StoredCapture, Walk>()
const views = new WeakMap<StoredCapture, WalkView>()
const replyViews = new WeakMap<StoredCapture, WalkView | null>()

export type Direction = 'request' | 'reply'

/** The engine's walk with options; an engine without the reply walk ignores the option. */
const infer: (capture: Capture, options?: { reply?: boolean }) => Walk = inferWalk

/** A walk is the reply when the engine says so or when it starts from the request's destination. */
function isReply(walk: Walk, capture: Capture): boolean {
  const w = walk as Walk & { direction?: unknown; reply?: unknown }
  return w.direction === 'reply' || w.reply === true || walk.flow.source.ip === capture.flow.destination.ip
}

/** The reply walk's view (cached), or null when the engine gives none for this capture. */
function replyViewOf(stored: StoredCapture): ViewResult {
  try {
    let view = replyViews.get(stored)
    if (view === undefined) {
      const walk = infer(stored.capture, { reply: true })
      view = isReply(walk, stored.capture) ? buildWalkView(stored.capture, walk, stored.summary) : null
      replyViews.set(stored, view)
    }
    return view ? { ok: true, view } : { ok: false, status: 404, error: 'no reply walk for this capture' }
  } catch (e) {
    return { ok: false, status: 500, error: `the path engine failed on the reply: ${e instanceof Error ? e.message : String(e)}` }
  }
}

export type ViewResult = { ok: true; view: WalkView } | { ok: false; status: number; error: string }

function walkOf(stored: StoredCapture): Walk {
  let walk = walks.get(stored)
  if (!walk) walks.set(stored, (walk = inferWalk(stored.capture)))
  return walk
}

function viewOf(stored: StoredCapture): ViewResult {
  try {
    let view = views.get(stored)
    if (!view) views.set(stored, (view = buildWalkView(stored.capture, walkOf(stored), stored.summary)))
    return { ok: true, view }
  } catch (e) {
    // The engine must not throw on a valid capture; if it does, say so instead of a 500 page.
    return { ok: false, status: 500, error: `the path engine failed on this capture: ${e instanceof Error ? e.message : String(e)}` }
  }
}

/** The walk view of a known capture (its request, or its reply), or a 404 result (410 when it was evicted). */
export function walkViewFor(id: string, direction: Direction = 'request'): ViewResult {
  const r = lookupCapture(id)
  if (!r.found) return { ok: false, status: r.status, error: r.error }
  return direction === 'reply' ? replyViewOf(r.stored) : viewOf(r.stored)
}

export type WalkResult = { ok: true; walk: Walk } | { ok: false; status: number; error: string }

/** The full walk (packetwalk/walk@1) of a known capture. */
export function walkFor(id: string): WalkResult {
  const r = lookupCapture(id)
  if (!r.found) return { ok: false, status: r.status, error: r.error }
  try {
    return { ok: true, walk: walkOf(r.stored) }
  } catch (e) {
    return { ok: false, status: 500, error: `the path engine failed on this capture: ${e instanceof Error ? e.message : String(e)}` }
  }
}

/** Validates an opened file (its bytes), keeps it, and computes its walk view. */
export function openCapture(bytes: Uint8Array, fileName?: string, timings: Timings = {}): ViewResult & { evicted?: string[] } {
  const added = addUploadedCapture(bytes, fileName, timings)
  if (!added.ok) return { ok: false, status: 400, error: added.error }
  const t = performance.now()
  const r = viewOf(added.stored)
  timings.walk = performance.now() - t
  return r.ok ? { ...r, evicted: added.evicted } : r
}
