/**
 * The production server under attack and under load (issue 10), over real HTTP: odd methods,
 * malformed paths, hostile names, rebinding Hosts and cross-site posts answer a 4xx JSON; a
 * 200 MB body is refused before it is read; uploads survive a restart, appear in the picker,
 * deep links find them, an evicted one says so; the log believes the socket, not the client.
 * A second server (port PW_PORT+10, its own data folder) is started for the restart.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from '@playwright/test'

const PORT = Number(process.env.PW_PORT ?? 3100)
const ROOT = path.join(__dirname, '..')
const SEED = fs.readFileSync(path.join(ROOT, 'lib', 'demo', 'seed-doks.capture.json'), 'utf8')
const variant = (title: string) => JSON.stringify({ ...JSON.parse(SEED), title })

interface Raw {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  ms: number
}

/**
 * One request with full control of method, Host and Content-Length (no client second-guessing).
 * Resolves on the full response even while a body is still being sent (then stops sending, as
 * curl does); rejects, never hangs, when the connection ends before the response is complete.
 */
function raw(port: number, method: string, p: string, headers: Record<string, string> = {}, body?: { bytes: number; chunk?: number }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    let answered = false
    const fail = (why: string) => reject(new Error(`${method} ${p.slice(0, 80)}: ${why} before the full response`))
    const r = http.request({ host: '127.0.0.1', port, method, path: p, headers: { host: `127.0.0.1:${port}`, ...headers }, setHost: false }, (res) => {
      answered = true
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, ms: performance.now() - t0 })
        if (!r.writableFinished) r.destroy() // the rest of a refused body is not wanted
      })
      res.on('close', () => {
        if (!res.complete) fail('connection closed')
      })
    })
    r.on('error', (e) => fail(e.message))
    r.on('close', () => {
      if (!answered) fail('connection closed')
    })
    if (!body) return void r.end()
    // write slowly-ish: the answer must come long before the body would be complete
    const chunk = Buffer.alloc(body.chunk ?? 1024 * 1024, 0x20)
    let sent = 0
    const pump = () => {
      while (sent < body.bytes && !r.destroyed) {
        sent += chunk.length
        if (!r.write(chunk)) return void r.once('drain', pump)
      }
      if (!r.destroyed) r.end()
    }
    r.on('response', () => {
      sent = body.bytes
    })
    pump()
  })
}

const asJson = (r: Raw) => {
  expect(r.headers['content-type'] ?? '', `${r.status} ${r.body.slice(0, 200)}`).toMatch(/application\/json/)
  return JSON.parse(r.body) as { error: string; kind: string }
}

test.describe('every refusal is a 4xx with a JSON message', () => {
  test('odd methods answer 405 JSON', async () => {
    for (const m of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND']) {
      for (const p of ['/', '/api/captures', '/api/captures/seed-doks']) {
        const r = await raw(PORT, m, p)
        expect(r.status, `${m} ${p}`).toBe(405)
        expect(asJson(r).kind).toBe('method-not-allowed')
      }
    }
  })

  test('bad percent-encoding, object-key names and hostile ids answer 400/404, never 500', async () => {
    const enc = await raw(PORT, 'GET', '/api/captures/%ff%fe')
    expect(enc.status).toBe(400)
    expect(asJson(enc).error).toMatch(/percent-encoding/)
    for (const host of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const r = await raw(PORT, 'GET', `/api/captures/seed-doks/lines?host=${host}&run=0&from=1&count=5`)
      expect(r.status, host).toBe(404)
      asJson(r)
    }
    for (const id of ['__proto__', 'constructor', 'toString', '%25ff%25fe', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(3000)]) {
      for (const p of [`/api/captures/${id}`, `/api/captures/${id}/walk`, `/api/captures/${id}/lines?host=a&run=0&from=1&count=1`]) {
        const r = await raw(PORT, 'GET', p)
        expect(r.status, p.slice(0, 80)).toBeGreaterThanOrEqual(400)
        expect(r.status, p.slice(0, 80)).toBeLessThan(500)
        asJson(r)
      }
    }
    const page = await raw(PORT, 'GET', '/?capture=__proto__')
    expect(page.status).toBe(200)
  })

  test('a DNS-rebinding Host is refused on the capture store and the page; a cross-site text/plain POST too', async () => {
    for (const p of ['/api/captures', '/api/captures/seed-doks', '/api/captures/seed-doks/walk', '/']) {
      const r = await raw(PORT, 'GET', p, { host: `evil.example:${PORT}` })
      expect(r.status, p).toBe(403)
      expect(asJson(r).kind).toBe('forbidden')
    }
    const plain = await raw(PORT, 'POST', '/api/captures', { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(SEED)) }, { bytes: Buffer.byteLength(SEED), chunk: Buffer.byteLength(SEED) })
    expect(plain.status).toBe(415)
    const cross = await raw(PORT, 'POST', '/api/captures', { 'content-type': 'application/json', origin: 'http://evil.example', 'content-length': '2' }, { bytes: 2, chunk: 2 })
    expect(cross.status).toBe(403)
  })

  test('a 200 MB upload is refused 413 before its body is read; one of unknown length 411', async () => {
    test.setTimeout(120_000)
    const declared = await raw(PORT, 'POST', '/api/captures', { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) }, { bytes: 200 * 1024 * 1024 })
    expect(declared.status).toBe(413)
    const j = asJson(declared)
    expect(j.kind).toBe('too-large')
    expect(j.error).toMatch(/accepts uploads up to 100\.0 MB .*--max-upload-mb/)
    expect(declared.ms).toBeLessThan(5000)
    const chunked = await raw(PORT, 'POST', '/api/captures', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, { bytes: 200 * 1024 * 1024 })
    expect(chunked.status).toBe(411)
    expect(asJson(chunked).kind).toBe('length-required')
    expect(chunked.ms).toBeLessThan(5000)
  })
})

test.describe('uploads are kept (second server on its own port and data folder)', () => {
  const PORT2 = PORT + 10
  const BASE2 = `http://127.0.0.1:${PORT2}`
  let data = ''
  let child: ChildProcess | undefined
  let logFile = ''

  async function start(): Promise<void> {
    child = spawn(process.execPath, [path.join(ROOT, 'server/start.mjs'), '--port', String(PORT2), '--data', data, '--max-captures', '2'], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, PACKETWALK_LOG: logFile },
    })
    for (let i = 0; i < 120; i++) {
      try {
        if ((await fetch(`${BASE2}/api/health`)).ok) return
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error('second server did not start')
  }

  async function stop(): Promise<void> {
    const c = child
    child = undefined
    if (!c || c.exitCode !== null) return
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve())
      c.kill('SIGTERM')
    })
  }

  test.beforeAll(() => {
    data = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-server-spec-'))
    logFile = path.join(data, 'commands.log')
  })
  test.afterAll(async () => {
    await stop()
    fs.rmSync(data, { recursive: true, force: true })
  })

  test('an upload survives reload and restart, is in the picker, its deep link works; an evicted one says so', async ({ page, request }) => {
    test.setTimeout(120_000)
    await start()
    const up = async (title: string) => {
      const r = await request.post(`${BASE2}/api/captures?name=${title}.json`, { headers: { 'content-type': 'application/json' }, data: variant(title) })
      expect(r.status()).toBe(200)
      return ((await r.json()) as { view: { capture: { id: string } } }).view.capture.id
    }
    const first = await up('kept upload')
    const picker = page.getByTestId('capture-picker')
    await page.goto(`${BASE2}/?capture=${first}`)
    await expect(page.locator('[data-capture]')).toHaveAttribute('data-capture', first)
    await expect(picker.locator(`option[value="${first}"]`)).toHaveText('kept upload')
    await expect(page.getByTestId('notice')).toHaveCount(0)
    await page.reload()
    await expect(page.locator('[data-capture]')).toHaveAttribute('data-capture', first)

    await stop()
    await start()
    await page.goto(`${BASE2}/?capture=${first}`)
    await expect(page.locator('[data-capture]')).toHaveAttribute('data-capture', first)
    await expect(picker.locator(`option[value="${first}"]`)).toHaveText('kept upload')
    const list = (await (await request.get(`${BASE2}/api/captures`)).json()) as { captures: { id: string }[] }
    expect(list.captures.map((c) => c.id)).toContain(first)

    // two newer uploads with --max-captures 2: the first goes, and its owner is told why
    await up('second')
    await up('third')
    await page.goto(`${BASE2}/?capture=${first}&lang=en`)
    await expect(page.getByTestId('notice')).toContainText(`Capture ${first} was removed from the server to make room for newer uploads`)
    const gone = await request.get(`${BASE2}/api/captures/${first}`)
    expect(gone.status()).toBe(410)
    expect(((await gone.json()) as { kind: string }).kind).toBe('evicted')
    for (const demo of ['seed-doks']) expect((await request.get(`${BASE2}/api/captures/${demo}`)).status()).toBe(200)
  })

  test('the command log names the socket, not a forged X-Forwarded-For, and stays short', async () => {
    if (!child) await start()
    const r = await raw(PORT2, 'GET', '/api/captures', { origin: 'http://evil.example', 'x-forwarded-for': `203.0.113.66, ${'9'.repeat(4000)}`, 'user-agent': 'U'.repeat(4000) })
    expect(r.status).toBe(403)
    const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n')
    const last = JSON.parse(lines.at(-1) as string) as { event: string; who: { remote: string; userAgent: string } }
    expect(last.event).toBe('denied')
    expect(last.who.remote).toBe('127.0.0.1')
    expect(last.who.userAgent.length).toBeLessThanOrEqual(200)
    expect((lines.at(-1) as string).length).toBeLessThan(2000)
  })
})

test('load on loopback: 200 concurrent page loads and 50 concurrent walk requests, no failure', async ({ request }) => {
  test.setTimeout(120_000)
  const t0 = performance.now()
  const pages = Array.from({ length: 200 }, () => request.get('/', { timeout: 90_000 }))
  const walks = Array.from({ length: 50 }, () => request.get('/api/captures/seed-doks/walk', { timeout: 90_000 }))
  const all = await Promise.all([...pages, ...walks])
  const ms = performance.now() - t0
  const failed = all.filter((r) => r.status() !== 200)
  expect(failed.map((r) => `${r.status()} ${r.url()}`)).toEqual([])
  expect(all).toHaveLength(250)
  for (const r of all.slice(0, 200)) expect((await r.text()).includes('data-capture="seed-doks"')).toBe(true)
  for (const r of all.slice(200)) expect(((await r.json()) as { hops: unknown[] }).hops.length).toBeGreaterThan(5)
  console.log(`load: 250 requests in ${ms.toFixed(0)} ms`)
  expect(ms).toBeLessThan(90_000)
})
