/**
 * Who may ask what: the one guard every route of app/api goes through (by `route()` in
 * ./route.ts) and the page checks too. In order:
 *   1. read-only server (--read-only) and a live endpoint: 403 "read-only mode";
 *   2. the Host header must be a loopback name, an IP literal, or a name given with
 *      --allowed-hosts: a DNS-rebinding page (its own name resolving to this server) is refused;
 *   3. cross-origin requests: 403 (Sec-Fetch-Site must be same-origin/none, an Origin must name
 *      the Host); uploads must be application/json, which a cross-origin page cannot send
 *      without a preflight (a text/plain "simple" POST is refused with 415);
 *   4. with a token (--token / PACKETWALK_TOKEN): live endpoints and uploads need
 *      `Authorization: Bearer <token>` or the cookie set by visiting `/?token=<token>` (401);
 *      reads of uploaded captures need it too unless the server is read-only (which exists to
 *      show its captures); the demos stay public;
 *   5. read-only without a token: uploads are refused (403).
 * Every refusal is a JSON `{ error, kind }` with a 4xx status, and one line in the command log.
 */
import crypto from 'node:crypto'
import { audit, tokenFingerprint, type Requester } from '@/server/audit'

export const TOKEN_COOKIE = 'packetwalk_token'

/** What a route does, which decides what it needs. */
export type Access = 'health' | 'read' | 'upload' | 'live'

export interface GuardConfig {
  readOnly: boolean
  /** empty: no token required (the server listens on loopback only) */
  token: string
  /** X-Forwarded-For names the client (--trust-proxy); else the socket address set by server/start.mjs */
  trustProxy?: boolean
  /** host names (not IP literals, which cannot be rebound) accepted in the Host header */
  allowedHosts?: readonly string[]
  /** server/start.mjs is in front: it replaced X-Forwarded-For with the socket's address */
  front?: boolean
}

export function guardConfig(env: Record<string, string | undefined> = process.env): GuardConfig {
  return {
    readOnly: env.PACKETWALK_READ_ONLY === '1',
    token: env.PACKETWALK_TOKEN ?? '',
    trustProxy: env.PACKETWALK_TRUST_PROXY === '1',
    allowedHosts: (env.PACKETWALK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    front: env.PACKETWALK_FRONT === '1',
  }
}

export type GuardResult =
  | {
      ok: true
      who: Requester
      /** may see uploaded captures (and their outputs): token holder, tokenless loopback server, or read-only */
      seesUploads: boolean
      /** holds the server's token (or none is set) */
      trusted: boolean
    }
  | { ok: false; response: Response }

const NO_STORE = { 'Cache-Control': 'no-store' }

/** A refusal as JSON; never a stack, never more than the asker needs. */
export function refusal(status: number, error: string, kind: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error, kind }, { status, headers: { ...NO_STORE, ...headers } })
}

const KIND: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 415: 'unsupported-media-type' }

function deny(status: number, error: string, req: Request, cfg: GuardConfig): GuardResult {
  audit(requester(req, '', cfg), { event: 'denied', path: pathOf(req), reason: error })
  return { ok: false, response: refusal(status, error, KIND[status] ?? 'refused') }
}

export function pathOf(req: Request): string {
  const q = req.url.indexOf('?')
  const u = q < 0 ? req.url : req.url.slice(0, q)
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(u)
  return m ? (m[1] ?? '/') : u
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
export function requestToken(req: { headers: Headers }): string {
  const auth = req.headers.get('authorization') ?? ''
  const m = /^Bearer\s+(\S+)$/i.exec(auth.trim())
  if (m) return m[1] as string
  return cookieValue(req.headers.get('cookie'), TOKEN_COOKIE) ?? ''
}

function hostName(hostHeader: string): string {
  // [::1]:3000 → ::1, 127.0.0.1:3000 → 127.0.0.1
  const h = hostHeader.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'))
  return h.replace(/:\d+$/, '')
}

export function isLoopbackHost(hostHeader: string): boolean {
  const h = hostName(hostHeader)
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h)
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/
const IPV6 = /^[0-9a-f:.]+$/

/**
 * A Host header that cannot come from DNS rebinding: a loopback name, an IP literal (rebinding
 * needs a name), or a name the operator allowed. Anything else — including an empty or a
 * malformed Host — is refused.
 */
export function isAllowedHost(hostHeader: string, allowed: readonly string[] = []): boolean {
  const raw = hostHeader.trim().toLowerCase()
  if (!raw || raw.length > 255) return false
  if (isLoopbackHost(raw)) return true
  if (raw.startsWith('[')) {
    const end = raw.indexOf(']')
    return end > 1 && /^(?::\d{1,5})?$/.test(raw.slice(end + 1)) && IPV6.test(raw.slice(1, end)) && raw.slice(1, end).includes(':')
  }
  const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(raw)
  if (!m) return false
  const name = m[1] as string
  return IPV4.test(name) || allowed.includes(name)
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

/**
 * The client's address: X-Forwarded-For only behind a trusted proxy (--trust-proxy); else the
 * socket address server/start.mjs put there (it drops what the client sent). Without that front
 * (next dev), a client-supplied header is not believed.
 */
export function remoteAddress(headers: Headers, cfg: GuardConfig): string {
  if (!cfg.trustProxy && !cfg.front) return 'unknown'
  const fwd = headers.get('x-forwarded-for') ?? ''
  const first = fwd.split(',')[0]?.trim() ?? ''
  return /^[0-9A-Fa-f:.]{2,45}$/.test(first) ? first : first ? 'invalid' : 'unknown'
}

/** Who asked, for the command log: the client's address, the user agent, the token's fingerprint. */
export function requester(req: { headers: Headers }, token: string, cfg: GuardConfig = guardConfig()): Requester {
  const ua = req.headers.get('user-agent') ?? undefined
  return { remote: remoteAddress(req.headers, cfg), ...(ua ? { userAgent: ua.slice(0, 200) } : {}), tokenId: tokenFingerprint(token) }
}

const TOKEN_NEEDED = 'token required: send Authorization: Bearer <token>, or open /?token=<token> once in this browser'

/** The guard: decides from the request's headers alone (the body is never touched here). */
export function checkRequest(req: Request, access: Access, cfg: GuardConfig = guardConfig()): GuardResult {
  if (access === 'live' && cfg.readOnly) return deny(403, 'read-only mode: this server shows captures only and does not reach any cluster', req, cfg)
  const host = req.headers.get('host') ?? ''
  if (!isAllowedHost(host, cfg.allowedHosts)) {
    return deny(403, `host ${JSON.stringify(host.slice(0, 80))} refused: this server answers to loopback names, IP addresses and the names given with --allowed-hosts`, req, cfg)
  }
  if (!isSameOrigin(req)) return deny(403, 'cross-origin request refused', req, cfg)
  if (access === 'upload' && !/^application\/json\s*(?:;|$)/i.test(req.headers.get('content-type') ?? '')) {
    return deny(415, 'send the capture as Content-Type: application/json', req, cfg)
  }
  const given = cfg.token ? requestToken(req) : ''
  const trusted = !cfg.token || tokenMatches(given, cfg.token)
  if (access === 'upload' && cfg.readOnly && !cfg.token) return deny(403, 'read-only mode: this server does not accept uploads', req, cfg)
  if ((access === 'live' || access === 'upload') && !trusted) return deny(401, TOKEN_NEEDED, req, cfg)
  return { ok: true, who: requester(req, trusted ? given : '', cfg), seesUploads: trusted || cfg.readOnly, trusted }
}

/** The live endpoints' check (kept for their callers and tests). */
export function checkLiveRequest(req: Request, cfg: GuardConfig = guardConfig()): GuardResult {
  return checkRequest(req, 'live', cfg)
}

/** A read of an uploaded capture by someone who may not see uploads: the same 401 as elsewhere. */
export function uploadsHidden(req: Request, cfg: GuardConfig = guardConfig()): Response {
  const r = deny(401, TOKEN_NEEDED, req, cfg)
  return r.ok ? refusal(401, TOKEN_NEEDED, 'unauthorized') : r.response
}

/**
 * The walk page's view of the guard: it is a top-level navigation (a link from elsewhere must
 * work), so only the Host (checked in proxy.ts) and the token matter: may this visitor see uploads?
 */
export function pageSeesUploads(headers: Headers, cfg: GuardConfig = guardConfig()): boolean {
  return !cfg.token || cfg.readOnly || tokenMatches(requestToken({ headers }), cfg.token)
}
