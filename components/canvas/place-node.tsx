'use client'
import { memo } from 'react'
import type { NodeProps, Node } from '@xyflow/react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { MessageKey } from '@/lib/i18n'
import type { PlaceData } from '@/lib/view/walk-to-flow'
import { WarnIcon } from '@/components/ui/icons'
import { Handles } from './handles'

/**
 * One hop at its place. The current hop has a thick accent border and a "current" marker;
 * an unproven hop has a dashed border, an "unproven" label with an icon, and the command that
 * would prove it, so colour is never the only signal.
 */
export const PlaceNode = memo(function PlaceNode({ data }: NodeProps<Node<PlaceData, 'place'>>) {
  const t = useT()
  const current = useWalk((s) => s.step === data.step)
  const passed = useWalk((s) => s.step > data.step)
  const title = t(`place.${data.place.key}` as MessageKey, data.place.params)
  const border = data.proven ? 'border-solid' : 'border-dashed border-warn'
  const state = current ? 'border-accent border-[3px] shadow-lg ring-4 ring-accent/25' : passed ? 'border-fg border-2' : 'border-line border-2'
  return (
    <div
      data-testid="hop-node"
      data-step={data.step}
      data-current={current}
      data-proven={data.proven}
      aria-current={current ? 'step' : undefined}
      className={`bg-bg text-fg flex h-full w-full cursor-pointer flex-col justify-between rounded-lg px-2 py-1 ${state} ${border}`}
    >
      <div className="flex items-center gap-1 text-[12px] leading-none font-semibold">
        <span className={`rounded px-1 py-0.5 font-mono ${current ? 'bg-accent text-accent-fg' : 'bg-panel'}`}>{data.step + 1}</span>
        {/* Unproven: the warning takes the kind's room (the title already names the place). */}
        {data.proven && (
          <span className="text-muted truncate uppercase" title={t(`kind.${data.kind}` as MessageKey)}>{t(`kind.${data.kind}` as MessageKey)}</span>
        )}
        {current && data.proven && <span className="text-accent ml-auto shrink-0 text-[12px]" aria-hidden>◆</span>}
        {!data.proven && (
          <span className="text-warn ml-auto flex shrink-0 items-center gap-0.5 uppercase" data-testid="unproven-badge">
            <WarnIcon />
            {t('unproven.badge')}
          </span>
        )}
      </div>
      <div className="truncate text-[16px] leading-tight font-bold" title={title} data-testid="hop-title">{title}</div>
      {data.proven ? (
        <div className="text-muted truncate font-mono text-[12px] leading-tight" title={data.place.detail}>{data.place.detail}</div>
      ) : (
        <div className="text-warn truncate font-mono text-[12px] leading-tight" title={`? ${data.prove ?? data.place.detail}`}>
          ? {data.prove ?? data.place.detail}
        </div>
      )}
      <Handles />
    </div>
  )
})
