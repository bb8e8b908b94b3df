'use client'
import { useEffect } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { Direction } from '@/components/store/walk-store'

const DIRECTIONS: Direction[] = ['request', 'reply']

/**
 * Request ⇄ reply on the same drawing. The store asks the server for the capture's reply walk
 * when a capture is shown; the switch appears only when the engine has one.
 */
export function DirectionSwitch() {
  const t = useT()
  const direction = useWalk((s) => s.direction)
  const hasReply = useWalk((s) => !!s.walks.reply)
  const captureId = useWalk((s) => s.walks.request.capture.id)
  const probeReply = useWalk((s) => s.probeReply)
  const setDirection = useWalk((s) => s.setDirection)
  useEffect(() => {
    void probeReply()
  }, [captureId, probeReply])
  if (!hasReply) return null
  return (
    <div role="group" aria-label={t('direction.label')} className="flex text-sm" data-testid="direction" data-export="skip">
      {DIRECTIONS.map((d, i) => (
        <button
          key={d}
          type="button"
          aria-pressed={direction === d}
          data-testid={`direction-${d}`}
          onClick={() => setDirection(d)}
          className={`border-line cursor-pointer border px-2 py-1 ${i === 0 ? 'rounded-l-md' : '-ml-px rounded-r-md'} ${
            direction === d ? 'bg-accent text-accent-fg border-accent font-bold underline' : 'bg-panel text-fg hover:border-accent'
          }`}
        >
          {t(d === 'request' ? 'direction.request' : 'direction.reply')}
        </button>
      ))}
    </div>
  )
}
