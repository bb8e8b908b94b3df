'use client'
import { useT } from '@/components/store/use-t'
import { LiveIcon } from '@/components/ui/icons'
import { btn } from '@/components/ui/button-styles'
import { CapturePicker } from './capture-picker'
import { OpenFileButton } from './open-file-button'
import { LangSwitch } from './lang-switch'
import { ThemeToggle } from './theme-toggle'
import { ProjectionToggle } from './projection-toggle'
import { ExportMenu } from './export-menu'

/** Top bar: product name, which capture is shown, and the page-wide switches. */
export function AppHeader() {
  const t = useT()
  return (
    <header className="border-line bg-panel flex flex-wrap items-center gap-x-3 gap-y-1 border-b px-3 py-1.5">
      <div className="mr-1 flex min-w-0 flex-col leading-tight">
        <span className="text-lg font-extrabold tracking-tight">packetwalk</span>
        <span className="text-muted pw-no-projection hidden text-xs 2xl:inline">{t('app.tagline')}</span>
      </div>
      <CapturePicker />
      <div className="pw-no-projection flex items-center gap-2">
        <OpenFileButton />
      </div>
      <nav className="ml-auto flex items-center gap-2" aria-label="packetwalk">
        <a href="/live" className={`${btn} pw-no-projection`}>
          <LiveIcon />
          {t('header.live')}
        </a>
        <LangSwitch />
        <ThemeToggle />
        <ProjectionToggle />
        <ExportMenu />
      </nav>
    </header>
  )
}
