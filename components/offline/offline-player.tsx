'use client'
/**
 * The offline walk: the app's own canvas, packet and evidence panels, player and predict mode,
 * reading a walk embedded in the HTML file instead of a server. No fetch happens: lines beyond
 * the embedded windows are simply not in the file, and the player says so.
 */
import { useEffect, useState } from 'react'
import { WalkStoreProvider, useWalk } from '@/components/store/walk-store-provider'
import { createWalkStore } from '@/components/store/walk-store'
import type { WalkApi } from '@/components/store/walk-api'
import { WalkCanvas } from '@/components/canvas/walk-canvas'
import { PacketPanel } from '@/components/packet/packet-panel'
import { EvidencePanel } from '@/components/evidence/evidence-panel'
import { PlayerBar } from '@/components/controls/player-bar'
import { NoticeBar } from '@/components/notice/notice-bar'
import { LangButtons, ThemeButton } from '@/components/header/header-parts'
import { PredictButton } from '@/components/predict/predict-button'
import { usePlayback } from '@/components/walk-app/use-playback'
import { useKeyboard } from '@/components/walk-app/use-keyboard'
import { useHydratedMark } from '@/components/walk-app/use-hydrated-mark'
import type { OfflineWalk } from '@/lib/offline/embed'
import { studyText } from '@/lib/study/messages'

function offlineApi(lang: () => OfflineWalk['lang']): WalkApi {
  const none = async () => ({ ok: false as const, error: studyText(lang(), 'offline.noMore') })
  return { fetchView: none, upload: none, fetchLines: none }
}

function OfflineHeader() {
  const lang = useWalk((s) => s.lang)
  const theme = useWalk((s) => s.theme)
  const title = useWalk((s) => s.view.capture.title)
  const hops = useWalk((s) => s.view.walk.hops.length)
  const setLang = useWalk((s) => s.setLang)
  const setTheme = useWalk((s) => s.setTheme)
  return (
    <header className="border-line bg-panel flex flex-wrap items-center gap-x-3 gap-y-1 border-b px-3 py-1.5">
      <span className="text-lg font-extrabold tracking-tight">packetwalk</span>
      <span className="min-w-0 truncate font-semibold" data-testid="offline-title" title={title}>{title}</span>
      <span className="text-muted hidden text-xs 2xl:inline" data-testid="offline-note">{studyText(lang, 'offline.note', { n: hops })}</span>
      <nav className="ml-auto flex items-center gap-2">
        <LangButtons lang={lang} onChange={setLang} />
        <ThemeButton lang={lang} theme={theme} onChange={setTheme} />
        <PredictButton />
      </nav>
    </header>
  )
}

function OfflineShell() {
  usePlayback()
  useKeyboard()
  // the same "live" mark as the app's Controller: keys pressed before it are lost
  useHydratedMark()
  const theme = useWalk((s) => s.theme)
  const lang = useWalk((s) => s.lang)
  const id = useWalk((s) => s.view.capture.id)
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  return (
    <div
      data-theme={theme}
      lang={lang}
      data-capture={id}
      data-offline
      className="bg-bg text-fg grid h-dvh grid-cols-[minmax(0,1fr)] grid-rows-[auto_auto_minmax(0,1fr)_auto] overflow-hidden font-sans"
    >
      <OfflineHeader />
      <NoticeBar />
      <main data-testid="stage" className="bg-bg grid min-h-0 grid-cols-[minmax(0,1fr)] grid-rows-[minmax(0,1fr)_minmax(0,1fr)] gap-2 px-3 pt-2 pb-2">
        <WalkCanvas />
        <div className="grid min-h-0 grid-cols-[minmax(19rem,24rem)_minmax(0,1fr)] gap-2">
          <PacketPanel />
          <EvidencePanel />
        </div>
      </main>
      <PlayerBar />
    </div>
  )
}

export function OfflinePlayer({ data }: { data: OfflineWalk }) {
  const [store] = useState(() => {
    let lang = data.lang
    const s = createWalkStore({ view: data.view, captures: [data.view.capture], step: data.step, theme: data.theme, lang: data.lang }, offlineApi(() => lang))
    s.subscribe((st) => (lang = st.lang))
    return s
  })
  return (
    <WalkStoreProvider store={store}>
      <OfflineShell />
    </WalkStoreProvider>
  )
}
