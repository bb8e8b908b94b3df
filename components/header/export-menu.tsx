'use client'
import { useRef } from 'react'
import { useWalk, useWalkStoreApi } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { DownloadIcon } from '@/components/ui/icons'
import { btn } from '@/components/ui/button-styles'

type Kind = { png: 1 | 2 | 3 } | 'svg' | 'zip'

/**
 * Slides: the current step as PNG (1×/2×/3×) or SVG, or every step as a ZIP of numbered PNGs.
 * The export code (html-to-image, jszip) is imported on click, so it stays out of first-load JS.
 */
export function ExportMenu() {
  const t = useT()
  const store = useWalkStoreApi()
  const status = useWalk((s) => s.exportStatus)
  const menu = useRef<HTMLDetailsElement>(null)
  const run = async (kind: Kind) => {
    if (menu.current) menu.current.open = false
    const stage = document.getElementById('stage')
    if (!stage) return
    const { exportPng, exportSvg, exportAllSteps, download, fileBase } = await import('@/components/export/export-stage')
    const base = fileBase(store.getState())
    try {
      if (kind === 'svg') download(await exportSvg(stage), `${base}.svg`)
      else if (kind === 'zip') download(await exportAllSteps(stage, store), `${base.replace(/-step-\d+$/, '')}-steps.zip`)
      else download(await exportPng(stage, kind.png), `${base}@${kind.png}x.png`)
    } catch (e) {
      store.getState().setNotice({ kind: 'error', key: 'export.failed', params: { error: String(e) } })
      store.getState().setExportStatus(null)
    }
  }
  const item = 'w-full cursor-pointer rounded px-3 py-1.5 text-left text-sm hover:bg-bg focus-visible:bg-bg'
  return (
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
        <span className="hidden lg:inline" aria-live="polite">{status ? t('export.working', status) : t('header.export')}</span>
      </summary>
      <div className="border-line bg-panel absolute right-0 z-40 mt-1 flex w-64 flex-col rounded-md border p-1 shadow-lg">
        {([1, 2, 3] as const).map((png) => (
          <button key={png} type="button" className={item} data-testid={`export-png-${png}`} onClick={() => void run({ png })}>
            {t('export.png', { scale: png })}
          </button>
        ))}
        <button type="button" className={item} data-testid="export-svg" onClick={() => void run('svg')}>
          {t('export.svg')}
        </button>
        <button type="button" className={item} data-testid="export-zip" onClick={() => void run('zip')}>
          {t('export.zip')}
        </button>
      </div>
    </details>
  )
}
