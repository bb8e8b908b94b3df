'use client'
import { useCallback } from 'react'
import { translate, type MessageKey } from '@/lib/i18n'
import { useWalk } from './walk-store-provider'

/** The translate function for the page's current language. */
export function useT() {
  const lang = useWalk((s) => s.lang)
  return useCallback((key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params), [lang])
}
