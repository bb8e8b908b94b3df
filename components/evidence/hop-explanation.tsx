'use client'
import { useMemo } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { explainHop, explainUnproven } from '@/lib/i18n/explain'
import { explainContext, hostLabel } from '@/lib/i18n/host-phrase'
import { WarnIcon } from '@/components/ui/icons'

/**
 * The plain-language sentence for the current hop, and for an unproven hop how to prove it.
 * `oneLine`: the sentence alone on one line, cut with "…" and whole in its tooltip (the evidence
 * panel's last resort when the proofs need the room).
 */
export function HopExplanation({ oneLine = false }: { oneLine?: boolean }) {
  const t = useT()
  const lang = useWalk((s) => s.lang)
  const view = useWalk((s) => s.view)
  const hop = useWalk((s) => s.view.walk.hops[s.step])
  const ctx = useMemo(() => explainContext(view.hosts, view.walk.flow.source.ip), [view])
  if (!hop) return null
  const unproven = explainUnproven(hop, lang, ctx)
  const sentence = explainHop(hop, lang, ctx, view.walk.flow.destination.ip)
  if (oneLine)
    return (
      <p className="truncate text-[0.95rem] leading-snug" title={sentence} data-testid="explanation">
        {sentence}
      </p>
    )
  return (
    <div className="mb-3">
      <h3 className="text-muted mb-1 text-xs font-bold tracking-wide uppercase">{t('evidence.explanation')}</h3>
      <p className="text-[0.95rem] leading-snug" data-testid="explanation">{sentence}</p>
      {hop.proven === false && (
        <div className="border-warn mt-2 rounded-md border-2 border-dashed p-2 text-sm" data-testid="unproven-box">
          <p className="text-warn flex items-center gap-1 font-bold">
            <WarnIcon /> {t('unproven.title')}
          </p>
          {unproven && <p className="mt-1">{unproven}</p>}
          {hop.prove && lang === 'en' && (
            <p className="mt-1">
              {t('unproven.prove')}{' '}
              <code className="bg-term text-term-fg rounded px-1 font-mono">{hop.prove.command}</code>{' '}
              {t('unproven.on', { host: hostLabel(view.hosts, hop.prove.host, view.walk.flow.source.ip) })}
            </p>
          )}
        </div>
      )}
    </div>
  )
}
