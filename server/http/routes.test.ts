/**
 * Every app/api route goes through the guard (issue 10): a scan of app/api/**\/route.ts fails on
 * any exported HTTP method not built with route(), and the findings of issue 10 are replayed
 * against the route handlers themselves.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setAuditSink } from '@/server/audit'
import { GUARDED } from './route'

const root = path.join(__dirname, '..', '..')
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const

function routeFiles(dir = path.join(root, 'app', 'api')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? routeFiles(p) : e.name === 'route.ts' ? [p] : []
  })
}

describe('every app/api route is wrapped by route()', () => {
  const files = routeFiles()

  it('finds the routes', () => {
    expect(files.length).toBeGreaterThanOrEqual(10)
  })

  it('no handler is declared as a plain function; every method export is `= route(`', () => {
    for (const f of files) {
      const src = fs.readFileSync(f, 'utf8')
      const rel = path.relative(root, f)
      expect(src, `${rel}: write \`export const GET = route(...)\``).not.toMatch(new RegExp(`export\\s+(?:async\\s+)?function\\s+(?:${METHODS.join('|')})\\b`))
      expect(src, `${rel}: re-exported handlers escape the scan`).not.toMatch(/export\s*\{[^}]*\b(?:GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)\b[^}]*\}/)
      for (const m of src.matchAll(new RegExp(`export\\s+(?:const|let|var)\\s+(${METHODS.join('|')})\\s*=\\s*([^\\n]*)`, 'g'))) {
        expect(m[2], `${rel}: ${m[1]}`).toMatch(/^route\(/)
      }
    }
  })

  it('every exported method of every route module carries the guard mark', async () => {
    for (const f of files) {
      const mod = (await import(f)) as Record<string, unknown>
      const methods = METHODS.filter((m) => m in mod)
      expect(methods.length, path.relative(root, f)).toBeGreaterThan(0)
      for (const m of methods) expect((mod[m] as Record<symbol, unknown>)[GUARDED], `${path.relative(root, f)} ${m}`).toBeDefined()
    }
  })
})

// ---- the findings of issue 10, against the handlers ------------------------------------------

import * as capturesRoute from '@/app/api/captures/route'
import * as captureRoute from '@/app/api/captures/[id]/route'
import * as linesRoute from '@/app/api/captures/[id]/lines/route'
import * as walkRoute from '@/app/api/captures/[id]/walk/route'

const seedText = fs.readFileSync(path.join(root, 'lib', 'demo', 'seed-doks.capture.json'), 'utf8')
const variant = (title: string) => JSON.stringify({ ...JSON.parse(seedText), title })
const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) })
const BASE = 'http://127.0.0.1:3000'
const req = (p: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  new Request(BASE + p, { ...init, headers: { host: '127.0.0.1:3000', ...headers } })
/** As a browser sends it: a string body comes with its Content-Length. */
const upload = (body: BodyInit, headers: Record<string, string> = {}) =>
  capturesRoute.POST(
    req('/api/captures?name=x.json', { 'content-type': 'application/json', ...(typeof body === 'string' ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers }, { method: 'POST', body, duplex: 'half' } as RequestInit),
    ctx(),
  )

const ENV = ['PACKETWALK_TOKEN', 'PACKETWALK_READ_ONLY', 'PACKETWALK_MAX_UPLOAD_MB', 'PACKETWALK_TRUST_PROXY', 'PACKETWALK_FRONT', 'PACKETWALK_ALLOWED_HOSTS'] as const
let saved: Record<string, string | undefined> = {}
let logged: string[] = []
beforeEach(() => {
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]))
  logged = []
  setAuditSink((l) => logged.push(l))
})
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  setAuditSink(undefined)
})

async function json(r: Response): Promise<{ error?: string; kind?: string } & Record<string, unknown>> {
  expect(r.headers.get('content-type') ?? '').toMatch(/application\/json/)
  return (await r.json()) as { error?: string; kind?: string }
}

describe('capture store behind the guard (issue 10)', () => {
  it('with a token: listing shows no uploads, reading an upload is 401, uploading is 401 without it', async () => {
    const up = await upload(variant('secret node'))
    expect(up.status).toBe(200)
    const id = ((await json(up)).view as { capture: { id: string } }).capture.id
    process.env.PACKETWALK_TOKEN = 's3cret-token-0123456789'
    const list = (await json(await capturesRoute.GET(req('/api/captures'), ctx()))).captures as { id: string }[]
    expect(list.map((c) => c.id)).not.toContain(id)
    expect(list.length).toBeGreaterThan(0)
    expect((await captureRoute.GET(req(`/api/captures/${id}`), ctx({ id }))).status).toBe(401)
    expect((await linesRoute.GET(req(`/api/captures/${id}/lines?host=node-7o7xd&run=0&from=1&count=5`), ctx({ id }))).status).toBe(401)
    expect((await walkRoute.GET(req(`/api/captures/${id}/walk`), ctx({ id }))).status).toBe(401)
    expect((await upload(variant('anyone'))).status).toBe(401)
    // the demos stay public
    expect((await captureRoute.GET(req('/api/captures/seed-doks'), ctx({ id: 'seed-doks' }))).status).toBe(200)
    // the holder sees everything
    const auth = { authorization: 'Bearer s3cret-token-0123456789' }
    const all = (await json(await capturesRoute.GET(req('/api/captures', auth), ctx()))).captures as { id: string }[]
    expect(all.map((c) => c.id)).toContain(id)
    expect((await captureRoute.GET(req(`/api/captures/${id}`, auth), ctx({ id }))).status).toBe(200)
  })

  it('read-only: captures are served to all, uploads refused unless the token is held', async () => {
    process.env.PACKETWALK_READ_ONLY = '1'
    expect((await upload(variant('ro'))).status).toBe(403)
    process.env.PACKETWALK_TOKEN = 's3cret-token-0123456789'
    expect((await upload(variant('ro'))).status).toBe(401)
    const ok = await upload(variant('ro'), { authorization: 'Bearer s3cret-token-0123456789' })
    expect(ok.status).toBe(200)
    const id = ((await json(ok)).view as { capture: { id: string } }).capture.id
    expect((await captureRoute.GET(req(`/api/captures/${id}`), ctx({ id }))).status).toBe(200)
  })

  it('a DNS-rebinding Host is refused on every route, the capture store included', async () => {
    const h = { host: 'evil.example:3000' }
    for (const r of [
      await capturesRoute.GET(req('/api/captures', h), ctx()),
      await captureRoute.GET(req('/api/captures/seed-doks', h), ctx({ id: 'seed-doks' })),
      await upload(variant('x'), h),
    ]) {
      expect(r.status).toBe(403)
      expect((await json(r)).kind).toBe('forbidden')
    }
    // an IP literal cannot be rebound; an allowed name passes
    expect((await capturesRoute.GET(req('/api/captures', { host: '10.1.2.3:3000' }), ctx())).status).toBe(200)
    process.env.PACKETWALK_ALLOWED_HOSTS = 'lab.example'
    expect((await capturesRoute.GET(req('/api/captures', { host: 'lab.example:3000' }), ctx())).status).toBe(200)
  })

  it('a cross-site text/plain "simple" POST is refused (415), and so is any cross-origin upload (403)', async () => {
    const plain = await capturesRoute.POST(req('/api/captures', { 'content-type': 'text/plain' }, { method: 'POST', body: variant('p') }), ctx())
    expect(plain.status).toBe(415)
    expect((await upload(variant('o'), { origin: 'http://evil.example' })).status).toBe(403)
    expect((await upload(variant('s'), { 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect(logged.some((l) => (JSON.parse(l) as { event: string }).event === 'denied')).toBe(true)
  })

  it('413 before the body is read when Content-Length is over the limit', async () => {
    process.env.PACKETWALK_MAX_UPLOAD_MB = '1'
    let pulled = 0
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++
        c.enqueue(new Uint8Array(64 * 1024))
      },
    })
    const r = await upload(body, { 'content-length': String(200 * 1024 * 1024) })
    expect(r.status).toBe(413)
    const j = await json(r)
    expect(j.kind).toBe('too-large')
    expect(j.error).toMatch(/the body is 200\.0 MB; this server accepts uploads up to 1\.0 MB \(start it with --max-upload-mb N/)
    expect(pulled).toBeLessThanOrEqual(1) // a ReadableStream may pre-pull once; nothing is read by the route
  })

  it('a body without a Content-Length is refused unread (411); one longer than it declares is cut off', async () => {
    process.env.PACKETWALK_MAX_UPLOAD_MB = '1'
    let sent = 0
    let cancelled = false
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull(c) {
          sent += 64 * 1024
          c.enqueue(new Uint8Array(64 * 1024))
        },
        cancel() {
          cancelled = true
        },
      })
    const chunked = await upload(endless())
    expect(chunked.status).toBe(411)
    expect((await json(chunked)).kind).toBe('length-required')
    expect(sent).toBeLessThanOrEqual(64 * 1024)
    sent = 0
    cancelled = false
    const liar = await upload(endless(), { 'content-length': String(512 * 1024) })
    expect(liar.status).toBe(400)
    expect(cancelled).toBe(true)
    expect(sent).toBeLessThan(1024 * 1024)
  })

  it('hostile ids and host names answer 4xx JSON, never 500', async () => {
    for (const id of ['__proto__', 'constructor', 'toString', '%ff%fe', 'ÿþ', '../../etc/passwd', 'x'.repeat(4000)]) {
      for (const r of [
        await captureRoute.GET(req(`/api/captures/${encodeURIComponent(id)}`), ctx({ id })),
        await walkRoute.GET(req(`/api/captures/${encodeURIComponent(id)}/walk`), ctx({ id })),
        await linesRoute.GET(req(`/api/captures/${encodeURIComponent(id)}/lines?host=a&run=0&from=1&count=1`), ctx({ id })),
      ]) {
        expect(r.status, id).toBe(404)
        expect((await json(r)).error).toBeTruthy()
      }
    }
    for (const host of ['__proto__', 'constructor', 'toString', 'valueOf']) {
      const r = await linesRoute.GET(req(`/api/captures/seed-doks/lines?host=${host}&run=0&from=1&count=5`), ctx({ id: 'seed-doks' }))
      expect(r.status, host).toBe(404)
    }
    const bad = await linesRoute.GET(req('/api/captures/seed-doks/lines?host=node-7o7xd&run=x&from=1&count=5'), ctx({ id: 'seed-doks' }))
    expect(bad.status).toBe(400)
    expect((await json(bad)).error).toMatch(/^bad "run"/)
    const enc = await captureRoute.GET(req('/api/captures/%ff%fe'), ctx({ id: '%ff%fe' }))
    expect(enc.status).toBe(400)
  })

  it('X-Forwarded-For is believed only with --trust-proxy (or from the front that set it)', async () => {
    const h = { origin: 'http://evil.example', 'x-forwarded-for': '203.0.113.9' }
    await capturesRoute.GET(req('/api/captures', h), ctx())
    expect((JSON.parse(logged.at(-1) as string) as { who: { remote: string } }).who.remote).toBe('unknown')
    process.env.PACKETWALK_TRUST_PROXY = '1'
    await capturesRoute.GET(req('/api/captures', h), ctx())
    expect((JSON.parse(logged.at(-1) as string) as { who: { remote: string } }).who.remote).toBe('203.0.113.9')
    await capturesRoute.GET(req('/api/captures', { ...h, 'x-forwarded-for': 'x'.repeat(100_000) }), ctx())
    expect((logged.at(-1) as string).length).toBeLessThan(2000)
  })
})
