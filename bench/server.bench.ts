/**
 * The server under refused uploads (issue 10), against a production server of its own
 * (`node server/start.mjs`, port BENCH_SERVER_PORT or PW_PORT+10, an empty temporary data folder):
 * - RSS of the server process after 20 refused 200 MB uploads (16 declaring their length: 413
 *   before the body is read; 4 chunked: 411, unread), four at a time, against its RSS before
 *   them, both the median of 5 samples 1 s apart (target: within 50 MB);
 * - a valid ~50 MB capture (walk.bench's bigCaptureText) opened with the file input in Chromium,
 *   until its first hop is on screen (median of 3, target < 2 s);
 * - in this process, reading a 59 MB body under the limit (server/http/body.ts) against
 *   `Request.arrayBuffer()`, the unbounded read it replaced (median of 6, interleaved).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { chromium } from '@playwright/test'
import { readBody } from '@/server/http/body'
import { median, table } from './measure'
import { bigCaptureText } from './walk.bench'

const PORT = Number(process.env.BENCH_SERVER_PORT ?? Number(process.env.PW_PORT ?? 3100) + 10)
const BASE = `http://127.0.0.1:${PORT}`
const ROOT = path.resolve(__dirname, '..')
const MB = 1024 * 1024
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : NaN
}

async function rssSample(pid: number): Promise<number> {
  const xs: number[] = []
  for (let i = 0; i < 5; i++) {
    await sleep(1000)
    xs.push(rssMb(pid))
  }
  return median(xs)
}

/** One upload of `bytes` bytes of spaces; resolves with the status once the server answered. */
function refusedUpload(bytes: number, chunked: boolean): Promise<number> {
  return new Promise((resolve) => {
    let status = 0
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(bytes) }) }
    const r = http.request({ host: '127.0.0.1', port: PORT, method: 'POST', path: '/api/captures', headers }, (res) => {
      status = res.statusCode ?? 0
      res.resume()
      res.on('end', () => resolve(status))
    })
    // the server closes after its refusal: a client still writing may see a reset before it reads the answer
    r.on('error', () => resolve(status || -1))
    const chunk = Buffer.alloc(MB, 0x20)
    let sent = 0
    let answered = false
    r.on('response', () => (answered = true))
    const pump = () => {
      while (sent < bytes && !answered && !r.destroyed) {
        sent += chunk.length
        if (!r.write(chunk)) return void r.once('drain', pump)
      }
      if (!r.destroyed) r.end()
    }
    // like a client waiting briefly for an early answer before it streams the rest
    r.write(chunk)
    sent = chunk.length
    setTimeout(pump, 500)
  })
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`${BASE}/api/health`)).ok
  } catch {
    return false
  }
}

/** A request whose body streams in 64 KB chunks, as a socket delivers it. */
function streamedRequest(total: number): Request {
  const chunk = new Uint8Array(64 * 1024).fill(0x20)
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent >= total) return c.close()
      sent += chunk.length
      c.enqueue(chunk.slice())
    },
  })
  return new Request('http://127.0.0.1/api/captures', { method: 'POST', body, duplex: 'half', headers: { 'content-length': String(total) } } as RequestInit)
}

async function readComparison(): Promise<{ bounded: number; baseline: number }> {
  const bounded: number[] = []
  const baseline: number[] = []
  for (let i = 0; i < 6; i++) {
    let t0 = performance.now()
    await readBody(streamedRequest(59 * MB), 100 * MB)
    bounded.push(performance.now() - t0)
    t0 = performance.now()
    await streamedRequest(59 * MB).arrayBuffer()
    baseline.push(performance.now() - t0)
  }
  return { bounded: median(bounded), baseline: median(baseline) }
}

export default async function run(): Promise<void> {
  const read = await readComparison()
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-server-bench-'))
  const child = spawn(process.execPath, [path.join(ROOT, 'server/start.mjs'), '--port', String(PORT), '--data', data], { cwd: ROOT, stdio: 'ignore' })
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
  try {
    for (let i = 0; i < 600 && !(await healthy()); i++) await sleep(500)
    if (!(await healthy())) throw new Error(`server on ${PORT} did not start`)
    const pid = child.pid as number
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    // warm up: the page, the API, one upload of the seed, so the code paths are loaded before "before"
    await page.goto(BASE, { waitUntil: 'networkidle' })
    const seed = fs.readFileSync(path.join(ROOT, 'lib/demo/seed-doks.capture.json'))
    await fetch(`${BASE}/api/captures?name=seed.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: seed })
    await Promise.all([refusedUpload(200 * MB, false), refusedUpload(200 * MB, true), refusedUpload(200 * MB, false)])
    const before = await rssSample(pid)
    const statuses: number[] = []
    const t0 = performance.now()
    for (let round = 0; round < 5; round++) {
      statuses.push(...(await Promise.all([refusedUpload(200 * MB, false), refusedUpload(200 * MB, round === 0), refusedUpload(200 * MB, false), refusedUpload(200 * MB, round === 1)])))
    }
    const refuseMs = performance.now() - t0
    const peak = rssMb(pid)
    const after = await rssSample(pid)
    if (statuses.some((s) => s !== 413 && s !== 411 && s !== -1)) throw new Error(`expected 20 refusals (413, 411), got ${statuses.join(',')}`)

    const base = JSON.parse(bigCaptureText()) as { title?: string }
    const opens: number[] = []
    let bytes = 0
    for (let i = 0; i < 3; i++) {
      const text = JSON.stringify({ ...base, title: `server bench ${i} ${Date.now()}` })
      bytes = Buffer.byteLength(text)
      const file = path.join(data, `big-${i}.capture.json`)
      fs.writeFileSync(file, text)
      await page.goto(BASE, { waitUntil: 'networkidle' })
      const t = performance.now()
      await page.getByTestId('capture-file').setInputFiles(file)
      await page.locator('[data-capture^="u-"] [data-testid=hop-node][data-step="0"][data-current=true]').waitFor({ timeout: 60_000 })
      opens.push(performance.now() - t)
      fs.rmSync(file)
    }
    console.log(
      table(
        ['measure', 'value', 'target'],
        [
          ['server RSS before (median of 5)', `${before.toFixed(0)} MB`, ''],
          [`20 refused 200 MB uploads (${statuses.filter((x) => x === 413).length} × 413, ${statuses.filter((x) => x === 411).length} × 411, ${statuses.filter((x) => x === -1).length} reset before read), 4 at a time`, `${(refuseMs / 1000).toFixed(1)} s`, ''],
          ['server RSS right after', `${peak.toFixed(0)} MB`, ''],
          ['server RSS after (median of 5, 1 s apart)', `${after.toFixed(0)} MB (${after - before >= 0 ? '+' : ''}${(after - before).toFixed(0)} MB)`, 'within 50 MB'],
          [`valid ${(bytes / MB).toFixed(1)} MB upload → first hop on screen (median of 3)`, `${median(opens).toFixed(0)} ms`, '< 2000 ms'],
          ['  each run', opens.map((o) => o.toFixed(0)).join(' / ') + ' ms', ''],
          ['read a 59 MB body under the limit (median of 6)', `${read.bounded.toFixed(0)} ms`, ''],
          ['  baseline: Request.arrayBuffer(), unbounded', `${read.baseline.toFixed(0)} ms`, ''],
        ],
      ),
    )
  } finally {
    await browser.close()
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    fs.rmSync(data, { recursive: true, force: true })
  }
}
