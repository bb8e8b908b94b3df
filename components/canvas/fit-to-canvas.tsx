'use client'
import { useEffect } from 'react'
import { useReactFlow, useStore } from '@xyflow/react'
import type { FlowLayout } from '@/lib/view/walk-to-flow'

/** Refits the whole walk when the canvas is resized (projection, window) or the walk changes. */
export function FitToCanvas({ layout, options }: { layout: FlowLayout; options: { padding: number; maxZoom: number } }) {
  const { fitView } = useReactFlow()
  const width = useStore((s) => s.width)
  const height = useStore((s) => s.height)
  useEffect(() => {
    if (width > 0 && height > 0) void fitView(options)
  }, [width, height, layout, fitView, options])
  return null
}
