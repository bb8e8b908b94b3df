/**
 * The live endpoints (app/api/live/**) as plain `Request → Response` functions, so tests call
 * them directly. The route files wrap the `…Handler`s with route('live', …) (the server's one guard);
 * `handle…(req, cfg)` run the same guard with a given configuration, for tests.
 *
 *   GET  /api/live/contexts                          → { contexts, current }
 *   GET  /api/live/namespaces?context=               → { namespaces }
 *   GET  /api/live/pods?context=&namespace=          → { pods }  (running ones)
 *   GET  /api/live/services?context=&namespace=      → { services }
 *   POST /api/live/capture  {context, from, to, container?, agentNamespace?, probe?, debugImage?, nodeShell?, nodeShellNamespace?}
 *        → NDJSON: progress events, then { type: "result", capture, errors } or { type: "fatal", error, kind }
 */
import { guardConfig, type GuardConfig } from '@/server/http/guard'
import { readBody } from '@/server/http/body'
import { runGuarded, type Guarded, type Handler } from '@/server/http/route'
import { connectApi } from './api'
import { checkCaptureOptions, collectFromCluster, type ClusterCaptureOptions } from './collect'
import { isImageRef } from './debug'
import { parseDestination } from './destination'
import { KubeError, errorMessage } from './errors'
import { listContexts, loadKubeConfig } from './kubeconfig'
import { checkContainerName, checkContextName, checkNamespace, checkPodName, listNamespaces, listRunningPods, listServices, splitRef } from './objects'

const NO_STORE = { 'Cache-Control': 'no-store' }

const STATUS: Record<string, number> = {
  'invalid-input': 400,
  'no-kubeconfig': 503,
  'bad-kubeconfig': 503,
  'unknown-context': 400,
  unreachable: 502,
  timeout: 504,
  unauthorized: 502, // the cluster refused our credentials; 401 would read as "this server wants a token"
  forbidden: 502,
  'not-found': 404,
  'not-running': 409,
}

export function errorResponse(e: unknown): Response {
  if (e instanceof KubeError) return Response.json({ error: e.message, kind: e.kind }, { status: STATUS[e.kind] ?? 500, headers: NO_STORE })
  return Response.json({ error: `internal error: ${errorMessage(e)}`, kind: 'internal' }, { status: 500, headers: NO_STORE })
}

function param(url: URL, name: string): string | undefined {
  const v = url.searchParams.get(name)
  return v === null || v === '' ? undefined : v
}

function checkContext(ctx: string | undefined): string | undefined {
  return ctx === undefined ? undefined : checkContextName(ctx)
}

export const contextsHandler: Handler = () => {
  try {
    const { contexts, current } = listContexts()
    return Response.json({ contexts, current }, { headers: NO_STORE })
  } catch (e) {
    return errorResponse(e)
  }
}

type Lister = (api: Awaited<ReturnType<typeof connectApi>>) => Promise<Record<string, unknown>>

/**
 * Guard, then one JSON answer from the request's kubeconfig context; errors become clear messages.
 * `prepare` validates the query before anything reaches the cluster, then returns the listing.
 */
async function listing(req: Request, prepare: (url: URL) => Lister): Promise<Response> {
  try {
    const url = new URL(req.url)
    const list = prepare(url)
    const api = await connectApi(loadKubeConfig(checkContext(param(url, 'context'))))
    return Response.json(await list(api), { headers: NO_STORE })
  } catch (e) {
    return errorResponse(e)
  }
}

const namespaceParam = (url: URL) => checkNamespace(param(url, 'namespace') ?? 'default')

export const namespacesHandler: Handler = (req) => listing(req, () => async (api) => ({ namespaces: await listNamespaces(api) }))

export const podsHandler: Handler = (req) =>
  listing(req, (url) => {
    const ns = namespaceParam(url)
    return async (api) => {
      const pods = await listRunningPods(api, ns)
      return { pods: pods.map((p) => ({ name: p.name, ip: p.ip, node: p.node, containers: p.containers, hostNetwork: p.hostNetwork })) }
    }
  })

export const servicesHandler: Handler = (req) =>
  listing(req, (url) => {
    const ns = namespaceParam(url)
    return async (api) => ({ services: await listServices(api, ns) })
  })

const MAX_BODY = 16 * 1024

/** A body refused while it was read (413, 400): the response to send as is. */
class BodyRefused extends Error {
  constructor(readonly response: Response) {
    super('body refused')
  }
}

/** Reads the capture request's JSON body, refusing anything but the documented fields' types. */
export async function readCaptureBody(req: Request): Promise<Omit<ClusterCaptureOptions, 'who' | 'signal' | 'env'>> {
  const type = req.headers.get('content-type') ?? ''
  // a JSON content type also forces a CORS preflight, which cross-origin pages cannot pass
  if (!/^application\/json\b/i.test(type)) throw new KubeError('invalid-input', 'send the capture request as application/json')
  const read = await readBody(req, MAX_BODY)
  if (!read.ok) throw new BodyRefused(read.response)
  const text = new TextDecoder().decode(read.bytes)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new KubeError('invalid-input', 'the request body is not JSON')
  }
  if (!body || typeof body !== 'object') throw new KubeError('invalid-input', 'the request body must be a JSON object')
  const b = body as Record<string, unknown>
  const str = (k: string, required = false): string | undefined => {
    const v = b[k]
    if (v === undefined || v === null || v === '') {
      if (required) throw new KubeError('invalid-input', `"${k}" is required`)
      return undefined
    }
    if (typeof v !== 'string') throw new KubeError('invalid-input', `"${k}" must be a string`)
    return v
  }
  const probe = b.probe
  if (probe !== undefined && typeof probe !== 'boolean') throw new KubeError('invalid-input', '"probe" must be true or false')
  return {
    context: checkContext(str('context')),
    from: str('from', true) as string,
    to: str('to', true) as string,
    container: str('container'),
    agentNamespace: str('agentNamespace'),
    debugImage: str('debugImage'),
    nodeShell: str('nodeShell'),
    nodeShellNamespace: str('nodeShellNamespace'),
    probe: probe === true,
  }
}

/**
 * Each user-given field checked before the stream starts, so a bad one is a 400 naming it rather
 * than a 200 whose only line is a fatal error.
 */
export function checkCaptureFields(o: Omit<ClusterCaptureOptions, 'who' | 'signal' | 'env'>): void {
  const checks: [string, unknown, () => unknown][] = [
    ['context', o.context, () => checkContextName(o.context as string)],
    ['from', o.from, () => {
      const r = splitRef(o.from ?? '', 'the source pod')
      checkNamespace(r.namespace)
      checkPodName(r.name)
    }],
    ['to', o.to, () => (typeof o.to === 'string' ? parseDestination(o.to) : undefined)],
    ['container', o.container, () => checkContainerName(o.container as string)],
    ['agentNamespace', o.agentNamespace, () => checkNamespace(o.agentNamespace as string)],
    ['debugImage', o.debugImage, () => {
      if (!isImageRef(o.debugImage as string)) throw new KubeError('invalid-input', 'invalid image reference: write one such as nicolaka/netshoot:v0.13')
    }],
    ['nodeShell', o.nodeShell, () => {
      if (!isImageRef(o.nodeShell as string)) throw new KubeError('invalid-input', 'invalid image reference: write one such as nicolaka/netshoot:v0.13')
    }],
    ['nodeShellNamespace', o.nodeShellNamespace, () => checkNamespace(o.nodeShellNamespace as string)],
  ]
  for (const [field, value, check] of checks) {
    if (value === undefined) continue
    try {
      check()
    } catch (e) {
      throw new KubeError('invalid-input', `"${field}": ${errorMessage(e)}`)
    }
  }
  checkCaptureOptions(o)
}

export const captureHandler: Handler = async (req: Request, g: Guarded) => {
  let opts: Awaited<ReturnType<typeof readCaptureBody>>
  try {
    opts = await readCaptureBody(req)
    checkCaptureFields(opts)
  } catch (e) {
    if (e instanceof BodyRefused) return e.response
    return errorResponse(e)
  }
  const encoder = new TextEncoder()
  const abort = new AbortController()
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true
      const send = (obj: unknown) => {
        if (!open) return
        try {
          controller.enqueue(encoder.encode(JSON.stringify(obj) + '\n'))
        } catch {
          open = false
        }
      }
      try {
        const { capture, errors } = await collectFromCluster({ ...opts, who: g.who, signal: abort.signal }, send)
        send({ type: 'result', capture, errors })
      } catch (e) {
        send({ type: 'fatal', error: errorMessage(e), kind: e instanceof KubeError ? e.kind : 'internal' })
      }
      open = false
      try {
        controller.close()
      } catch {
        // already closed by a cancel
      }
    },
    cancel() {
      abort.abort()
    },
  })
  // no-transform: the server's gzip would hold the lines back until its buffer fills
  return new Response(stream, {
    headers: { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store, no-transform', 'X-Accel-Buffering': 'no' },
  })
}

export const handleContexts = (req: Request, cfg: GuardConfig = guardConfig()) => runGuarded(req, 'live', cfg, contextsHandler)
export const handleNamespaces = (req: Request, cfg: GuardConfig = guardConfig()) => runGuarded(req, 'live', cfg, namespacesHandler)
export const handlePods = (req: Request, cfg: GuardConfig = guardConfig()) => runGuarded(req, 'live', cfg, podsHandler)
export const handleServices = (req: Request, cfg: GuardConfig = guardConfig()) => runGuarded(req, 'live', cfg, servicesHandler)
export const handleCapture = (req: Request, cfg: GuardConfig = guardConfig()) => runGuarded(req, 'live', cfg, captureHandler)
