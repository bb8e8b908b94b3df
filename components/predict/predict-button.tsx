'use client'
import { lazy, Suspense } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { btn } from '@/components/ui/button-styles'
import { menuText } from '@/lib/study/labels'

// The panel, its question generator and its strings load only when predict mode is turned on.
const PredictPanel = lazy(() => import('./predict-panel'))

/** Turns predict mode on and off; while on, the panel (a fixed drawer) is mounted here. */
export function PredictButton() {
  const lang = useWalk((s) => s.lang)
  const on = useWalk((s) => s.predict)
  const setPredict = useWalk((s) => s.setPredict)
  const label = menuText(lang, on ? 'predict.stop' : 'predict.startLabel')
  return (
    <>
      <button
        type="button"
        className={`${btn} ${on ? '!bg-accent !text-accent-fg !border-accent font-bold' : ''}`}
        aria-pressed={on}
        aria-label={label}
        title={label}
        data-testid="predict-toggle"
        data-export="skip"
        onClick={() => setPredict(!on)}
      >
        <span aria-hidden className="grid h-5 w-5 place-items-center rounded-full border-2 border-current text-xs leading-none font-extrabold">?</span>
        <span className="hidden 2xl:inline">{menuText(lang, 'predict.start')}</span>
      </button>
      {on && (
        <Suspense fallback={null}>
          <PredictPanel />
        </Suspense>
      )}
    </>
  )
}
