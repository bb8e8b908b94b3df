'use client'
import { useRef } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { WarnIcon } from '@/components/ui/icons'
import { btn } from '@/components/ui/button-styles'

/**
 * The walk's warnings (what the capture cannot prove, doubts of the engine): a count in the
 * header and the list on demand. In projection only a small marker with the count remains.
 * The sentences are the engine's (English); they are marked lang="en" for screen readers.
 */
export function WarningsMenu() {
  const t = useT()
  const warnings = useWalk((s) => s.view.walk.warnings)
  const projection = useWalk((s) => s.projection)
  const menu = useRef<HTMLDetailsElement>(null)
  const n = warnings.length
  const label = n === 0 ? t('warnings.none') : projection ? t('warnings.marker', { n }) : t('warnings.show')
  return (
    <details
      ref={menu}
      className="relative"
      data-export="skip"
      data-testid="warnings"
      data-count={n}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && menu.current?.open) {
          menu.current.open = false
          menu.current.querySelector('summary')?.focus()
        }
      }}
    >
      <summary
        className={`${btn} list-none ${n > 0 ? 'border-warn text-warn' : ''} ${projection ? 'px-1.5' : ''}`}
        aria-label={`${t('warnings.count', { n })} — ${label}`}
        title={label}
        data-testid="warnings-toggle"
      >
        <WarnIcon />
        <span className="font-bold">{n}</span>
        {!projection && <span className="hidden 2xl:inline">{t('warnings.title')}</span>}
      </summary>
      <div className="border-line bg-panel absolute right-0 z-30 mt-1 max-h-[70vh] w-[min(36rem,90vw)] overflow-auto rounded-md border p-3 shadow-lg" data-testid="warnings-list">
        <h2 className="mb-1 text-sm font-bold">{t('warnings.title')}</h2>
        {n === 0 ? (
          <p className="text-muted text-sm">{t('warnings.none')}</p>
        ) : (
          <ol className="list-decimal space-y-1.5 pl-5 text-sm">
            {warnings.map((w, i) => (
              <li key={i} lang="en" data-testid="warning">{w}</li>
            ))}
          </ol>
        )}
      </div>
    </details>
  )
}
