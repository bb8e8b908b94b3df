/**
 * "Offline walk (HTML file)": fetches the player page built with the app and downloads it with
 * the current walk embedded. Loaded on demand from the export menu.
 */
import type { WalkStoreApi } from '@/components/store/walk-store'
import { embedWalk, PLAYER_PATH } from '@/lib/offline/embed'
import { studyText } from '@/lib/study/messages'
import { download } from '@/components/export/download'

export async function exportOfflineHtml(store: WalkStoreApi): Promise<void> {
  const s = store.getState()
  const res = await fetch(PLAYER_PATH).catch(() => undefined)
  if (!res?.ok) throw new Error(studyText(s.lang, 'export.noPlayer'))
  const html = embedWalk(await res.text(), { view: s.view, lang: s.lang, theme: s.theme, step: s.step })
  const id = s.view.capture.id.replace(/[^\w.-]+/g, '-')
  download(new Blob([html], { type: 'text/html' }), `packetwalk-${id}.html`)
}
