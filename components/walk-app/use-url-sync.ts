'use client'
import { useEffect } from 'react'
import { useWalkStoreApi } from '@/components/store/walk-store-provider'
import type { WalkStore } from '@/components/store/walk-store'

/** The URL of the current view: ?capture&step (1-based)&lang&theme, a shareable deep link. */
export function urlFor(s: Pick<WalkStore, 'view' | 'step' | 'lang' | 'theme'>, base: string): string {
  const url = new URL(base)
  url.searchParams.set('capture', s.view.capture.id)
  url.searchParams.set('step', String(s.step + 1))
  url.searchParams.set('lang', s.lang)
  url.searchParams.set('theme', s.theme)
  return url.pathname + url.search
}

/**
 * Keeps the address bar on the current hop with history.replaceState: one history entry for the
 * whole walk (no spam), and unlike router.replace no server round trip on every step of playback.
 */
export function useUrlSync() {
  const store = useWalkStoreApi()
  useEffect(() => {
    const sync = (s: WalkStore) => {
      const next = urlFor(s, window.location.href)
      if (next !== window.location.pathname + window.location.search) window.history.replaceState(window.history.state, '', next)
    }
    sync(store.getState())
    return store.subscribe((s, prev) => {
      if (s.step !== prev.step || s.view !== prev.view || s.lang !== prev.lang || s.theme !== prev.theme) sync(s)
    })
  }, [store])
}
