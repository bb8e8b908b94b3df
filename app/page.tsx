/**
 * The walk page. Server component: reads ?capture&step&lang&theme (and Accept-Language), computes
 * the walk view and renders it, so the first paint already shows the walk, not a spinner.
 */
import { headers } from 'next/headers'
import { WalkApp } from '@/components/walk-app/walk-app'
import { isLang, pickLang } from '@/lib/i18n'
import { defaultCaptureId, listCaptures } from '@/server/captures'
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
  let notice: Notice = null
  let r = walkViewFor(asked ?? defaultCaptureId())
  if (!r.ok) {
    notice = { kind: 'error', key: 'error.gone', params: { id: asked ?? '' } }
    r = walkViewFor(defaultCaptureId())
  }
  if (!r.ok) throw new Error(r.error)
  const step = Number.parseInt(one(sp.step) ?? '1', 10)
  return (
    <WalkApp
      initial={{
        view: r.view,
        captures: listCaptures(),
        step: Number.isFinite(step) ? step - 1 : 0,
        theme,
        lang,
        notice,
      }}
    />
  )
}
