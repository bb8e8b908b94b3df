'use client'
/**
 * Side effects of the page in one place: playback timer, keyboard shortcuts, URL sync,
 * projection (fullscreen), and opening files dropped on the page. Renders only the drop overlay.
 */
import { usePlayback } from './use-playback'
import { useKeyboard } from './use-keyboard'
import { useUrlSync } from './use-url-sync'
import { useProjection } from './use-projection'
import { useFileDrop } from './use-file-drop'
import { useHydratedMark } from './use-hydrated-mark'
import { useT } from '@/components/store/use-t'

export function Controller() {
  usePlayback()
  useKeyboard()
  useUrlSync()
  useProjection()
  const dragging = useFileDrop()
  useHydratedMark()
  const t = useT()
  if (!dragging) return null
  return (
    <div className="bg-bg/80 text-fg pointer-events-none fixed inset-0 z-50 grid place-items-center" aria-live="polite">
      <p className="border-accent rounded-xl border-4 border-dashed px-10 py-8 text-2xl font-bold">{t('header.dropHint')}</p>
    </div>
  )
}
