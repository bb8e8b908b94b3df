'use client'
import { useEffect } from 'react'
import { useWalkStoreApi } from '@/components/store/walk-store-provider'

/** Fields where keys belong to the field, not to the player. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)
}

/** → next, ← previous, space play/pause, Home/End first/last, F projection (fullscreen). */
export function useKeyboard() {
  const store = useWalkStoreApi()
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
      const s = store.getState()
      const onButton = (e.target as HTMLElement | null)?.tagName === 'BUTTON' || (e.target as HTMLElement | null)?.tagName === 'SUMMARY'
      const actions: Record<string, () => void> = {
        ArrowRight: s.next,
        ArrowLeft: s.prev,
        Home: s.first,
        End: s.last,
        f: () => s.setProjection(!s.projection),
        F: () => s.setProjection(!s.projection),
      }
      // Space on a focused button presses that button; elsewhere it plays or pauses.
      if (e.key === ' ' && !onButton) actions[' '] = s.togglePlay
      const action = actions[e.key]
      if (!action) return
      e.preventDefault()
      if (s.playing && e.key !== ' ') s.pause()
      action()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store])
}
