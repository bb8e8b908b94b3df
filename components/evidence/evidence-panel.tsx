'use client'
import { useLayoutEffect, useRef, useState } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { HopHeading } from './hop-heading'
import { HopExplanation } from './hop-explanation'
import { FactsList } from './facts-list'
import { TerminalOutput } from './terminal-output'

/**
 * Fits tried in order until every proof shows without scrolling: fewer context lines around each
 * proof first, then smaller terminal type (a hop citing many lines of many outputs).
 */
type Fit = { context: number; type: string; compact?: true }
const PROJECTION_FITS: readonly Fit[] = [
  { context: 2, type: 'text-[0.8rem]' },
  { context: 1, type: 'text-[0.8rem]' },
  { context: 0, type: 'text-[0.8rem]' },
  { context: 0, type: 'text-[0.7rem]' },
  { context: 0, type: 'text-[0.62rem]' },
  // Last resort beside the canvas: the sentence yields its room to the proofs (the facts and the
  // heading stay; the sentence is back on the next hop that fits).
  { context: 0, type: 'text-[0.62rem]', compact: true },
]
/**
 * Normal mode: the terminals share the lower row with the explanation column, so a hop citing
 * four outputs (the lab's ARP hop) cannot fit at 1280×720 even at the smallest type. Last resort:
 * the explanation column yields (the sentence stays, on one line with its tooltip; the facts are
 * back on the next hop that fits), the terminals take the whole width, two per row from three.
 */
const NORMAL_FITS: readonly Fit[] = [
  ...PROJECTION_FITS.filter((f) => !f.compact),
  { context: 0, type: 'text-[0.8rem]', compact: true },
  { context: 0, type: 'text-[0.7rem]', compact: true },
  { context: 0, type: 'text-[0.62rem]', compact: true },
]

/**
 * Why we believe the current hop: a plain explanation, its facts, and the raw output of each
 * command it rests on, folded around the proving lines so that all of them show without
 * scrolling. In projection the panel is one column beside the canvas.
 */
export function EvidencePanel() {
  const t = useT()
  const step = useWalk((s) => s.step)
  const projection = useWalk((s) => s.projection)
  const captureId = useWalk((s) => s.view.capture.id)
  const evidence = useWalk((s) => s.view.evidence[s.step])
  const raw = useRef<HTMLDivElement>(null)
  const [fit, setFit] = useState({ key: '', i: 0 })
  const key = `${captureId}#${step}#${projection}`
  const i = fit.key === key ? fit.i : 0
  const FITS = projection ? PROJECTION_FITS : NORMAL_FITS
  const compact = FITS[i]?.compact === true
  // Shrink the context until the proofs fit (measured after layout, before paint).
  useLayoutEffect(() => {
    const box = raw.current
    if (box && box.scrollHeight > box.clientHeight + 1 && i < FITS.length - 1) setFit({ key, i: i + 1 })
  }, [i, key, evidence, FITS])
  const terminals = (
    <div
      ref={raw}
      className={`min-h-0 gap-1.5 overflow-auto ${projection ? 'flex shrink flex-col' : compact && (evidence?.length ?? 0) >= 3 ? 'grid grid-cols-2 content-start items-start' : 'flex flex-col'}`}
      aria-label={t('evidence.raw')}
      role="region"
      data-scroll-freeze
      data-testid="evidence-raw"
      data-context={FITS[i]?.context}
      data-fit={i}
    >
      {evidence && evidence.length > 0 ? (
        evidence.map((ev, k) => <TerminalOutput key={`${key}-${k}`} evidence={ev} context={FITS[i]?.context ?? 0} type={FITS[i]?.type ?? 'text-[0.8rem]'} />)
      ) : (
        <p className="text-muted text-sm italic">{t('evidence.none')}</p>
      )}
    </div>
  )
  const about = (
    <>
      <HopExplanation />
      <FactsList />
    </>
  )
  return (
    <section
      aria-labelledby="evidence-title"
      data-testid="evidence-panel"
      data-step={step}
      className="border-line bg-panel flex min-h-0 flex-col rounded-lg border p-2"
    >
      <HopHeading />
      {projection ? (
        <div className="flex min-h-0 flex-1 flex-col gap-2">
          {!compact && (
            <div className="max-h-[30%] shrink-0 overflow-auto pr-1" data-scroll-freeze tabIndex={0} role="region" aria-label={t('evidence.explanation')}>
              <HopExplanation />
            </div>
          )}
          {terminals}
          <div className="min-h-0 flex-[1_1_0] overflow-auto pr-1" data-scroll-freeze tabIndex={0} role="region" aria-label={t('evidence.facts')}>
            <FactsList />
          </div>
        </div>
      ) : (
        <div className={`grid min-h-0 flex-1 ${compact ? 'grid-cols-[minmax(0,1fr)] grid-rows-[auto_minmax(0,1fr)] gap-1' : 'grid-cols-[minmax(14rem,2fr)_minmax(0,3fr)] gap-3'}`}>
          {compact ? (
            <HopExplanation oneLine />
          ) : (
            <div className="min-h-0 overflow-auto pr-1" data-scroll-freeze tabIndex={0} role="region" aria-label={t('evidence.explanation')}>
              {about}
            </div>
          )}
          {terminals}
        </div>
      )}
    </section>
  )
}
