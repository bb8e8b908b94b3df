'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { LANGS } from '@/lib/i18n'

/** FR | EN as a two-button group; the pressed one is the current language (aria-pressed + bold). */
export function LangSwitch() {
  const t = useT()
  const lang = useWalk((s) => s.lang)
  const setLang = useWalk((s) => s.setLang)
  return (
    <div role="group" aria-label={t('header.language')} className="border-line flex overflow-hidden rounded-md border text-sm">
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={lang === l}
          aria-label={l === 'fr' ? 'Français' : 'English'}
          data-testid={`lang-${l}`}
          onClick={() => setLang(l)}
          className={`cursor-pointer px-2 py-1 uppercase ${lang === l ? 'bg-accent text-accent-fg font-bold underline' : 'bg-panel text-fg'}`}
        >
          {l}
        </button>
      ))}
    </div>
  )
}
