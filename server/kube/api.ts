/**
 * A small REST client for the few Kubernetes reads packetwalk needs. It takes its TLS material,
 * proxy and credentials from client-node (`applyToHTTPSOptions`, so exec plugins, tokens, client
 * certificates and proxies behave as in kubectl) and does the HTTP itself, which gives every
 * request a time bound and every refusal its Status message.
 */
import http from 'node:http'
import https from 'node:https'
import type { LoadedKubeConfig } from './kubeconfig'
import { KubeError, errorFromNetwork, errorFromResponse, errorMessage } from './errors'

export interface KubeApi {
  context: string
  server: string
  /** GET a JSON object; `what` describes the request in error messages ("get pod default/client"). */
  get<T>(path: string, what: string): Promise<T>
  send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body: unknown, contentType: string, what: string): Promise<T>
}

export const API_TIMEOUT_MS = 10_000

export async function connectApi(loaded: LoadedKubeConfig, timeoutMs = API_TIMEOUT_MS): Promise<KubeApi> {
  const server = loaded.cluster.server.replace(/\/+$/, '')
  const opts: https.RequestOptions = {}
  try {
    await loaded.kc.applyToHTTPSOptions(opts)
  } catch (e) {
    const msg = errorMessage(e)
    if (/HTTP protocol is not allowed/.test(msg)) {
      throw new KubeError(
        'bad-kubeconfig',
        `context "${loaded.context}" points to ${server} over plain HTTP without insecure-skip-tls-verify: client-node refuses to send credentials in clear text`,
      )
    }
    // exec credential plugins (aws, gke-gcloud-auth-plugin…) fail here when the login expired
    throw new KubeError('unauthorized', `cannot get credentials for context "${loaded.context}": ${msg.split('\n')[0]}`)
  }
  const secure = server.startsWith('https:')

  function request<T>(method: string, path: string, what: string, body?: unknown, contentType?: string): Promise<T> {
    const url = new URL(server + path)
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined), Accept: 'application/json' }
    if (payload) {
      headers['Content-Type'] = contentType ?? 'application/json'
      headers['Content-Length'] = String(payload.length)
    }
    return new Promise<T>((resolve, reject) => {
      const req = (secure ? https : http).request(url, { ...opts, method, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', (e) => reject(errorFromNetwork(e, server, loaded.context)))
        res.on('end', () => {
          clearTimeout(timer)
          const text = Buffer.concat(chunks).toString('utf8')
          const code = res.statusCode ?? 0
          if (code < 200 || code > 299) return reject(errorFromResponse(code, text, what, loaded.context))
          try {
            resolve(JSON.parse(text) as T)
          } catch {
            reject(new KubeError('api', `the API server sent something that is not JSON to ${what}: ${text.slice(0, 120)}`))
          }
        })
      })
      const timer = setTimeout(() => {
        req.destroy(new KubeError('timeout', `the API server ${server} of context "${loaded.context}" did not answer within ${timeoutMs} ms (${what})`))
      }, timeoutMs)
      req.on('error', (e) => {
        clearTimeout(timer)
        reject(errorFromNetwork(e, server, loaded.context))
      })
      req.end(payload)
    })
  }

  return {
    context: loaded.context,
    server,
    get: (path, what) => request('GET', path, what),
    send: (method, path, body, contentType, what) => request(method, path, what, body, contentType),
  }
}
