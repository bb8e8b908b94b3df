'use client'
import { useMemo } from 'react'
import { Position, ViewportPortal, getSmoothStepPath } from '@xyflow/react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { edgeEnds, type FlowLayout } from '@/lib/view/walk-to-flow'
import { EnvelopeIcon } from '@/components/ui/icons'

const POS = { left: Position.Left, right: Position.Right, top: Position.Top, bottom: Position.Bottom }
const TRAVEL_MS = 900
const REST = { left: '100% 50%', top: '50% 100%', bottom: '50% 0%', right: '0% 50%' } as const

/**
 * The packet: an envelope riding the edge into the current hop (CSS motion path, so the
 * animation runs on the compositor). Stepping forward by one animates; a jump just places it.
 */
export function PacketMarker({ layout }: { layout: FlowLayout }) {
  const t = useT()
  const step = useWalk((s) => s.step)
  const prevStep = useWalk((s) => s.prevStep)
  const speed = useWalk((s) => s.speed)
  const exporting = useWalk((s) => s.exportStatus !== null)
  const path = useMemo(() => {
    const edge = layout.edges.find((e) => e.target === layout.hopNodeIds[step])
    if (!edge) return undefined
    const e = edgeEnds(layout, edge)
    const d = getSmoothStepPath({ ...e, sourcePosition: POS[e.sourcePosition], targetPosition: POS[e.targetPosition], borderRadius: 10 })[0]
    // Rest just outside the node it enters, in the gap walkToFlow leaves for it, so the envelope
    // never hides a node's text.
    return { d, anchor: REST[e.targetPosition] }
  }, [layout, step])
  if (!path) return null
  const moving = !exporting && prevStep === step - 1
  return (
    <ViewportPortal>
      <div
        key={`${step}-${moving}`}
        data-testid="packet"
        data-step={step}
        data-moving={moving}
        role="img"
        aria-label={`${t('canvas.packet')}: ${t('controls.step', { n: step + 1, total: layout.hopNodeIds.length })}`}
        className="pw-packet text-accent pointer-events-none absolute top-0 left-0 z-10 text-[20px] drop-shadow"
        style={{ offsetPath: `path('${path.d}')`, offsetAnchor: path.anchor, ['--pw-travel-ms' as string]: `${TRAVEL_MS / speed}ms` }}
      >
        <EnvelopeIcon width="1.4em" height="1em" />
      </div>
    </ViewportPortal>
  )
}
