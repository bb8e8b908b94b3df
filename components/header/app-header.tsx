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
import { WarningsMenu } from './warnings-menu'
import { DirectionSwitch } from './direction-switch'
import { PredictButton } from '@/components/predict/predict-button'
import { Brand } from './header-parts'
import { useWalk } from '@/components/store/walk-store-provider'

/** Top bar: product name, which capture is shown, and the page-wide switches. */
export function AppHeader({ embedded = false }: { embedded?: boolean }) {
  const t = useT()
  const lang = useWalk((s) => s.lang)
  const theme = useWalk((s) => s.theme)
  return (
    <header className="border-line bg-panel flex flex-wrap items-center gap-x-3 gap-y-1 border-b px-3 py-1.5">
      {!embedded && <Brand lang={lang} />}
      <CapturePicker />
      <DirectionSwitch />
      <div className="pw-no-projection flex items-center gap-2">
        <OpenFileButton />
      </div>
      <nav className="ml-auto flex items-center gap-2" aria-label={t('header.tools')}>
        {!embedded && (
          <a href={`/live?lang=${lang}&theme=${theme}`} className={`${btn} pw-no-projection`}>
            <LiveIcon />
            {t('header.live')}
          </a>
        )}
        <WarningsMenu />
        <LangSwitch />
        <ThemeToggle />
        <ProjectionToggle />
        <PredictButton />
        <ExportMenu />
      </nav>
    </header>
  )
}
