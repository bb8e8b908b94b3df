'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { LangButtons } from './header-parts'

/** The walk page's language switch (FR | EN). */
export function LangSwitch() {
  const lang = useWalk((s) => s.lang)
  const setLang = useWalk((s) => s.setLang)
  return <LangButtons lang={lang} onChange={setLang} />
}
