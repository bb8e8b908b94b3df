import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setAuditSink } from '@/server/audit'
import { handleCapture, handleContexts, handleNamespaces } from './handlers'
import { GET as contextsRoute } from '@/app/api/live/contexts/route'
import { startMiniApi, type MiniApi } from './mini-api'

const open = { readOnly: false, token: '', front: true }
const withToken = { readOnly: false, token: 's3cret-token', allowedHosts: ['lab.example'] }

/** As the server sees a browser's request: a string body comes with its Content-Length. */
function req(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Request {
  const length: Record<string, string> = typeof init.body === 'string' ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}
  return new Request(`http://127.0.0.1:3000${path}`, { ...init, headers: { host: '127.0.0.1:3000', 'x-forwarded-for': '127.0.0.1', ...length, ...headers } })
}

/** process.env turns undefined into the string "undefined": delete instead. */
function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

let api: MiniApi | undefined
let logged: string[] = []
const savedKubeconfig = process.env.KUBECONFIG
beforeEach(async () => {
  logged = []
  setAuditSink((l) => logged.push(l))
  api = await startMiniApi({
    rest: (_m, u) => (u.pathname === '/api/v1/namespaces' ? { status: 200, body: { kind: 'NamespaceList', items: [{ metadata: { name: 'default' } }] } } : undefined),
  })
  // the handlers read the kubeconfig per request, from the environment of the moment
  process.env.KUBECONFIG = api.kubeconfigPath
})
afterEach(async () => {
  setAuditSink(undefined)
  restoreEnv('KUBECONFIG', savedKubeconfig)
  await api?.close()
})

describe('live endpoints: listen policy and origin', () => {
  it('read-only mode answers 403 "read-only mode" and never reads the kubeconfig', async () => {
    const r = await handleNamespaces(req('/api/live/namespaces'), { readOnly: true, token: '' })
    expect(r.status).toBe(403)
    expect(((await r.json()) as { error: string }).error).toMatch(/^read-only mode/)
    expect(api!.requests).toEqual([])
  })

  it('refuses a cross-origin request', async () => {
    const r = await handleNamespaces(req('/api/live/namespaces', { origin: 'http://evil.example' }), open)
    expect(r.status).toBe(403)
    expect(((await r.json()) as { error: string }).error).toBe('cross-origin request refused')
    expect(api!.requests).toEqual([])
    expect(JSON.parse(logged[0] ?? '{}')).toMatchObject({ event: 'denied', reason: 'cross-origin request refused', who: { remote: '127.0.0.1' } })
  })

  it('refuses Sec-Fetch-Site cross-site even without Origin', async () => {
    const r = await handleContexts(req('/api/live/contexts', { 'sec-fetch-site': 'cross-site' }), open)
    expect(r.status).toBe(403)
  })

  it('accepts a same-origin request', async () => {
    const r = await handleNamespaces(req('/api/live/namespaces', { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' }), open)
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ namespaces: ['default'] })
  })

  it('without a token, a non-loopback Host (DNS rebinding) is refused', async () => {
    const r = await handleContexts(req('/api/live/contexts', { host: 'rebind.example:3000', origin: 'http://rebind.example:3000' }), open)
    expect(r.status).toBe(403)
    expect(((await r.json()) as { error: string }).error).toMatch(/refused: this server answers to loopback names, IP addresses and the names given with --allowed-hosts/)
  })

  it('with a token: 401 without it or with a wrong one; Bearer or cookie pass', async () => {
    const h = { host: 'lab.example:3000' }
    expect((await handleContexts(req('/api/live/contexts', h), withToken)).status).toBe(401)
    expect((await handleContexts(req('/api/live/contexts', { ...h, authorization: 'Bearer nope' }), withToken)).status).toBe(401)
    const bearer = await handleContexts(req('/api/live/contexts', { ...h, authorization: 'Bearer s3cret-token' }), withToken)
    expect(bearer.status).toBe(200)
    expect(((await bearer.json()) as { current: string }).current).toBe('mini')
    const cookie = await handleContexts(req('/api/live/contexts', { ...h, cookie: 'theme=dark; packetwalk_token=s3cret-token' }), withToken)
    expect(cookie.status).toBe(200)
  })

  it('the route module reads the policy from the environment', async () => {
    const saved = process.env.PACKETWALK_READ_ONLY
    process.env.PACKETWALK_READ_ONLY = '1'
    try {
      const r = await contextsRoute(req('/api/live/contexts'), { params: Promise.resolve({}) })
      expect(r.status).toBe(403)
    } finally {
      restoreEnv('PACKETWALK_READ_ONLY', saved)
    }
  })
})

describe('POST /api/live/capture', () => {
  it('refuses a non-JSON body (no CORS-simple form posts)', async () => {
    const r = await handleCapture(req('/api/live/capture', { 'content-type': 'text/plain' }, { method: 'POST', body: '{"from":"default/client","to":"1.0.0.1"}' }), open)
    expect(r.status).toBe(400)
    const big = await handleCapture(req('/api/live/capture', { 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify({ from: 'default/client', to: '1.0.0.1', container: 'x'.repeat(20_000) }) }), open)
    expect(big.status).toBe(413)
  })

  it('answers 400 naming the field for a source that fails validation, before any API request (issue 10)', async () => {
    const body = JSON.stringify({ from: 'default/client;reboot', to: '1.0.0.1' })
    const r = await handleCapture(req('/api/live/capture', { 'content-type': 'application/json' }, { method: 'POST', body }), open)
    expect(r.status).toBe(400)
    const j = (await r.json()) as { kind: string; error: string }
    expect(j.kind).toBe('invalid-input')
    expect(j.error).toMatch(/^"from": .*invalid pod name "client;reboot"/)
    expect(api!.requests).toEqual([])
  })

  it('answers 400 naming each bad field: to, agentNamespace, debugImage, container', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: 'default/client', to: 'not a destination' }, '"to": '],
      [{ from: 'default/client', to: '1.0.0.1', agentNamespace: 'Kube_System' }, '"agentNamespace": '],
      [{ from: 'default/client', to: '1.0.0.1', debugImage: 'bad image!' }, '"debugImage": '],
      [{ from: 'default/client', to: '1.0.0.1', container: '../x' }, '"container": '],
      [{ from: 'nope', to: '1.0.0.1' }, '"from": '],
    ]
    for (const [b, prefix] of cases) {
      const r = await handleCapture(req('/api/live/capture', { 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify(b) }), open)
      expect(r.status, JSON.stringify(b)).toBe(400)
      expect(((await r.json()) as { error: string }).error.startsWith(prefix)).toBe(true)
    }
    expect(api!.requests).toEqual([])
  })

  it('refuses wrong field types', async () => {
    const body = JSON.stringify({ from: 'default/client', to: '1.0.0.1', probe: 'yes' })
    const r = await handleCapture(req('/api/live/capture', { 'content-type': 'application/json' }, { method: 'POST', body }), open)
    expect(r.status).toBe(400)
    expect(((await r.json()) as { error: string }).error).toBe('"probe" must be true or false')
  })
})

describe('/?token= (proxy.ts)', () => {
  it('sets an HttpOnly SameSite=Strict cookie for the right token and cleans the address bar', async () => {
    const { NextRequest } = await import('next/server')
    const { proxy } = await import('@/proxy')
    const saved = process.env.PACKETWALK_TOKEN
    const savedHosts = process.env.PACKETWALK_ALLOWED_HOSTS
    process.env.PACKETWALK_TOKEN = 's3cret-token-0123456789'
    process.env.PACKETWALK_ALLOWED_HOSTS = 'lab.example'
    const at = (url: string, host = 'lab.example:3000') => new NextRequest(url, { headers: { host } })
    try {
      const rebound = proxy(at('http://evil.example:3000/', 'evil.example:3000'))
      expect(rebound.status).toBe(403)
      expect(((await rebound.json()) as { kind: string }).kind).toBe('forbidden')
      const ok = proxy(at('http://lab.example:3000/?token=s3cret-token-0123456789&lang=fr'))
      expect(ok.status).toBe(303)
      expect(ok.headers.get('location')).toBe('http://lab.example:3000/?lang=fr')
      const cookie = ok.headers.get('set-cookie') ?? ''
      expect(cookie).toMatch(/^packetwalk_token=s3cret-token-0123456789;/)
      expect(cookie).toMatch(/HttpOnly/i)
      expect(cookie).toMatch(/SameSite=strict/i)
      const bad = proxy(at('http://lab.example:3000/?token=guess'))
      expect(bad.status).toBe(401)
      expect(bad.headers.get('set-cookie')).toBeNull()
    } finally {
      restoreEnv('PACKETWALK_TOKEN', saved)
      restoreEnv('PACKETWALK_ALLOWED_HOSTS', savedHosts)
    }
  })
})
