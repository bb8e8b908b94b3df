/**
 * Who may use the live endpoints (the ones that reach a cluster). Checked by every handler of
 * app/api/live before anything else:
 *   - read-only server (--read-only): 403 "read-only mode";
 *   - cross-origin requests: 403 (Origin must match Host; Sec-Fetch-Site must be same-origin);
 *   - with a token (--token / PACKETWALK_TOKEN): `Authorization: Bearer <token>` or the cookie set
 *     by visiting `/?token=<token>`, else 401;
 *   - without a token (loopback only, see server/start.mjs): the Host header must be a loopback
 *     name, so a DNS-rebinding page cannot pass as same-origin.
 */
import crypto from 'node:crypto'
import { audit, tokenFingerprint, type Requester } from '@/server/audit'

export const TOKEN_COOKIE = 'packetwalk_token'

export interface GuardConfig {
  readOnly: boolean
  /** empty: no token required (the server listens on loopback only) */
  token: string
}

export function guardConfig(env: Record<string, string | undefined> = process.env): GuardConfig {
  return { readOnly: env.PACKETWALK_READ_ONLY === '1', token: env.PACKETWALK_TOKEN ?? '' }
}

export type GuardResult = { ok: true; who: Requester } | { ok: false; response: Response }

function deny(status: number, error: string, req: Request): GuardResult {
  let path = ''
  try {
    path = new URL(req.url).pathname
  } catch {
    path = req.url
  }
  audit(requester(req, ''), { event: 'denied', path, reason: error })
  return { ok: false, response: Response.json({ error, kind: status === 403 ? 'forbidden' : 'unauthorized' }, { status, headers: { 'Cache-Control': 'no-store' } }) }
}

/** Same token, compared in constant time (hashes make the lengths equal). */
export function tokenMatches(given: string, expected: string): boolean {
  if (!given || !expected) return false
  const a = crypto.createHash('sha256').update(given).digest()
  const b = crypto.createHash('sha256').update(expected).digest()
  return crypto.timingSafeEqual(a, b)
}

export function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** The token a request carries, by header or cookie. */
export function requestToken(req: Request): string {
  const auth = req.headers.get('authorization') ?? ''
  const m = /^Bearer\s+(\S+)$/i.exec(auth.trim())
  if (m) return m[1] as string
  return cookieValue(req.headers.get('cookie'), TOKEN_COOKIE) ?? ''
}

function hostName(hostHeader: string): string {
  // [::1]:3000 → ::1, 127.0.0.1:3000 → 127.0.0.1
  const h = hostHeader.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'))
  return h.replace(/:\d+$/, '')
}

export function isLoopbackHost(hostHeader: string): boolean {
  const h = hostName(hostHeader)
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h)
}

/** The request's origin is the server's own: the Origin header (when sent) names the Host. */
export function isSameOrigin(req: Request): boolean {
  const site = req.headers.get('sec-fetch-site')
  if (site && site !== 'same-origin' && site !== 'none') return false
  const origin = req.headers.get('origin')
  if (origin === null) return true // not a cross-origin browser request (curl, same-origin GET)
  const host = req.headers.get('host')
  if (!host) return false
  let o: URL
  try {
    o = new URL(origin)
  } catch {
    return false // "null" (sandboxed frames, file://) and garbage
  }
  return o.host.toLowerCase() === host.trim().toLowerCase()
}

/** Who asked, for the command log: the address the Next server saw, the user agent, the token's fingerprint. */
export function requester(req: Request, token: string): Requester {
  const fwd = req.headers.get('x-forwarded-for') ?? ''
  const remote = fwd.split(',')[0]?.trim() || 'unknown'
  const ua = req.headers.get('user-agent') ?? undefined
  return { remote, ...(ua ? { userAgent: ua.slice(0, 200) } : {}), tokenId: tokenFingerprint(token) }
}

export function checkLiveRequest(req: Request, cfg: GuardConfig = guardConfig()): GuardResult {
  if (cfg.readOnly) return deny(403, 'read-only mode: this server shows captures only and does not reach any cluster', req)
  if (!isSameOrigin(req)) return deny(403, 'cross-origin request refused', req)
  if (cfg.token) {
    const given = requestToken(req)
    if (!tokenMatches(given, cfg.token)) {
      return deny(401, 'token required: send Authorization: Bearer <token>, or open /?token=<token> once in this browser', req)
    }
    return { ok: true, who: requester(req, given) }
  }
  const host = req.headers.get('host') ?? ''
  if (!isLoopbackHost(host)) {
    return deny(403, `host ${JSON.stringify(host.slice(0, 80))} refused: without a token the live endpoints answer on loopback names only`, req)
  }
  return { ok: true, who: requester(req, '') }
}
