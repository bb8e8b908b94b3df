'use client'
import { useEffect, useRef } from 'react'
import { useReactFlow, useStore } from '@xyflow/react'
import { useWalk } from '@/components/store/walk-store-provider'
import { focusViewport } from '@/lib/view/viewport'
import type { FlowLayout } from '@/lib/view/walk-to-flow'

/**
 * Keeps the canvas readable: the whole walk when it fits at `minZoom`, else a zoom on the
 * current hop and its neighbours that follows the packet (lib/view/viewport). Moves are animated
 * except on the first placement, while exporting, and when the user prefers reduced motion.
 */
export function FollowViewport({ layout, minZoom, maxZoom }: { layout: FlowLayout; minZoom: number; maxZoom: number }) {
  const { setViewport } = useReactFlow()
  const width = useStore((s) => s.width)
  const height = useStore((s) => s.height)
  const step = useWalk((s) => s.step)
  const exporting = useWalk((s) => s.exportStatus !== null)
  const placed = useRef(false)
  useEffect(() => {
    if (width <= 0 || height <= 0) return
    const v = focusViewport(layout, step, { width, height }, { minZoom, maxZoom })
    const still = !placed.current || exporting || window.matchMedia('(prefers-reduced-motion: reduce)').matches
    placed.current = true
    void setViewport({ x: v.x, y: v.y, zoom: v.zoom }, still ? undefined : { duration: 450 })
    document.querySelector('[data-testid=canvas]')?.setAttribute('data-view', v.whole ? 'whole' : 'follow')
  }, [width, height, layout, step, minZoom, maxZoom, exporting, setViewport])
  return null
}
