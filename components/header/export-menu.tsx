'use client'
import { useRef } from 'react'
import { useWalk, useWalkStoreApi } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { DownloadIcon } from '@/components/ui/icons'
import { btn } from '@/components/ui/button-styles'
import { menuText, type MenuKey } from '@/lib/study/labels'

type Kind = 'png-1' | 'png-2' | 'svg' | 'zip' | 'pdf' | 'html'
const KINDS: [Kind, MenuKey][] = [
  ['png-1', 'export.png1'],
  ['png-2', 'export.png2'],
  ['svg', 'export.svg'],
  ['zip', 'export.zip'],
  ['pdf', 'export.pdf'],
  ['html', 'export.html'],
]

/**
 * Slides (the current step as a 16:9 PNG or SVG, every step as a ZIP or a PDF handout) and the
 * offline walk. The export code is imported on click, so it stays out of first-load JS. Progress
 * shows in a fixed overlay: the header keeps its size while an export runs.
 */
export function ExportMenu() {
  const t = useT()
  const store = useWalkStoreApi()
  const lang = useWalk((s) => s.lang)
  const status = useWalk((s) => s.exportStatus)
  const menu = useRef<HTMLDetailsElement>(null)
  const run = async (kind: Kind) => {
    if (menu.current) menu.current.open = false
    try {
      if (kind === 'html') {
        const { exportOfflineHtml } = await import('@/components/offline/offline-export')
        return await exportOfflineHtml(store)
      }
      const { exportPng, exportSvg, exportAllSteps, exportPdf, download, fileBase } = await import('@/components/export/export-stage')
      const base = fileBase(store.getState())
      const walkBase = base.replace(/-step-\d+$/, '')
      if (kind === 'svg') download(await exportSvg(store), `${base}.svg`)
      else if (kind === 'zip') download(await exportAllSteps(store), `${walkBase}-steps.zip`)
      else if (kind === 'pdf') download(await exportPdf(store), `${walkBase}-handout.pdf`)
      else download(await exportPng(store, kind === 'png-2' ? 2 : 1), `${base}@${kind === 'png-2' ? 2 : 1}x.png`)
    } catch (e) {
      store.getState().setNotice({ kind: 'error', key: 'export.failed', params: { error: e instanceof Error ? e.message : String(e) } })
      store.getState().setExportStatus(null)
    }
  }
  const item = 'w-full cursor-pointer rounded px-3 py-1.5 text-left text-sm hover:bg-bg focus-visible:bg-bg'
  return (
    <>
    <details
      ref={menu}
      className="relative"
      data-export="skip"
      onKeyDown={(e) => {
        // Escape closes the menu and gives focus back to its button, as a menu does.
        if (e.key !== 'Escape' || !menu.current?.open) return
        menu.current.open = false
        menu.current.querySelector('summary')?.focus()
      }}
    >
      <summary className={`${btn} list-none`} aria-label={t('header.exportLabel')} data-testid="export-menu">
        <DownloadIcon />
        <span className="hidden lg:inline">{t('header.export')}</span>
      </summary>
      <div className="border-line bg-panel absolute right-0 z-40 mt-1 flex w-72 flex-col rounded-md border p-1 shadow-lg">
        {KINDS.map(([kind, key]) => (
          <button key={kind} type="button" className={item} data-testid={`export-${kind}`} onClick={() => void run(kind)}>
            {menuText(lang, key)}
          </button>
        ))}
      </div>
    </details>
    <p
        aria-live="polite"
        data-testid="export-status"
        className={`bg-accent text-accent-fg pointer-events-none fixed right-4 bottom-16 z-50 rounded-md px-3 py-2 text-sm font-bold shadow-lg ${status ? '' : 'sr-only'}`}
      >
        {status ? menuText(lang, 'export.working', status) : ''}
      </p>
    </>
  )
}
