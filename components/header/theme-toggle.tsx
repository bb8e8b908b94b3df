'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { ThemeButton } from './header-parts'

/** The walk page's theme switch: light (projector) ⇄ dark (screen). */
export function ThemeToggle() {
  const lang = useWalk((s) => s.lang)
  const theme = useWalk((s) => s.theme)
  const setTheme = useWalk((s) => s.setTheme)
  return <ThemeButton lang={lang} theme={theme} onChange={setTheme} />
}
