'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { ScreenIcon } from '@/components/ui/icons'
import { btn } from '@/components/ui/button-styles'

/** Classroom projection: fullscreen, large type, light theme (also the F key). */
export function ProjectionToggle() {
  const t = useT()
  const on = useWalk((s) => s.projection)
  const setProjection = useWalk((s) => s.setProjection)
  const label = on ? t('header.projectionOff') : t('header.projectionOn')
  return (
    <button type="button" className={btn} aria-pressed={on} aria-label={label} title={`${label} (F)`} onClick={() => setProjection(!on)}>
      <ScreenIcon />
      <span className="hidden lg:inline">{t('header.projection')}</span>
    </button>
  )
}
