/**
 * The live endpoints (app/api/live/**) as plain `Request → Response` functions, so tests call
 * them directly. Each one passes the guard first, then loads the kubeconfig for this request.
 *
 *   GET  /api/live/contexts                          → { contexts, current }
 *   GET  /api/live/namespaces?context=               → { namespaces }
 *   GET  /api/live/pods?context=&namespace=          → { pods }  (running ones)
 *   GET  /api/live/services?context=&namespace=      → { services }
 *   POST /api/live/capture  {context, from, to, container?, agentNamespace?, probe?, debugImage?, nodeShell?, nodeShellNamespace?}
 *        → NDJSON: progress events, then { type: "result", capture, errors } or { type: "fatal", error, kind }
 */
import { checkLiveRequest, guardConfig, type GuardConfig } from './guard'
import { connectApi } from './api'
import { collectFromCluster, type ClusterCaptureOptions } from './collect'
import { KubeError, errorMessage } from './errors'
import { listContexts, loadKubeConfig } from './kubeconfig'
import { checkContextName, checkNamespace, listNamespaces, listRunningPods, listServices } from './objects'

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

export async function handleContexts(req: Request, cfg: GuardConfig = guardConfig()): Promise<Response> {
  const g = checkLiveRequest(req, cfg)
  if (!g.ok) return g.response
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
async function guardedList(req: Request, cfg: GuardConfig, prepare: (url: URL) => Lister): Promise<Response> {
  const g = checkLiveRequest(req, cfg)
  if (!g.ok) return g.response
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

export function handleNamespaces(req: Request, cfg: GuardConfig = guardConfig()): Promise<Response> {
  return guardedList(req, cfg, () => async (api) => ({ namespaces: await listNamespaces(api) }))
}

export function handlePods(req: Request, cfg: GuardConfig = guardConfig()): Promise<Response> {
  return guardedList(req, cfg, (url) => {
    const ns = namespaceParam(url)
    return async (api) => {
      const pods = await listRunningPods(api, ns)
      return { pods: pods.map((p) => ({ name: p.name, ip: p.ip, node: p.node, containers: p.containers, hostNetwork: p.hostNetwork })) }
    }
  })
}

export function handleServices(req: Request, cfg: GuardConfig = guardConfig()): Promise<Response> {
  return guardedList(req, cfg, (url) => {
    const ns = namespaceParam(url)
    return async (api) => ({ services: await listServices(api, ns) })
  })
}

const MAX_BODY = 16 * 1024

/** Reads the capture request's JSON body, refusing anything but the documented fields' types. */
export async function readCaptureBody(req: Request): Promise<Omit<ClusterCaptureOptions, 'who' | 'signal' | 'env'>> {
  const type = req.headers.get('content-type') ?? ''
  // a JSON content type also forces a CORS preflight, which cross-origin pages cannot pass
  if (!/^application\/json\b/i.test(type)) throw new KubeError('invalid-input', 'send the capture request as application/json')
  const text = await req.text()
  if (text.length > MAX_BODY) throw new KubeError('invalid-input', 'request body too large')
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

export async function handleCapture(req: Request, cfg: GuardConfig = guardConfig()): Promise<Response> {
  const g = checkLiveRequest(req, cfg)
  if (!g.ok) return g.response
  let opts: Awaited<ReturnType<typeof readCaptureBody>>
  try {
    opts = await readCaptureBody(req)
  } catch (e) {
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
