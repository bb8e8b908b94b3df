/**
 * Every way talking to a cluster can fail, turned into one sentence a user can act on.
 * The page and the CLI print `message` as is; `kind` lets tests and the UI tell cases apart.
 */

export type KubeErrorKind =
  | 'no-kubeconfig'
  | 'bad-kubeconfig'
  | 'unknown-context'
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'not-running'
  | 'invalid-input'
  | 'refused'
  | 'read-only'
  | 'api'

export class KubeError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message)
    this.name = 'KubeError'
  }
}

/** The fields of a Kubernetes `Status` object that error messages use. */
export interface KubeStatus {
  kind?: string
  status?: string
  message?: string
  reason?: string
  code?: number
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string }[] }
}

export function asStatus(body: unknown): KubeStatus | undefined {
  if (typeof body === 'string') {
    try {
      return asStatus(JSON.parse(body))
    } catch {
      return undefined
    }
  }
  if (body && typeof body === 'object' && (body as KubeStatus).kind === 'Status') return body as KubeStatus
  return undefined
}

export interface MissingPermission {
  user: string
  verb: string
  resource: string
  group: string
  namespace?: string
}

/*
 * The authorizer's wording (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go):
 *   pods "client" is forbidden: User "alice" cannot create resource "pods/exec" in API group "" in the namespace "default"
 *   nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope
 * Quotes are optional so that a shortened message (as people paste them) parses as well.
 */
const FORBIDDEN =
  /User "?([^"]*?)"? cannot (\w+) resource "?([^"\s]+)"?(?: in API group "([^"]*)")?(?: in (?:the )?namespace "?([^"\s:]+)"?| at the cluster scope)?/

/** Reads which verb on which resource a 403 refused. */
export function parseForbidden(message: string): MissingPermission | undefined {
  const m = FORBIDDEN.exec(message)
  if (!m) return undefined
  return { user: m[1] ?? '', verb: m[2] ?? '', resource: m[3] ?? '', group: m[4] ?? '', namespace: m[5] }
}

/**
 * Which Kubernetes versions need which verb on pods/exec. Exec over WebSocket is an HTTP GET: the
 * authorization filter checks `get`; from 1.35 the pod registry also checks `create`
 * (AuthorizePodWebsocketUpgradeCreatePermission, on by default). SPDY exec (POST) needs `create`.
 */
const EXEC_VERB_NOTE: Record<string, string> = {
  get: 'every API server authorises exec over WebSocket as "get pods/exec" (and from Kubernetes 1.35 also as "create"): grant both get and create',
  create: 'API servers from Kubernetes 1.35 also authorise exec over WebSocket as "create pods/exec" (before 1.35 "get" was enough): grant both get and create',
}

/** "missing RBAC: create pods/exec in namespace default (user alice)" */
export function describeForbidden(p: MissingPermission): string {
  const where = p.namespace ? `in namespace ${p.namespace}` : 'at the cluster scope'
  const group = p.group ? ` (API group ${p.group})` : ''
  const who = p.user ? ` for user ${p.user}` : ''
  const note = p.resource === 'pods/exec' && EXEC_VERB_NOTE[p.verb] ? ` (${EXEC_VERB_NOTE[p.verb]})` : ''
  return `missing RBAC: ${p.verb} ${p.resource}${group} ${where}${who}${note} — see deploy/rbac.yaml`
}

/*
 * The 1.35 registry check (ensureAuthorizedForVerb) answers apierrors.NewForbidden with the
 * authorizer's reason, which RBAC leaves empty: `pods "client" is forbidden: ` names no verb. Only
 * the exec/attach/portforward upgrade produces it, and the verb it checked is always create.
 */
const EXEC_CREATE_CHECK = /^pods "([^"]+)" is forbidden: ?$/

/**
 * Maps an API answer that is not 2xx to a KubeError. `what` names the request in words
 * ("get pod default/client"), `context` the kubeconfig context, for the message.
 */
export function errorFromResponse(code: number, body: unknown, what: string, context: string): KubeError {
  const status = asStatus(body)
  const apiMessage = status?.message ?? (typeof body === 'string' ? body.trim().slice(0, 300) : '')
  if (code === 401) {
    return new KubeError(
      'unauthorized',
      `the API server of context "${context}" rejected the credentials (401 Unauthorized): the token or client certificate has expired or is invalid — refresh the kubeconfig (for example re-run your provider's "get credentials" command)`,
      401,
    )
  }
  if (code === 403) {
    const p = parseForbidden(apiMessage)
    if (p) return new KubeError('forbidden', `${describeForbidden(p)} (while trying to ${what})`, 403)
    const ns = /^exec in pod ([^/\s]+)\//.exec(what)?.[1]
    if (EXEC_CREATE_CHECK.test(apiMessage) && ns) {
      return new KubeError('forbidden', `${describeForbidden({ user: '', verb: 'create', resource: 'pods/exec', group: '', namespace: ns })} (while trying to ${what}; the API server said only "${apiMessage.trim()}")`, 403)
    }
    return new KubeError('forbidden', `forbidden: ${apiMessage || 'the API server refused'} (while trying to ${what})`, 403)
  }
  if (code === 404) {
    return new KubeError('not-found', `not found: ${apiMessage || what}`, 404)
  }
  if (code === 504 || code === 408) {
    return new KubeError('timeout', `the API server timed out (${code}) while trying to ${what}: ${apiMessage}`, code)
  }
  return new KubeError('api', `the API server answered ${code} to ${what}: ${apiMessage || 'no message'}`, code)
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
}

/** Maps a socket or TLS error (no HTTP answer at all) to a KubeError naming the server. */
export function errorFromNetwork(err: unknown, server: string, context: string): KubeError {
  if (err instanceof KubeError) return err
  const e = err as { code?: string; message?: string } | undefined
  const code = e?.code ?? ''
  const reason = NETWORK_CODES[code]
  if (reason) {
    return new KubeError('unreachable', `cannot reach the API server ${server} of context "${context}": ${reason} (${code})`)
  }
  const msg = e?.message ?? String(err)
  if (/certificate|self[- ]signed|CERT_|SSL|TLS/i.test(code + ' ' + msg)) {
    return new KubeError('unreachable', `TLS error talking to the API server ${server} of context "${context}": ${msg}`)
  }
  return new KubeError('unreachable', `cannot talk to the API server ${server} of context "${context}": ${msg}`)
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
