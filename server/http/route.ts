/**
 * The only way an app/api route handler is written: `export const GET = route('read', handler)`.
 * The wrapper runs the guard (./guard.ts) before the handler, turns a malformed URL into a 400,
 * and an unexpected throw into a JSON 500 without a stack. Routes carry a mark that
 * server/http/routes.test.ts checks on every exported method of every app/api/**\/route.ts.
 */
import { checkRequest, guardConfig, refusal, type Access, type GuardConfig } from './guard'
import type { Requester } from '@/server/audit'

export const GUARDED = Symbol.for('packetwalk.guardedRoute')

export interface Guarded {
  who: Requester
  seesUploads: boolean
  trusted: boolean
  cfg: GuardConfig
  params: Record<string, string>
}

export type Handler = (req: Request, g: Guarded) => Response | Promise<Response>
type NextContext = { params: Promise<Record<string, string | string[] | undefined>> }
export type GuardedRoute = ((req: Request, ctx: NextContext) => Promise<Response>) & { [GUARDED]: Access }

/** Runs `handler` behind the guard with this configuration (the route wrapper and tests). */
export async function runGuarded(req: Request, access: Access, cfg: GuardConfig, handler: Handler, ctx?: NextContext): Promise<Response> {
  try {
    decodeURIComponent(new URL(req.url).pathname)
  } catch {
    return refusal(400, 'malformed URL (bad percent-encoding)', 'bad-request')
  }
  const g = checkRequest(req, access, cfg)
  if (!g.ok) return g.response
  const params: Record<string, string> = {}
  try {
    const raw = ctx ? await ctx.params : {}
    for (const [k, v] of Object.entries(raw ?? {})) if (typeof v === 'string') params[k] = v
  } catch {
    return refusal(400, 'malformed URL (bad percent-encoding)', 'bad-request')
  }
  try {
    return await handler(req, { who: g.who, seesUploads: g.seesUploads, trusted: g.trusted, cfg, params })
  } catch (e) {
    // a bug, not an input: say so briefly, keep the details in the server's log
    process.stderr.write(`packetwalk: ${req.method} ${new URL(req.url).pathname.slice(0, 200)} failed: ${e instanceof Error ? e.message : String(e)}\n`)
    return refusal(500, 'internal error', 'internal')
  }
}

export function route(access: Access, handler: Handler): GuardedRoute {
  const fn = (req: Request, ctx: NextContext) => runGuarded(req, access, guardConfig(), handler, ctx)
  return Object.assign(fn, { [GUARDED]: access })
}
