'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { HopHeading } from './hop-heading'
import { HopExplanation } from './hop-explanation'
import { FactsList } from './facts-list'
import { TerminalOutput } from './terminal-output'

/**
 * Why we believe the current hop: a plain explanation, its facts, and the raw output of each
 * command it rests on, printed as a terminal would with the proving lines highlighted.
 */
export function EvidencePanel() {
  const t = useT()
  const step = useWalk((s) => s.step)
  const evidence = useWalk((s) => s.view.evidence[s.step])
  return (
    <section
      aria-labelledby="evidence-title"
      data-testid="evidence-panel"
      data-step={step}
      className="border-line bg-panel flex min-h-0 flex-col rounded-lg border p-3"
    >
      <HopHeading />
      <div className="grid min-h-0 flex-1 grid-cols-[minmax(14rem,2fr)_minmax(0,3fr)] gap-3">
        <div className="min-h-0 overflow-auto pr-1" data-scroll-freeze tabIndex={0} role="region" aria-label={t('evidence.explanation')}>
          <div>
            <HopExplanation />
            <FactsList />
          </div>
        </div>
        <div className="flex min-h-0 flex-col gap-2 overflow-auto" aria-label={t('evidence.raw')} role="region" data-scroll-freeze>
          <div className="flex flex-col gap-2">
            {evidence && evidence.length > 0 ? (
              evidence.map((ev, i) => <TerminalOutput key={`${step}-${i}`} evidence={ev} />)
            ) : (
              <p className="text-muted text-sm italic">{t('evidence.none')}</p>
            )}
          </div>
        </div>
      </div>
    </section>
  )
}
