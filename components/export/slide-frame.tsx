'use client'
/**
 * One slide: a title line (scenario, "hop n of N" and the hop's place, capture name) over the
 * walk's stage (canvas, packet, evidence), at a fixed 16:9 size. It reads its own store, so the
 * page the teacher is on is never touched while slides are drawn.
 */
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { WalkCanvas } from '@/components/canvas/walk-canvas'
import { PacketPanel } from '@/components/packet/packet-panel'
import { EvidencePanel } from '@/components/evidence/evidence-panel'
import type { MessageKey } from '@/lib/i18n'
import { placeOf } from '@/lib/view/places'
import { studyText } from '@/lib/study/messages'

export function SlideTitle() {
  const t = useT()
  const lang = useWalk((s) => s.lang)
  const capture = useWalk((s) => s.view.capture)
  const total = useWalk((s) => s.view.walk.hops.length)
  const step = useWalk((s) => s.step)
  const hop = useWalk((s) => s.view.walk.hops[s.step])
  const place = hop ? placeOf(hop) : undefined
  return (
    <header
      className="border-line bg-panel flex items-baseline gap-4 rounded-lg border px-3 py-1.5 whitespace-nowrap"
      data-testid="slide-title"
    >
      <span className="min-w-0 truncate text-lg font-extrabold" data-testid="slide-scenario">{capture.title}</span>
      <span className="text-accent shrink-0 text-lg font-bold" data-testid="slide-hop">
        {studyText(lang, 'slide.hop', { n: step + 1, total })}
        {place && hop && (
          <span className="text-fg font-semibold">
            {' · '}
            {t(`kind.${hop.kind}` as MessageKey)} — {t(`place.${place.key}` as MessageKey, place.params)}
          </span>
        )}
      </span>
      <span className="text-muted ml-auto shrink-0 font-mono text-sm" data-testid="slide-capture">
        {studyText(lang, 'slide.capture', { name: capture.id })} · packetwalk
      </span>
    </header>
  )
}

export function SlideFrame({ width, height }: { width: number; height: number }) {
  const theme = useWalk((s) => s.theme)
  const lang = useWalk((s) => s.lang)
  const step = useWalk((s) => s.step)
  return (
    <div
      data-theme={theme}
      lang={lang}
      data-testid="slide"
      data-step={step}
      className="bg-bg text-fg grid grid-cols-[minmax(0,1fr)] grid-rows-[auto_minmax(0,1.2fr)_minmax(0,1fr)] gap-2 overflow-hidden p-3 font-sans"
      style={{ width, height }}
    >
      <SlideTitle />
      <WalkCanvas />
      <div className="grid min-h-0 grid-cols-[minmax(19rem,24rem)_minmax(0,1fr)] gap-2">
        <PacketPanel />
        <EvidencePanel />
      </div>
    </div>
  )
}
