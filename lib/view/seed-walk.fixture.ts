/**
 * Test helper: the seed lab (lib/demo, outputs copied verbatim from the course) and the walk the
 * real engine infers from it. Tests of the view layer use these instead of invented walks.
 */
import seed from '@/lib/demo/seed-doks.capture.json'
import { validateCapture } from '@/lib/formats/capture-schema'
import { inferWalk } from '@/lib/engine'
import type { Capture } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'
import type { HostSummary } from './walk-view'

export function seedCapture(): Capture {
  const r = validateCapture(structuredClone(seed))
  if (!r.ok) throw new Error(r.error)
  return r.capture
}

export function seedWalk(): { capture: Capture; walk: Walk; hosts: Record<string, HostSummary> } {
  const capture = seedCapture()
  const hosts = Object.fromEntries(Object.entries(capture.hosts).map(([id, h]) => [id, { role: h.role, name: h.name, node: h.node }]))
  return { capture, walk: inferWalk(capture), hosts }
}
