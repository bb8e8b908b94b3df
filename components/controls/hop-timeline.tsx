'use client'
import { useEffect, useRef } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { MessageKey } from '@/lib/i18n'
import { placeOf } from '@/lib/view/places'
import { WarnIcon } from '@/components/ui/icons'

/**
 * One button per hop: jump to any hop. Current = filled, bold, underlined and aria-current;
 * unproven = dashed border and a warning sign, and "unproven" in its name (never colour alone).
 */
export function HopTimeline() {
  const t = useT()
  const hops = useWalk((s) => s.view.walk.hops)
  const step = useWalk((s) => s.step)
  const selectHop = useWalk((s) => s.selectHop)
  const list = useRef<HTMLOListElement>(null)
  useEffect(() => {
    list.current?.querySelector<HTMLElement>('[aria-current="step"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }, [step])
  return (
    <ol ref={list} className="flex min-w-0 flex-1 gap-1 overflow-x-auto p-1.5" aria-label={t('controls.hops')} data-testid="timeline">
      {hops.map((hop, i) => {
        const place = placeOf(hop)
        const title = t(`place.${place.key}` as MessageKey, place.params)
        const kind = t(`kind.${hop.kind}` as MessageKey)
        const current = i === step
        const unproven = hop.proven === false
        return (
          <li key={i} className="min-w-0 flex-auto">
            <button
              type="button"
              onClick={() => selectHop(i)}
              aria-current={current ? 'step' : undefined}
              aria-label={`${i + 1} ${kind}: ${title}${unproven ? ` (${t('unproven.badge')})` : ''}`}
              title={`${i + 1}. ${title}${unproven ? ` — ${t('unproven.badge')}` : ''}`}
              data-testid={`timeline-hop-${i}`}
              className={`flex w-full min-w-[3.2rem] cursor-pointer items-center gap-1 rounded-md border-2 px-1.5 py-0.5 text-left text-xs whitespace-nowrap ${
                current ? 'bg-accent text-accent-fg border-accent font-bold underline' : i < step ? 'border-fg bg-bg' : 'border-line bg-bg'
              } ${unproven ? 'border-dashed' : ''}`}
            >
              <span className="font-mono">{i + 1}</span>
              {unproven && <WarnIcon className="shrink-0" data-testid="timeline-unproven" />}
              <span className="truncate">{kind}</span>
            </button>
          </li>
        )
      })}
    </ol>
  )
}
