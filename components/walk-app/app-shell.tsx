'use client'
import { AppHeader } from '@/components/header/app-header'
import { WalkCanvas } from '@/components/canvas/walk-canvas'
import { PacketPanel } from '@/components/packet/packet-panel'
import { EvidencePanel } from '@/components/evidence/evidence-panel'
import { PlayerBar } from '@/components/controls/player-bar'
import { NoticeBar } from '@/components/notice/notice-bar'
import { useWalk } from '@/components/store/walk-store-provider'
import { Controller } from './controller'

/** Page layout: the stage (canvas over packet + evidence) is what slides export. */
export function AppShell({ embedded = false }: { embedded?: boolean }) {
  const theme = useWalk((s) => s.theme)
  const lang = useWalk((s) => s.lang)
  const captureId = useWalk((s) => s.view.capture.id)
  const projection = useWalk((s) => s.projection)
  return (
    <div
      data-theme={theme}
      lang={lang}
      data-capture={captureId}
      className="bg-bg text-fg grid h-dvh grid-cols-[minmax(0,1fr)] grid-rows-[auto_auto_minmax(0,1fr)_auto] overflow-hidden font-sans"
    >
      <Controller />
      <AppHeader embedded={embedded} />
      <NoticeBar />
      {projection ? (
        // Presenting: the canvas is the main thing, the evidence beside it, the packet under it.
        <main
          id="stage"
          data-testid="stage"
          data-layout="projection"
          className="bg-bg grid min-h-0 grid-cols-[minmax(0,1.55fr)_minmax(0,1fr)] grid-rows-[minmax(0,1fr)_auto] gap-2 px-2 pt-1.5 pb-1.5"
        >
          <WalkCanvas />
          <div className="row-span-2 grid min-h-0">
            <EvidencePanel />
          </div>
          <PacketPanel />
        </main>
      ) : (
        <main
          id="stage"
          data-testid="stage"
          data-layout="normal"
          className="bg-bg grid min-h-0 grid-cols-[minmax(0,1fr)] grid-rows-[minmax(0,1.2fr)_minmax(0,1fr)] gap-2 px-3 pt-2 pb-2"
        >
          <WalkCanvas />
          <div className="grid min-h-0 grid-cols-[minmax(19rem,24rem)_minmax(0,1fr)] gap-2">
            <PacketPanel />
            <EvidencePanel />
          </div>
        </main>
      )}
      <PlayerBar />
    </div>
  )
}
