/**
 * `/?token=<token>` (or `/live?token=`): when the token is the server's (--token), sets it as an
 * HttpOnly, SameSite=Strict cookie for the live endpoints and redirects to the same page without
 * the token in the address bar. Refuses a Host the guard refuses (DNS rebinding). See docs/security.md.
 */
import { NextResponse, type NextRequest } from 'next/server'
import { guardConfig, isAllowedHost, TOKEN_COOKIE, tokenMatches } from '@/server/http/guard'

export function proxy(req: NextRequest): NextResponse {
  // the pages pass the guard's Host check too: a DNS-rebinding page must not read a rendered walk
  const host = req.headers.get('host') ?? ''
  if (!isAllowedHost(host, guardConfig().allowedHosts)) {
    return NextResponse.json(
      { error: `host ${JSON.stringify(host.slice(0, 80))} refused: this server answers to loopback names, IP addresses and the names given with --allowed-hosts`, kind: 'forbidden' },
      { status: 403, headers: { 'Cache-Control': 'no-store' } },
    )
  }
  const token = req.nextUrl.searchParams.get('token')
  if (token === null) return NextResponse.next()
  const expected = process.env.PACKETWALK_TOKEN ?? ''
  const clean = req.nextUrl.clone()
  clean.searchParams.delete('token')
  if (expected && !tokenMatches(token, expected)) {
    return new NextResponse('packetwalk: wrong token\n', { status: 401, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
  }
  const res = NextResponse.redirect(clean, 303)
  if (expected) {
    res.cookies.set(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.nextUrl.protocol === 'https:' })
  }
  res.headers.set('Cache-Control', 'no-store')
  return res
}

export const config = { matcher: ['/', '/live'] }
