/**
 * The offline walk file: the player page built by `npm run build` (public/offline/player.html)
 * with one walk view embedded as JSON. Pure string work, shared by the browser's export, the
 * bench and the tests.
 */
import type { Lang } from '@/lib/i18n'
import type { WalkView } from '@/lib/view/walk-view'

export const PLAYER_PATH = '/offline/player.html'
/** The empty data slot the player template carries; the export fills it. */
export const WALK_SLOT = '<script id="pw-walk" type="application/json">null</script>'

export interface OfflineWalk {
  format: 'packetwalk/offline@1'
  view: WalkView
  lang: Lang
  theme: 'light' | 'dark'
  step: number
}

/** JSON safe inside a <script> element: no `<` at all, so no `</script>` and no `<!--`. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

export function embedWalk(template: string, data: Omit<OfflineWalk, 'format'>): string {
  const at = template.indexOf(WALK_SLOT)
  if (at < 0 || template.indexOf(WALK_SLOT, at + 1) >= 0) throw new Error('the offline player has no single walk slot')
  const full: OfflineWalk = { format: 'packetwalk/offline@1', ...data }
  const title = data.view.capture.title.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))
  const slot = `<script id="pw-walk" type="application/json">${scriptJson(full)}</script>`
  // Function replacements: a `$&` in the walk's JSON must stay literal.
  return (template.slice(0, at) + slot + template.slice(at + WALK_SLOT.length)).replace(/<title>[^<]*<\/title>/, () => `<title>${title} — packetwalk</title>`)
}

/** Reads the embedded walk back (the player does this at start; tests do it to check a file). */
export function readEmbedded(text: string | null | undefined): OfflineWalk | undefined {
  if (!text) return undefined
  const data = JSON.parse(text) as OfflineWalk | null
  return data && data.format === 'packetwalk/offline@1' ? data : undefined
}
