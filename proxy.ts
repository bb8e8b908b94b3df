/**
 * `/?token=<token>` (or `/live?token=`): when the token is the server's (--token), sets it as an
 * HttpOnly, SameSite=Strict cookie for the live endpoints and redirects to the same page without
 * the token in the address bar. See docs/security.md.
 */
import { NextResponse, type NextRequest } from 'next/server'
import { TOKEN_COOKIE, tokenMatches } from '@/server/kube/guard'

export function proxy(req: NextRequest): NextResponse {
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
