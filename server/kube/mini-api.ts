/**
 * A minimal Kubernetes API for the collector's unit tests: a real HTTP server on 127.0.0.1 that
 * answers REST paths with what a test gives it (Status objects for 401/403/404, v1 objects) and
 * speaks the exec WebSocket protocol (v4.channel.k8s.io: stream byte + payload, Status on
 * channel 3). The full test double of the lab's cluster is test-support/kube-test-api; this one lets a
 * test script one answer at a time, with a chosen latency per request.
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export interface RestAnswer {
  status: number
  body: unknown
}

export interface ExecScript {
  /** refuse the upgrade with this HTTP answer (a Status body) */
  reject?: RestAnswer
  /** binary frames to send on stdout (channel 1) */
  stdout?: Buffer[]
  /** the Status sent on channel 3; none: the connection is left open (a stream) */
  status?: Record<string, unknown>
}

export interface ExecCall {
  namespace: string
  pod: string
  container: string
  argv: string[]
}

export interface MiniApiOptions {
  latencyMs?: number
  rest?: (method: string, url: URL, body: string) => RestAnswer | undefined
  exec?: (call: ExecCall) => ExecScript
}

export interface MiniApi {
  url: string
  /** "GET /api/v1/…" per request, upgrades as "EXEC ns/pod:container argv…" */
  requests: string[]
  execs: ExecCall[]
  /** the highest number of exec requests in flight at once (from upgrade request to close) */
  maxConcurrentExecs: number
  env: Record<string, string | undefined>
  kubeconfigPath: string
  close(): Promise<void>
}

export const NOT_FOUND_STATUS = (kind: string, name: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: `${kind} "${name}" not found`,
  reason: 'NotFound',
  details: { name, kind },
  code: 404,
})

export async function startMiniApi(opts: MiniApiOptions): Promise<MiniApi> {
  const requests: string[] = []
  const execs: ExecCall[] = []
  let open = 0
  let maxOpen = 0
  const sockets = new Set<WebSocket>()
  const delay = () => new Promise((r) => setTimeout(r, opts.latencyMs ?? 0))

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1')
        requests.push(`${req.method} ${url.pathname}${url.search}`)
        await delay()
        const a = opts.rest?.(req.method ?? 'GET', url, Buffer.concat(chunks).toString('utf8')) ?? {
          status: 404,
          body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 },
        }
        res.writeHead(a.status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(a.body))
      })()
    })
  })

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false),
  })

  server.on('upgrade', (req, socket, head) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname)
      const call: ExecCall = {
        namespace: decodeURIComponent(m?.[1] ?? ''),
        pod: decodeURIComponent(m?.[2] ?? ''),
        container: url.searchParams.get('container') ?? '',
        argv: url.searchParams.getAll('command'),
      }
      requests.push(`EXEC ${call.namespace}/${call.pod}:${call.container} ${call.argv.join(' ')}`)
      execs.push(call)
      // in flight from the upgrade request on, latency included
      open++
      maxOpen = Math.max(maxOpen, open)
      await delay()
      const script = opts.exec?.(call) ?? { status: { metadata: {}, status: 'Success' } }
      if (!m || script.reject) {
        const a = script.reject ?? { status: 404, body: NOT_FOUND_STATUS('pods', call.pod) }
        const text = JSON.stringify(a.body)
        open--
        socket.end(`HTTP/1.1 ${a.status} ${http.STATUS_CODES[a.status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`)
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws)
        ws.on('close', () => {
          open--
          sockets.delete(ws)
        })
        for (const c of script.stdout ?? []) ws.send(Buffer.concat([Buffer.from([1]), c]))
        if (script.status) {
          ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(script.status))]))
          ws.close()
        }
      })
    })()
  })

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-kube-'))
  const kubeconfigPath = path.join(dir, 'config')
  fs.writeFileSync(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: mini',
      'clusters:',
      '- name: mini-cluster',
      '  cluster:',
      `    server: ${url}`,
      '    insecure-skip-tls-verify: true',
      'contexts:',
      '- name: mini',
      '  context: {cluster: mini-cluster, user: tester, namespace: default}',
      '- name: other',
      '  context: {cluster: mini-cluster, user: tester}',
      'users:',
      '- name: tester',
      '  user: {token: mini-token}',
      '',
    ].join('\n'),
  )

  return {
    url,
    requests,
    execs,
    get maxConcurrentExecs() {
      return maxOpen
    },
    env: { KUBECONFIG: kubeconfigPath, HOME: dir },
    kubeconfigPath,
    close: async () => {
      for (const s of sockets) s.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
