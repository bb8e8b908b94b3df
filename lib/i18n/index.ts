/**
 * Interface languages: dictionaries, `translate`, and the choice of a language from
 * Accept-Language / navigator.language. Pure, so the server and the browser agree on first paint.
 */
import { en, type Dict, type MessageKey } from './en'
import { fr } from './fr'

export type { MessageKey, Dict }
export const LANGS = ['fr', 'en'] as const
export type Lang = (typeof LANGS)[number]

const DICTS: Record<Lang, Dict> = { en, fr }

export function isLang(value: unknown): value is Lang {
  return value === 'fr' || value === 'en'
}

/** Replaces `{name}` placeholders; unknown placeholders are left visible so a gap shows in review. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

/** The message for `key` in `lang`, with placeholders filled. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return format(DICTS[lang][key], params)
}

/**
 * Picks fr or en from an Accept-Language header (`fr-FR,fr;q=0.9,en;q=0.8`) or a single
 * navigator.language value, honouring q-weights. Anything else falls back to `fallback`.
 */
export function pickLang(header: string | null | undefined, fallback: Lang = 'en'): Lang {
  if (!header) return fallback
  const ranked = header
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean)
      return { base: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q) : 1, order }
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
  const hit = ranked.find((r) => isLang(r.base))
  return hit && isLang(hit.base) ? hit.base : fallback
}
