'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { MoonIcon, SunIcon } from '@/components/ui/icons'
import { iconBtn } from '@/components/ui/button-styles'

/** Light (projector) ⇄ dark (screen). */
export function ThemeToggle() {
  const t = useT()
  const theme = useWalk((s) => s.theme)
  const setTheme = useWalk((s) => s.setTheme)
  const label = theme === 'light' ? t('header.toDark') : t('header.toLight')
  return (
    <button
      type="button"
      data-testid="theme-toggle"
      className={iconBtn}
      aria-label={label}
      title={label}
      onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')}
    >
      {theme === 'light' ? <MoonIcon /> : <SunIcon />}
    </button>
  )
}
