'use client'
import { useEffect } from 'react'
import { useWalk, useWalkStoreApi } from '@/components/store/walk-store-provider'

/**
 * Projection mode: fullscreen, large type (root font size, everything is in rem) and the
 * high-contrast light theme. Leaving fullscreen (Esc) leaves projection mode too.
 */
export function useProjection() {
  const store = useWalkStoreApi()
  const projection = useWalk((s) => s.projection)
  const lang = useWalk((s) => s.lang)
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  useEffect(() => {
    const root = document.documentElement
    root.dataset.projection = String(projection)
    if (projection) {
      store.getState().setTheme('light')
      if (!document.fullscreenElement) root.requestFullscreen?.().catch(() => undefined)
    } else if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => undefined)
    }
  }, [projection, store])
  useEffect(() => {
    const onChange = () => {
      if (!document.fullscreenElement && store.getState().projection) store.getState().setProjection(false)
    }
    document.addEventListener('fullscreenchange', onChange)
    return () => document.removeEventListener('fullscreenchange', onChange)
  }, [store])
}
