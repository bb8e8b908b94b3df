/**
 * A Kubernetes API TEST DOUBLE: HTTPS on 127.0.0.1 with a throw-away CA, bearer tokens, the REST
 * paths packetwalk's live collector and `kubectl get/exec/auth can-i/debug` use (discovery, Table
 * output, SelfSubjectAccessReview, ephemeral containers), and pods/exec over WebSocket that runs
 * the command in a network namespace of the lab. It is not a Kubernetes apiserver; README.md says
 * what it covers.
 */
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { Duplex } from 'node:stream'
import path from 'node:path'
import { WebSocketServer } from 'ws'
import { checkArgv } from '@/server/security'
import { KUBE_TEMPLATES } from '@/server/kube/executor'
import { FakeCluster, NAMESPACES, labClusterSpec, type ClusterSpec, type FakePod } from './cluster'
import { apiGroupList, apiVersions, knownResource, resourceList } from './discovery'
import { applyEphemeralPatch, isRunning } from './ephemeral'
import { PROTOCOLS, runExec, type ExecOutcome, type ExecProtocol } from './exec'
import { ROLES, VERSION_INFO, allowed, authorizeExec, type KubeVersion, type TestUser } from './rbac'
import { decodeAccessReview, type AccessReviewSpec } from './protobuf'
import { fieldOf, matches, parseSelector } from './selectors'
import { badRequest, forbidden, methodNotAllowed, notFound, pathNotFound, unauthorized, type Status } from './status'
import { toTable, wantsTable } from './table'
import { makeTestCertificates } from './tls'

export type { KubeVersion, TestUser } from './rbac'

/** The modelled Cilium agent image: its containers see only that image's tools. */
const AGENT_IMAGE = /^(?:quay\.io\/)?cilium\/cilium:/

export interface ExecLogEntry {
  at: string
  user: string
  namespace: string
  pod: string
  container: string
  netns?: string
  argv: string[]
  protocol?: ExecProtocol
  /** what the double did: ran it, refused it (403/404/400 before the upgrade, or the argv check) */
  outcome: ExecOutcome['outcome'] | 'forbidden' | 'rejected'
  exitCode?: number
  durationMs?: number
}

export interface KubeTestApiOptions {
  /** 0 (default) picks a free port */
  port?: number
  /** added before every HTTP answer and every WebSocket upgrade, to stand for a remote cluster */
  latencyMs?: number
  /** kill an exec'd process after this long; default 30 s */
  maxExecMs?: number
  /** HTTP request timeout; default 15 s */
  requestTimeoutMs?: number
  cluster?: ClusterSpec
  /**
   * Refuses an argv before running it (a reason string refuses). Default: the allowlist of the
   * project's Kubernetes collector (checkArgv with KUBE_TEMPLATES: the plan, its cilium-dbg
   * spellings, the probes). null runs any argv (tests of the double itself).
   */
  refuseArgv?: ((argv: string[]) => string | undefined) | null
  /** append every exec request to this file as JSON lines, besides `execLog` */
  execLogPath?: string
  /**
   * which API server to be: before 1.35 a WebSocket exec needs `get pods/exec`, from 1.35 also
   * `create` (rbac.ts). Default 1.35.
   */
  version?: KubeVersion
}

export interface KubeTestApi {
  url: string
  port: number
  /** by kubeconfig context: lab (admin), lab-viewer, lab-nobody, lab-exec-get, lab-exec-create */
  users: { admin: TestUser; viewer: TestUser; nobody: TestUser; execGet: TestUser; execCreate: TestUser }
  version: KubeVersion
  /** PEM of the CA that signed the serving certificate (also in the kubeconfig) */
  ca: string
  /** every exec the double was asked for, refused ones included, in arrival order */
  execLog: ExecLogEntry[]
  /** counts of HTTP requests and upgrades served, for the benchmark */
  stats: { http: number; upgrades: number }
  /** A kubeconfig pointing at the double: contexts lab (admin), lab-viewer, lab-nobody, lab-exec-get, lab-exec-create, lab-bad-token. */
  kubeconfig(): string
  writeKubeconfig(file: string): void
  close(): Promise<void>
}

type Json = Record<string, unknown>

const POD_FIELDS = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName']
const BASIC_FIELDS = ['metadata.name', 'metadata.namespace']

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve()
}

function sendJson(res: http.ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = JSON.stringify(body)
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' })
  res.end(text)
}

async function readBuffer(req: http.IncomingMessage, max = 65536): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += b.length
    if (size > max) return undefined
    chunks.push(b)
  }
  return Buffer.concat(chunks)
}

async function readBody(req: http.IncomingMessage, max = 65536): Promise<string | undefined> {
  return (await readBuffer(req, max))?.toString('utf8')
}

function sendStatus(res: http.ServerResponse, s: Status): void {
  sendJson(res, s.code ?? 500, s)
}

/** A Status answer to a request that was not upgraded (socket still raw HTTP). */
function rejectUpgrade(socket: Duplex, s: Status): void {
  const text = JSON.stringify(s)
  const reason = http.STATUS_CODES[s.code ?? 500] ?? 'Error'
  socket.end(`HTTP/1.1 ${s.code ?? 500} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`)
}

function token(): string {
  return randomBytes(24).toString('base64url')
}

export async function startKubeTestApi(opts: KubeTestApiOptions = {}): Promise<KubeTestApi> {
  const latency = opts.latencyMs ?? 0
  const maxExecMs = opts.maxExecMs ?? 30_000
  const version = opts.version ?? '1.35'
  const cluster = new FakeCluster(opts.cluster ?? labClusterSpec())
  const user = (context: string): TestUser => {
    const role = ROLES[context]
    if (!role) throw new Error(`no role for context ${context}`)
    return { name: role.user, token: token(), rules: role.rules }
  }
  const users = { admin: user('lab'), viewer: user('lab-viewer'), nobody: user('lab-nobody'), execGet: user('lab-exec-get'), execCreate: user('lab-exec-create') }
  const contexts: [string, TestUser][] = [['lab', users.admin], ['lab-viewer', users.viewer], ['lab-nobody', users.nobody], ['lab-exec-get', users.execGet], ['lab-exec-create', users.execCreate]]
  const byToken = new Map(Object.values(users).map((u) => [u.token, u]))
  const certs = makeTestCertificates()
  const execLog: ExecLogEntry[] = []
  const refuseArgv =
    opts.refuseArgv === null
      ? undefined
      : (opts.refuseArgv ??
        ((argv: string[]) => {
          const r = checkArgv(argv, KUBE_TEMPLATES)
          return r.ok ? undefined : r.reason
        }))
  const stats = { http: 0, upgrades: 0 }
  const children = new Set<ChildProcess>()
  const sockets = new Set<Duplex>()
  let stopping = false

  const logExec = (e: ExecLogEntry) => {
    execLog.push(e)
    if (opts.execLogPath) fs.appendFileSync(opts.execLogPath, `${JSON.stringify(e)}\n`)
  }

  const authenticate = (req: http.IncomingMessage): TestUser | undefined => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')
    return m?.[1] ? byToken.get(m[1]) : undefined
  }

  // ---- REST -------------------------------------------------------------------------------

  /** get, list or watch of a collection; `group` '' for the core group. */
  async function listOrGet(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    user: TestUser,
    url: URL,
    resource: string,
    namespace: string | undefined,
    name: string | undefined,
    all: () => Promise<Json[]>,
    kind: string,
    apiVersion = 'v1',
    group = '',
  ): Promise<void> {
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1'
    const verb = name ? 'get' : watch ? 'watch' : 'list'
    if (!allowed(user, verb, resource)) {
      sendStatus(res, forbidden({ user: user.name, verb, resource, name, namespace, group }))
      return
    }
    const items = (await all()).filter((o) => namespace === undefined || fieldOf(o, 'metadata.namespace') === namespace)
    const table = wantsTable(req.headers.accept)
    const tableType = 'application/json;as=Table;v=v1;g=meta.k8s.io'
    if (name !== undefined) {
      const obj = items.find((o) => fieldOf(o, 'metadata.name') === name)
      if (!obj) sendStatus(res, notFound(group ? `${resource}.${group}` : resource, name))
      else if (table) sendJson(res, 200, toTable(resource, [obj], { resourceVersion: cluster.resourceVersion }, url.searchParams.get('includeObject'), apiVersion, kind), tableType)
      else sendJson(res, 200, { kind, apiVersion, ...obj })
      return
    }
    const labels = parseSelector(url.searchParams.get('labelSelector') ?? '')
    if (!labels) {
      sendStatus(res, badRequest(`unable to parse requirement: ${url.searchParams.get('labelSelector')}`))
      return
    }
    const fields = parseSelector(url.searchParams.get('fieldSelector') ?? '')
    if (!fields) {
      sendStatus(res, badRequest(`invalid selector: '${url.searchParams.get('fieldSelector')}'`))
      return
    }
    const known = resource === 'pods' ? POD_FIELDS : BASIC_FIELDS
    const unknown = fields.find((f) => !known.includes(f.key))
    if (unknown) {
      sendStatus(res, badRequest(`field label not supported: ${unknown.key}`))
      return
    }
    const selected = items.filter(
      (o) => matches(labels, (k) => (o.metadata as { labels?: Record<string, string> }).labels?.[k]) && matches(fields, (k) => fieldOf(o, k)),
    )
    if (watch) return serveWatch(req, res, url, selected, table, resource, kind, apiVersion)
    if (table) return sendJson(res, 200, toTable(resource, selected, { resourceVersion: cluster.resourceVersion }, url.searchParams.get('includeObject'), apiVersion, kind), tableType)
    sendJson(res, 200, { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: cluster.resourceVersion }, items: selected })
  }

  /**
   * A watch: without a resourceVersion (or with "0") one ADDED event per current object, as the
   * apiserver starts such a watch; from the list's resourceVersion (kubectl get -w) nothing, since
   * nothing here ever changes. The stream stays open until the client goes or timeoutSeconds
   * (capped at 60 s here) runs out.
   */
  function serveWatch(req: http.IncomingMessage, res: http.ServerResponse, url: URL, items: Json[], table: boolean, resource: string, kind: string, apiVersion: string): void {
    res.writeHead(200, { 'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' })
    const rv = url.searchParams.get('resourceVersion')
    const initial = rv === null || rv === '' || rv === '0' ? items : []
    for (const [i, o] of initial.entries()) {
      const object = table ? toTable(resource, [o], { resourceVersion: cluster.resourceVersion }, url.searchParams.get('includeObject'), apiVersion, kind) : { kind, apiVersion, ...o }
      // kubectl get -w prints the column headers from the first event's Table only
      if (table && i > 0 && object) delete (object as { columnDefinitions?: unknown }).columnDefinitions
      res.write(`${JSON.stringify({ type: 'ADDED', object })}\n`)
    }
    const seconds = Math.min(Number(url.searchParams.get('timeoutSeconds') ?? 60) || 60, 60)
    const timer = setTimeout(() => res.end(), seconds * 1000)
    watches.add(res)
    const done = () => {
      clearTimeout(timer)
      watches.delete(res)
    }
    req.on('close', done)
    res.on('close', done)
  }

  const allPods = () => Promise.all(cluster.spec.pods.map((p) => cluster.podObject(p)))

  async function serveApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, user: TestUser): Promise<void> {
    const p = url.pathname.replace(/\/+$/, '')
    const m = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?(?:\/([a-z]+))?$/.exec(p)
    if (!m) return sendStatus(res, pathNotFound())
    const [, ns, resource = '', name, sub] = m
    if (sub === 'exec' && resource === 'pods') {
      // not upgraded: the apiserver wants an upgrade for exec
      return sendStatus(res, badRequest('Upgrade request required'))
    }
    if (sub === 'ephemeralcontainers' && resource === 'pods' && ns !== undefined && name !== undefined) return serveEphemeral(req, res, user, ns, name)
    if (req.method !== 'GET') return sendStatus(res, methodNotAllowed())
    // /api/v1/namespaces/{name} is a get of a namespace, not a namespaced collection
    if (ns !== undefined && resource === 'namespaces') return sendStatus(res, pathNotFound())
    if (resource === 'namespaces' && ns === undefined) {
      return listOrGet(req, res, user, url, 'namespaces', undefined, name, async () => NAMESPACES.map((n) => cluster.namespaceObject(n)), 'Namespace')
    }
    if (sub !== undefined) return sendStatus(res, pathNotFound())
    switch (resource) {
      case 'pods':
        return listOrGet(req, res, user, url, 'pods', ns, name, allPods, 'Pod')
      case 'services':
        return listOrGet(req, res, user, url, 'services', ns, name, async () => cluster.services(), 'Service')
      case 'configmaps':
        return listOrGet(req, res, user, url, 'configmaps', ns, name, async () => cluster.configMaps(), 'ConfigMap')
      case 'nodes':
        if (ns !== undefined) return sendStatus(res, pathNotFound())
        return listOrGet(req, res, user, url, 'nodes', undefined, name, async () => Promise.all(cluster.spec.nodes.map((n) => cluster.nodeObject(n))), 'Node')
      default:
        return sendStatus(res, pathNotFound())
    }
  }

  /** GET or PATCH pods/{name}/ephemeralcontainers: the pod, with the patch applied. */
  async function serveEphemeral(req: http.IncomingMessage, res: http.ServerResponse, user: TestUser, namespace: string, name: string): Promise<void> {
    const verb = req.method === 'GET' ? 'get' : req.method === 'PATCH' ? 'patch' : req.method === 'PUT' ? 'update' : undefined
    if (!verb || verb === 'update') return sendStatus(res, methodNotAllowed())
    if (!allowed(user, verb, 'pods/ephemeralcontainers')) {
      return sendStatus(res, forbidden({ user: user.name, verb, resource: 'pods/ephemeralcontainers', name, namespace }))
    }
    const pod = cluster.findPod(namespace, name)
    if (!pod) return sendStatus(res, notFound('pods', name))
    if (verb === 'patch') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim()
      if (type !== 'application/strategic-merge-patch+json' && type !== 'application/merge-patch+json') {
        return sendJson(res, 415, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`, reason: 'UnsupportedMediaType', code: 415 })
      }
      const body = await readBody(req)
      if (body === undefined) return sendStatus(res, badRequest('request body too large'))
      let patch: unknown
      try {
        patch = JSON.parse(body)
      } catch (e) {
        return sendStatus(res, badRequest(`error decoding patch: ${e instanceof Error ? e.message : String(e)}`))
      }
      const r = applyEphemeralPatch({ pod: name, containers: pod.containers.map((c) => c.name), existing: cluster.ephemeralOf(pod), patch, now: Date.now() })
      if ('error' in r) return sendStatus(res, r.error)
      cluster.ephemeral.set(`${namespace}/${name}`, r.ok)
    }
    sendJson(res, 200, { kind: 'Pod', apiVersion: 'v1', ...(await cluster.podObject(pod)) })
  }

  /** SelfSubjectAccessReview: what RBAC allows (`kubectl auth can-i`), whatever the transport. */
  async function serveAccessReview(req: http.IncomingMessage, res: http.ServerResponse, user: TestUser): Promise<void> {
    if (req.method !== 'POST') return sendStatus(res, methodNotAllowed())
    const body = await readBuffer(req)
    if (body === undefined) return sendStatus(res, badRequest('request body too large'))
    let review: { spec?: AccessReviewSpec }
    try {
      const protobuf = /^application\/vnd\.kubernetes\.protobuf/.test(req.headers['content-type'] ?? '')
      review = protobuf ? decodeAccessReview(body) : (JSON.parse(body.toString('utf8')) as typeof review)
    } catch (e) {
      return sendStatus(res, badRequest(`cannot decode the SelfSubjectAccessReview: ${e instanceof Error ? e.message : String(e)}`))
    }
    const ra = review.spec?.resourceAttributes
    if (!ra && !review.spec?.nonResourceAttributes) {
      return sendJson(res, 422, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified', reason: 'Invalid', code: 422 })
    }
    const resource = ra?.subresource ? `${ra.resource ?? ''}/${ra.subresource}` : (ra?.resource ?? '')
    const ok = ra !== undefined && (knownResource(resource, ra.group ?? '') || user.rules.some((r) => r.resources.includes('*'))) && allowed(user, ra.verb ?? '', resource)
    const admin = user.rules.some((r) => r.resources.includes('*'))
    sendJson(res, 201, {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: review.spec ?? {},
      status: ok ? { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${admin ? 'kubeadm:cluster-admins' : `packetwalk-${user.name}`}" of ClusterRole "${admin ? 'cluster-admin' : user.name}" to User "${user.name}"` } : { allowed: false },
    })
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.http++
    await sleep(latency)
    const url = new URL(req.url ?? '/', 'https://127.0.0.1')
    const user = authenticate(req)
    if (!user) return sendStatus(res, unauthorized())
    const p = url.pathname.replace(/\/+$/, '')
    if (p === '/version') {
      const v = VERSION_INFO[version]
      return sendJson(res, 200, {
        major: '1', minor: version.split('.')[1], emulationMajor: '1', emulationMinor: version.split('.')[1], minCompatibilityMajor: '1', minCompatibilityMinor: String(Number(version.split('.')[1]) - 1),
        gitVersion: v.gitVersion, gitCommit: v.gitCommit, gitTreeState: 'clean', buildDate: v.buildDate, goVersion: v.goVersion, compiler: 'gc', platform: 'linux/amd64',
      })
    }
    if (p === '/healthz' || p === '/livez' || p === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
      return void res.end('ok')
    }
    if (p === '/api') return sendJson(res, 200, apiVersions(`127.0.0.1:${port}`))
    if (p === '/apis') return sendJson(res, 200, apiGroupList())
    if (p === '/api/v1') return sendJson(res, 200, resourceList('v1'))
    const gv = /^\/apis\/([a-z0-9.-]+)\/(v1)$/.exec(p)
    if (gv) {
      const list = resourceList(`${gv[1]}/${gv[2]}`)
      return list ? sendJson(res, 200, list) : sendStatus(res, pathNotFound())
    }
    const ds = /^\/apis\/apps\/v1(?:\/namespaces\/([^/]+))?\/daemonsets(?:\/([^/]+))?$/.exec(p)
    if (ds) {
      if (req.method !== 'GET') return sendStatus(res, methodNotAllowed())
      return listOrGet(req, res, user, url, 'daemonsets', ds[1], ds[2], async () => cluster.daemonSets(), 'DaemonSet', 'apps/v1', 'apps')
    }
    if (p === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') return serveAccessReview(req, res, user)
    if (p.startsWith('/api/v1/')) return serveApi(req, res, url, user)
    return sendStatus(res, pathNotFound())
  }

  // ---- exec over WebSocket ----------------------------------------------------------------

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    handleProtocols: (offered) => {
      for (const p of offered) if ((PROTOCOLS as readonly string[]).includes(p)) return p
      return false
    },
  })

  async function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    stats.upgrades++
    await sleep(latency)
    const url = new URL(req.url ?? '/', 'https://127.0.0.1')
    const user = authenticate(req)
    if (!user) return rejectUpgrade(socket, unauthorized())
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname)
    if (!m) return rejectUpgrade(socket, pathNotFound())
    const namespace = decodeURIComponent(m[1] ?? '')
    const podName = decodeURIComponent(m[2] ?? '')
    const argv = url.searchParams.getAll('command')
    const container = url.searchParams.get('container') ?? ''
    const flag = (k: string) => url.searchParams.get(k) === 'true' || url.searchParams.get(k) === '1'
    const streams = { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') }
    const entry: ExecLogEntry = { at: new Date().toISOString(), user: user.name, namespace, pod: podName, container, argv, outcome: 'rejected' }
    const reject = (s: Status, outcome: ExecLogEntry['outcome'] = 'rejected') => {
      logExec({ ...entry, outcome })
      rejectUpgrade(socket, s)
    }

    // SPDY comes as a POST (authorised as create); WebSocket as a GET (get, and create from 1.35)
    const spdy = /spdy/i.test(String(req.headers.upgrade ?? ''))
    const denied = authorizeExec({ user, version, transport: spdy ? 'spdy' : 'websocket', pod: podName, namespace })
    if (denied) return reject(denied, 'forbidden')
    const pod: FakePod | undefined = cluster.findPod(namespace, podName)
    if (!pod) return reject(notFound('pods', podName))
    if (argv.length === 0) return reject(badRequest('you must specify at least 1 command'))
    if (!streams.stdin && !streams.stdout && !streams.stderr) return reject(badRequest('you must specify at least 1 of stdin, stdout, stderr'))
    const names = pod.containers.map((c) => c.name)
    const ephemeral = cluster.ephemeralOf(pod)
    let cname = container
    if (cname === '') {
      if (names.length !== 1) return reject(badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`))
      cname = names[0] ?? ''
    } else if (!names.includes(cname)) {
      const eph = ephemeral.find((c) => c.name === cname)
      if (!eph) return reject(badRequest(`container ${cname} is not valid for pod ${podName}`))
      if (!isRunning(eph, cluster.pullable)) return reject(badRequest(`unable to upgrade connection: container not found ("${cname}")`))
    }
    const podObj = await cluster.podObject(pod)
    if (fieldOf(podObj, 'status.phase') !== 'Running') {
      return reject(badRequest(`unable to upgrade connection: container not found ("${cname}")`))
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    if (offered.length > 0 && !offered.some((p) => (PROTOCOLS as readonly string[]).includes(p))) {
      return reject(badRequest(`requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${PROTOCOLS.join(' ')}]`))
    }
    if (stopping) return reject(badRequest('the test API server is stopping'))
    // after every check a real apiserver makes, so that kubectl's SPDY fallback shows the same error
    if (spdy) return reject(badRequest('the Kubernetes API test double speaks exec over WebSocket only (v5/v4.channel.k8s.io), not SPDY'))
    const agentImage = AGENT_IMAGE.test(pod.containers.find((c) => c.name === cname)?.image ?? '')

    wss.handleUpgrade(req, socket, head, (ws) => {
      // no protocol offered: the original binary channel protocol
      const protocol = (ws.protocol || '') as ExecProtocol
      void runExec({ ws, protocol, netns: pod.netns, argv, streams, maxExecMs, refuse: refuseArgv, children, agentImage }).then((r) => {
        logExec({ ...entry, container: cname, netns: pod.netns, protocol, outcome: r.outcome, exitCode: r.exitCode, durationMs: r.durationMs })
      })
    })
  }

  // ---- server -----------------------------------------------------------------------------

  const watches = new Set<http.ServerResponse>()
  const server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendStatus(res, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(e), reason: 'InternalError', code: 500 })
    })
  })
  server.requestTimeout = opts.requestTimeoutMs ?? 15_000
  server.headersTimeout = Math.min(server.requestTimeout, 10_000)
  server.keepAliveTimeout = 5_000
  server.on('connection', (s: Duplex) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    upgrade(req, socket, head).catch(() => socket.destroy())
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  const url = `https://127.0.0.1:${port}`

  const kubeconfig = () => {
    const ctx = (name: string, user: string) => `- name: ${name}\n  context:\n    cluster: packetwalk-lab\n    user: ${user}\n    namespace: default\n`
    const usr = (name: string, tok: string) => `- name: ${name}\n  user:\n    token: ${tok}\n`
    return [
      '# Written by test-support/kube-test-api: a TEST DOUBLE of the Kubernetes API backed by the packetwalk lab.',
      'apiVersion: v1',
      'kind: Config',
      'preferences: {}',
      'clusters:',
      `- name: packetwalk-lab\n  cluster:\n    server: ${url}\n    certificate-authority-data: ${Buffer.from(certs.ca).toString('base64')}`,
      'contexts:',
      contexts.map(([c, u]) => ctx(c, u.name)).join('') + ctx('lab-bad-token', 'bad-token'),
      'users:',
      contexts.map(([, u]) => usr(u.name, u.token)).join('') + usr('bad-token', token()),
      'current-context: lab',
      '',
    ].join('\n')
  }

  return {
    url,
    port,
    users,
    version,
    ca: certs.ca,
    execLog,
    stats,
    kubeconfig,
    writeKubeconfig(file: string) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
      fs.writeFileSync(file, kubeconfig(), { mode: 0o600 })
    },
    async close() {
      stopping = true
      for (const c of children) c.kill('SIGKILL')
      for (const ws of wss.clients) ws.terminate()
      for (const w of watches) w.end()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
      wss.close()
    },
  }
}
