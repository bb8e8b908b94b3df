'use client'
/**
 * Header pieces shared by the walk page and the live page, driven by props (the two pages keep
 * their state differently), so both headers look and behave the same.
 */
import { LANGS, translate, type Lang } from '@/lib/i18n'
import { MoonIcon, SunIcon } from '@/components/ui/icons'
import { iconBtn } from '@/components/ui/button-styles'

/** The product name (a link home) and, on wide screens outside projection, the tagline. */
export function Brand({ lang, href }: { lang: Lang; href?: string }) {
  const name = <span className="text-lg font-extrabold tracking-tight">packetwalk</span>
  return (
    <div className="mr-1 flex min-w-0 flex-col leading-tight">
      {href ? (
        <a href={href} className="rounded-sm">
          {name}
        </a>
      ) : (
        name
      )}
      <span className="text-muted pw-no-projection hidden text-xs 2xl:inline">{translate(lang, 'app.tagline')}</span>
    </div>
  )
}

/**
 * FR | EN as a two-button group; the pressed one is the current language (aria-pressed, filled,
 * bold and underlined: not colour alone). Buttons are rounded one by one, not clipped by an
 * overflow-hidden wrapper, so the focus ring shows whole.
 */
export function LangButtons({ lang, onChange }: { lang: Lang; onChange: (l: Lang) => void }) {
  return (
    <div role="group" aria-label={translate(lang, 'header.language')} className="flex text-sm">
      {LANGS.map((l, i) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={lang === l}
          aria-label={l === 'fr' ? 'FR — Français' : 'EN — English'}
          data-testid={`lang-${l}`}
          onClick={() => onChange(l)}
          className={`border-line cursor-pointer border px-2 py-1 uppercase ${i === 0 ? 'rounded-l-md' : '-ml-px rounded-r-md'} ${
            lang === l ? 'bg-accent text-accent-fg border-accent font-bold underline' : 'bg-panel text-fg hover:border-accent'
          }`}
        >
          {l}
        </button>
      ))}
    </div>
  )
}

/** Light (projector) ⇄ dark (screen). */
export function ThemeButton({ lang, theme, onChange }: { lang: Lang; theme: 'light' | 'dark'; onChange: (t: 'light' | 'dark') => void }) {
  const label = translate(lang, theme === 'light' ? 'header.toDark' : 'header.toLight')
  return (
    <button type="button" data-testid="theme-toggle" className={iconBtn} aria-label={label} title={label} onClick={() => onChange(theme === 'light' ? 'dark' : 'light')}>
      {theme === 'light' ? <MoonIcon /> : <SunIcon />}
    </button>
  )
}
