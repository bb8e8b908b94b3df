/**
 * A Kubernetes API TEST DOUBLE: plain HTTP on 127.0.0.1, bearer tokens, the read-only REST paths
 * packetwalk's live collector uses, and pods/exec over WebSocket that runs the command in a
 * network namespace of the lab. It is not a Kubernetes apiserver; README.md says what it covers.
 */
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { Duplex } from 'node:stream'
import path from 'node:path'
import { WebSocketServer } from 'ws'
import { checkArgv } from '@/server/security'
import { KUBE_TEMPLATES } from '@/server/kube/executor'
import { FakeCluster, NAMESPACES, labClusterSpec, type ClusterSpec, type FakePod } from './cluster'
import { PROTOCOLS, runExec, type ExecOutcome, type ExecProtocol } from './exec'
import { fieldOf, matches, parseSelector } from './selectors'
import { badRequest, forbidden, methodNotAllowed, notFound, pathNotFound, unauthorized, type Status } from './status'

/** Who a token is, and what RBAC lets them do. */
export interface TestUser {
  name: string
  token: string
  /** get/list pods, nodes, services, configmaps, namespaces */
  read: boolean
  /** create pods/exec */
  exec: boolean
}

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
}

export interface KubeTestApi {
  url: string
  port: number
  users: { admin: TestUser; viewer: TestUser; nobody: TestUser }
  /** every exec the double was asked for, refused ones included, in arrival order */
  execLog: ExecLogEntry[]
  /** counts of HTTP requests and upgrades served, for the benchmark */
  stats: { http: number; upgrades: number }
  /** A kubeconfig pointing at the double: contexts lab (admin), lab-viewer, lab-nobody, lab-bad-token. */
  kubeconfig(): string
  writeKubeconfig(file: string): void
  close(): Promise<void>
}

type Json = Record<string, unknown>

const POD_FIELDS = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName']
const BASIC_FIELDS = ['metadata.name', 'metadata.namespace']

const RESOURCES: { name: string; kind: string; namespaced: boolean; verbs: string[] }[] = [
  { name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['get', 'list'] },
  { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['get', 'list'] },
  { name: 'nodes', kind: 'Node', namespaced: false, verbs: ['get', 'list'] },
  { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['get', 'list'] },
  { name: 'pods/exec', kind: 'PodExecOptions', namespaced: true, verbs: ['create', 'get'] },
  { name: 'services', kind: 'Service', namespaced: true, verbs: ['get', 'list'] },
]

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve()
}

function sendJson(res: http.ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' })
  res.end(text)
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
  const cluster = new FakeCluster(opts.cluster ?? labClusterSpec())
  const users = {
    admin: { name: 'kubernetes-admin', token: token(), read: true, exec: true },
    viewer: { name: 'lab-viewer', token: token(), read: true, exec: false },
    nobody: { name: 'lab-nobody', token: token(), read: false, exec: false },
  }
  const byToken = new Map(Object.values(users).map((u) => [u.token, u]))
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

  async function listOrGet(
    res: http.ServerResponse,
    user: TestUser,
    url: URL,
    resource: string,
    namespace: string | undefined,
    name: string | undefined,
    all: () => Promise<Json[]>,
    kind: string,
    apiVersion = 'v1',
  ): Promise<void> {
    if (!user.read) {
      sendStatus(res, forbidden({ user: user.name, verb: name ? 'get' : 'list', resource, name, namespace }))
      return
    }
    const items = (await all()).filter((o) => namespace === undefined || fieldOf(o, 'metadata.namespace') === namespace)
    if (name !== undefined) {
      const obj = items.find((o) => fieldOf(o, 'metadata.name') === name)
      if (!obj) sendStatus(res, notFound(resource, name))
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
    sendJson(res, 200, { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: cluster.resourceVersion }, items: selected })
  }

  const allPods = () => Promise.all(cluster.spec.pods.map((p) => cluster.podObject(p)))

  async function serveApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, user: TestUser): Promise<void> {
    const p = url.pathname.replace(/\/+$/, '')
    const m = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?(?:\/([a-z]+))?$/.exec(p)
    if (p === '/api/v1') {
      sendJson(res, 200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: RESOURCES.map((r) => ({ name: r.name, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: r.verbs })),
      })
      return
    }
    if (!m) return sendStatus(res, pathNotFound())
    const [, ns, resource = '', name, sub] = m
    if (req.method !== 'GET') return sendStatus(res, methodNotAllowed())
    // /api/v1/namespaces/{name} is a get of a namespace, not a namespaced collection
    if (ns !== undefined && resource === 'namespaces') return sendStatus(res, pathNotFound())
    if (resource === 'namespaces' && ns === undefined) {
      return listOrGet(res, user, url, 'namespaces', undefined, name, async () => NAMESPACES.map((n) => cluster.namespaceObject(n)), 'Namespace')
    }
    if (sub === 'exec' && resource === 'pods') {
      // a plain GET: the apiserver wants an upgrade for exec
      return sendStatus(res, badRequest('Upgrade request required'))
    }
    if (sub !== undefined) return sendStatus(res, pathNotFound())
    switch (resource) {
      case 'pods':
        return listOrGet(res, user, url, 'pods', ns, name, allPods, 'Pod')
      case 'services':
        return listOrGet(res, user, url, 'services', ns, name, async () => cluster.services(), 'Service')
      case 'configmaps':
        return listOrGet(res, user, url, 'configmaps', ns, name, async () => cluster.configMaps(), 'ConfigMap')
      case 'nodes':
        if (ns !== undefined) return sendStatus(res, pathNotFound())
        return listOrGet(res, user, url, 'nodes', undefined, name, async () => Promise.all(cluster.spec.nodes.map((n) => cluster.nodeObject(n))), 'Node')
      default:
        return sendStatus(res, pathNotFound())
    }
  }

  /** SelfSubjectAccessReview, so a client can ask "may I exec?" before trying. */
  async function serveAccessReview(req: http.IncomingMessage, res: http.ServerResponse, user: TestUser): Promise<void> {
    if (req.method !== 'POST') return sendStatus(res, methodNotAllowed())
    let body = ''
    for await (const chunk of req) {
      body += String(chunk)
      if (body.length > 65536) return sendStatus(res, badRequest('request body too large'))
    }
    let review: { spec?: { resourceAttributes?: { verb?: string; resource?: string; subresource?: string; namespace?: string } } }
    try {
      review = JSON.parse(body) as typeof review
    } catch {
      return sendStatus(res, badRequest('invalid JSON in SelfSubjectAccessReview'))
    }
    const ra = review.spec?.resourceAttributes ?? {}
    const isExec = ra.resource === 'pods' && ra.subresource === 'exec'
    const known = RESOURCES.some((r) => r.name === (ra.subresource ? `${ra.resource}/${ra.subresource}` : ra.resource))
    const allowed = known && (isExec ? user.exec && (ra.verb === 'create' || ra.verb === 'get') : user.read && (ra.verb === 'get' || ra.verb === 'list'))
    sendJson(res, 201, {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: review.spec ?? {},
      status: allowed ? { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding for User "${user.name}"` } : { allowed: false },
    })
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.http++
    await sleep(latency)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const user = authenticate(req)
    if (!user) return sendStatus(res, unauthorized())
    const p = url.pathname.replace(/\/+$/, '')
    if (p === '/version') {
      return sendJson(res, 200, {
        major: '1', minor: '30', gitVersion: 'v1.30.4', gitCommit: 'a51b3b711150f57ffc1f526a640ec058514ed596', gitTreeState: 'clean',
        buildDate: '2024-08-14T19:04:42Z', goVersion: 'go1.22.5', compiler: 'gc', platform: 'linux/amd64',
      })
    }
    if (p === '/healthz' || p === '/livez' || p === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
      return void res.end('ok')
    }
    if (p === '/api') {
      return sendJson(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] })
    }
    if (p === '/apis') {
      const group = (name: string) => {
        const v = { groupVersion: `${name}/v1`, version: 'v1' }
        return { name, versions: [v], preferredVersion: v }
      }
      return sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [group('apps'), group('authorization.k8s.io')] })
    }
    const ds = /^\/apis\/apps\/v1(?:\/namespaces\/([^/]+))?\/daemonsets(?:\/([^/]+))?$/.exec(p)
    if (ds) {
      if (req.method !== 'GET') return sendStatus(res, methodNotAllowed())
      return listOrGet(res, user, url, 'daemonsets', ds[1], ds[2], async () => cluster.daemonSets(), 'DaemonSet', 'apps/v1')
    }
    if (p === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') return serveAccessReview(req, res, user)
    if (p === '/api/v1' || p.startsWith('/api/v1/')) return serveApi(req, res, url, user)
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
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
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

    if (!user.exec) return reject(forbidden({ user: user.name, verb: 'create', resource: 'pods/exec', name: podName, namespace }), 'forbidden')
    const pod: FakePod | undefined = cluster.findPod(namespace, podName)
    if (!pod) return reject(notFound('pods', podName))
    if (argv.length === 0) return reject(badRequest('you must specify at least 1 command'))
    if (!streams.stdin && !streams.stdout && !streams.stderr) return reject(badRequest('you must specify at least 1 of stdin, stdout, stderr'))
    const names = pod.containers.map((c) => c.name)
    let cname = container
    if (cname === '') {
      if (names.length !== 1) return reject(badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`))
      cname = names[0] ?? ''
    } else if (!names.includes(cname)) {
      return reject(badRequest(`container ${cname} is not valid for pod ${podName}`))
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

    wss.handleUpgrade(req, socket, head, (ws) => {
      // no protocol offered: the original binary channel protocol
      const protocol = (ws.protocol || '') as ExecProtocol
      void runExec({ ws, protocol, netns: pod.netns, argv, streams, maxExecMs, refuse: refuseArgv, children }).then((r) => {
        logExec({ ...entry, container: cname, netns: pod.netns, protocol, outcome: r.outcome, exitCode: r.exitCode, durationMs: r.durationMs })
      })
    })
  }

  // ---- server -----------------------------------------------------------------------------

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendStatus(res, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(e), reason: 'InternalError', code: 500 })
    })
  })
  server.requestTimeout = opts.requestTimeoutMs ?? 15_000
  server.headersTimeout = Math.min(server.requestTimeout, 10_000)
  server.keepAliveTimeout = 5_000
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    upgrade(req, socket, head).catch(() => socket.destroy())
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  const url = `http://127.0.0.1:${port}`

  const kubeconfig = () => {
    const ctx = (name: string, user: string) => `- name: ${name}\n  context:\n    cluster: packetwalk-lab\n    user: ${user}\n    namespace: default\n`
    const usr = (name: string, tok: string) => `- name: ${name}\n  user:\n    token: ${tok}\n`
    return [
      '# Written by test-support/kube-test-api: a TEST DOUBLE of the Kubernetes API backed by the packetwalk lab.',
      'apiVersion: v1',
      'kind: Config',
      'preferences: {}',
      'clusters:',
      // client-node sends a token over plain http only when TLS verification is explicitly off
      `- name: packetwalk-lab\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
      'contexts:',
      ctx('lab', users.admin.name) + ctx('lab-viewer', users.viewer.name) + ctx('lab-nobody', users.nobody.name) + ctx('lab-bad-token', 'bad-token'),
      'users:',
      usr(users.admin.name, users.admin.token) + usr(users.viewer.name, users.viewer.token) + usr(users.nobody.name, users.nobody.token) + usr('bad-token', token()),
      'current-context: lab',
      '',
    ].join('\n')
  }

  return {
    url,
    port,
    users,
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
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
      wss.close()
    },
  }
}

