/**
 * /live: a capture from a real cluster through the kubeconfig. The server only decides the
 * language and whether live access is allowed at all (read-only mode); the kubeconfig is read by
 * the API routes on each request.
 */
import { headers } from 'next/headers'
import { LivePage } from '@/components/live/live-page'
import { isLang, pickLang } from '@/lib/i18n'

export const dynamic = 'force-dynamic'
export const metadata = { title: 'packetwalk — live capture' }

type Search = Record<string, string | string[] | undefined>

export default async function Live({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams
  const asked = Array.isArray(sp.lang) ? sp.lang[0] : sp.lang
  const lang = isLang(asked) ? asked : pickLang((await headers()).get('accept-language'))
  const theme = (Array.isArray(sp.theme) ? sp.theme[0] : sp.theme) === 'dark' ? 'dark' : 'light'
  return <LivePage lang={lang} theme={theme} readOnly={process.env.PACKETWALK_READ_ONLY === '1'} />
}
