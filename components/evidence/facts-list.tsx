'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'

/** The hop's facts (walk@1 `facts`), as the engine states them: key and exact value. */
export function FactsList() {
  const t = useT()
  const facts = useWalk((s) => s.view.walk.hops[s.step]?.facts)
  const entries = Object.entries(facts ?? {})
  if (entries.length === 0) return null
  return (
    <div>
      <h3 className="text-muted mb-1 text-xs font-bold tracking-wide uppercase">{t('evidence.facts')}</h3>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-sm" data-testid="facts">
        {entries.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-muted font-semibold">{k}</dt>
            <dd className="font-mono break-all">{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}
