/**
 * The walk page. Server component: reads ?capture&step&lang&theme (and Accept-Language), computes
 * the walk view and renders it, so the first paint already shows the walk, not a spinner.
 */
import { headers } from 'next/headers'
import { WalkApp } from '@/components/walk-app/walk-app'
import { isLang, pickLang } from '@/lib/i18n'
import { captureStore, defaultCaptureId, listCaptures } from '@/server/captures'
import { pageSeesUploads } from '@/server/http/guard'
import { walkViewFor } from '@/server/walk-service'
import type { Notice } from '@/components/store/walk-store'

export const dynamic = 'force-dynamic'

type Search = Record<string, string | string[] | undefined>
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)

export default async function Page({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams
  const lang = isLang(one(sp.lang)) ? (one(sp.lang) as 'fr' | 'en') : pickLang((await headers()).get('accept-language'))
  const theme = one(sp.theme) === 'dark' ? 'dark' : 'light'
  const asked = one(sp.capture)
  const seesUploads = pageSeesUploads(await headers())
  let notice: Notice = null
  let r = asked && !seesUploads && captureStore().isUpload(asked) ? undefined : walkViewFor(asked ?? defaultCaptureId())
  if (!r?.ok) {
    const id = (asked ?? '').slice(0, 80)
    notice = { kind: 'error', key: !r ? 'error.locked' : r.status === 410 ? 'error.evicted' : 'error.gone', params: { id } }
    r = walkViewFor(defaultCaptureId())
  }
  if (!r.ok) throw new Error(r.error)
  const step = Number.parseInt(one(sp.step) ?? '1', 10)
  return (
    <WalkApp
      initial={{
        view: r.view,
        captures: listCaptures(seesUploads),
        step: Number.isFinite(step) ? step - 1 : 0,
        theme,
        lang,
        notice,
      }}
    />
  )
}
