'use client'
import { useEffect } from 'react'

/**
 * Marks the page as live (`<html data-hydrated="true">`) once the page's effects are in place:
 * keys pressed before hydration are lost, so tests (and anything driving the page) wait for this.
 * Called last in the Controller so that the keyboard and playback effects already run.
 */
export function useHydratedMark() {
  useEffect(() => {
    const root = document.documentElement
    root.dataset.hydrated = 'true'
    return () => {
      delete root.dataset.hydrated
    }
  }, [])
}
