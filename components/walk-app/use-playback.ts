'use client'
import { useEffect } from 'react'
import { useWalk, useWalkStoreApi } from '@/components/store/walk-store-provider'
import { STEP_MS } from '@/components/store/walk-store'

/** While playing, advances one hop every STEP_MS / speed (the store stops at the last hop). */
export function usePlayback() {
  const store = useWalkStoreApi()
  const playing = useWalk((s) => s.playing)
  const step = useWalk((s) => s.step)
  const speed = useWalk((s) => s.speed)
  useEffect(() => {
    if (!playing) return
    // Re-checked when the timer fires: a pause committed just before must win over a late tick.
    const id = window.setTimeout(() => {
      if (store.getState().playing) store.getState().next()
    }, STEP_MS / speed)
    return () => window.clearTimeout(id)
  }, [playing, step, speed, store])
}
