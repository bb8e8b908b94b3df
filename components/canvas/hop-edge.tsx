'use client'
import { memo } from 'react'
import { BaseEdge, getSmoothStepPath, type EdgeProps, type Edge } from '@xyflow/react'
import { useWalk } from '@/components/store/walk-store-provider'

type HopEdgeData = { step: number; proven: boolean }

/** The way between two hops: thick once the packet has taken it, dashed into an unproven hop. */
export const HopEdge = memo(function HopEdge(props: EdgeProps<Edge<HopEdgeData, 'hop'>>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data } = props
  const taken = useWalk((s) => !!data && s.step >= data.step)
  const [path] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 10 })
  return (
    <BaseEdge
      id={id}
      path={path}
      style={{
        stroke: taken ? 'var(--pw-accent)' : 'var(--pw-line)',
        strokeWidth: taken ? 3 : 2,
        strokeDasharray: data?.proven === false ? '7 5' : undefined,
      }}
    />
  )
})
