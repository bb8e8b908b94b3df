/**
 * The walk page in Chromium, against the production server (next start):
 * - first-load JS: gzip bytes of every script the page loads before it is idle (target ≤ 200 KB;
 *   export, PDF, predict and offline code load on demand);
 * - the offline walk file of the seed walk (the player built by `npm run build` with the walk
 *   embedded): target ≤ 1 MB;
 * - frame time while the walk plays: requestAnimationFrame deltas, p95 (target ≤ 20 ms), and while
 *   a two-node walk plays in projection, the canvas following the packet (target ≤ 16 ms);
 * - a new ~50 MB capture (walk.bench's bigCaptureText: the seed with scaled real outputs) opened
 *   with the file input, until its first hop is shown (target < 2 s), and the size of the view
 *   the server sent for it (the windows, not the outputs).
 * Uses a server on PW_PORT (default 3100) if one answers, else starts `node server/start.mjs`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { chromium, type Page } from '@playwright/test'
import { median, table } from './measure'
import { bigCaptureText } from './walk.bench'
import { embedWalk } from '../lib/offline/embed'
import type { WalkView } from '../lib/view/walk-view'

const PORT = Number(process.env.PW_PORT ?? 3100)
const BASE = `http://127.0.0.1:${PORT}`
const ROOT = path.resolve(__dirname, '..')

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`${BASE}/api/health`)).ok
  } catch {
    return false
  }
}

async function ensureServer(): Promise<ChildProcess | undefined> {
  if (await healthy()) return undefined
  // its own empty capture store, never the user's ~/.cache/packetwalk
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-ui-bench-data-'))
  const child = spawn(process.execPath, [path.join(ROOT, 'server/start.mjs'), '--port', String(PORT), '--data', data], { cwd: ROOT, stdio: 'ignore' })
  for (let i = 0; i < 600 && !(await healthy()); i++) await new Promise((r) => setTimeout(r, 1000))
  return child
}

async function firstLoadJs(page: Page): Promise<{ files: number; gzip: number; wire: number }> {
  const scripts: Promise<{ gzip: number; wire: number }>[] = []
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'script') return
    scripts.push(
      (async () => ({
        gzip: zlib.gzipSync(await res.body(), { level: 6 }).length,
        wire: (await res.request().sizes()).responseBodySize,
      }))(),
    )
  })
  await page.goto(BASE, { waitUntil: 'networkidle' })
  const all = await Promise.all(scripts)
  return { files: all.length, gzip: all.reduce((s, x) => s + x.gzip, 0), wire: all.reduce((s, x) => s + x.wire, 0) }
}

/** The two-node walk played in the frame bench: VXLAN pod to pod across two nodes (a real public capture). */
const TWO_NODE = path.join(ROOT, 'lib/engine/fixtures/captures/g4-tkng-cilium19-vxlan-pod-to-pod.capture.json')

/**
 * Frame deltas while the walk plays at 4× (the packet travels and the canvas follows it).
 * `file`: a capture opened first (the two-node walk); `projection`: in projection mode at 1280×720.
 */
async function frameTimes(page: Page, ms: number, { file, projection = false }: { file?: string; projection?: boolean } = {}): Promise<number[]> {
  await page.goto(`${BASE}/?step=1`, { waitUntil: 'networkidle' })
  if (file) {
    await page.getByTestId('capture-file').setInputFiles(file)
    await page.locator('[data-capture^="u-"]').waitFor()
  }
  if (projection) await page.keyboard.press('f')
  await page.getByLabel(/Speed|Vitesse/).selectOption('4')
  await page.getByTestId('play').click()
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  const deltas = (await page.evaluate(`new Promise((resolve) => {
    const out = []
    let last = performance.now()
    const end = last + ${ms}
    const tick = (now) => {
      out.push(now - last)
      last = now
      if (now < end) requestAnimationFrame(tick)
      else resolve(out)
    }
    requestAnimationFrame(tick)
  })`)) as number[]
  await page.getByTestId('play').click()
  return deltas.slice(1)
}

async function openBigCapture(page: Page, file: string): Promise<{ ms: number; viewBytes: number }> {
  await page.goto(BASE, { waitUntil: 'networkidle' })
  const view = page.waitForResponse((r) => r.url().includes('/api/captures') && r.request().method() === 'POST', { timeout: 60_000 })
  const t0 = performance.now()
  await page.getByTestId('capture-file').setInputFiles(file)
  await page.locator('[data-capture^="u-"] [data-testid=hop-node][data-step="0"][data-current=true]').waitFor({ timeout: 60_000 })
  const ms = performance.now() - t0
  const res = await view
  if (!res.ok()) throw new Error(`upload failed: HTTP ${res.status()}`)
  const id = await page.locator('[data-capture]').getAttribute('data-capture')
  const again = await page.request.get(`${BASE}/api/captures/${id}`)
  return { ms, viewBytes: (await again.body()).length }
}

/** Bytes of the seed walk's offline HTML, as the export menu builds it. */
async function offlineHtmlBytes(): Promise<number | undefined> {
  const player = path.join(ROOT, 'public', 'offline', 'player.html')
  if (!fs.existsSync(player)) return undefined
  const { view } = (await (await fetch(`${BASE}/api/captures/seed-doks`)).json()) as { view: WalkView }
  return Buffer.byteLength(embedWalk(fs.readFileSync(player, 'utf8'), { view, lang: 'en', theme: 'light', step: 0 }))
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN

export default async function run(): Promise<void> {
  const server = await ensureServer()
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-ui-bench-'))
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    const js = await firstLoadJs(page)
    const frames = await frameTimes(page, 6000)
    const twoNode = await frameTimes(page, 6000, { file: TWO_NODE, projection: true })
    const offline = await offlineHtmlBytes()
    const base = JSON.parse(bigCaptureText()) as { title?: string }
    const opens: { ms: number; viewBytes: number }[] = []
    let bytes = 0
    for (let i = 0; i < 3; i++) {
      // A different title each time: a new content hash, so the server really parses and walks it.
      const text = JSON.stringify({ ...base, title: `bench ${i} ${Date.now()}` })
      bytes = Buffer.byteLength(text)
      const file = path.join(tmp, `big-${i}.capture.json`)
      fs.writeFileSync(file, text)
      opens.push(await openBigCapture(page, file))
    }
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
    console.log(
      table(
        ['measure', 'value', 'target'],
        [
          [`first-load JS (${js.files} scripts, gzip)`, kb(js.gzip), '≤ 200 KB'],
          ['first-load JS on the wire', kb(js.wire), ''],
          [`frame time p95 while playing (${frames.length} frames)`, `${p95(frames).toFixed(1)} ms`, '≤ 20 ms'],
          ['frame time median', `${median(frames).toFixed(1)} ms`, ''],
          [`two-node walk, projection, p95 (${twoNode.length} frames)`, `${p95(twoNode).toFixed(1)} ms`, '≤ 16 ms'],
          ['two-node walk, projection, median', `${median(twoNode).toFixed(1)} ms`, ''],
          [`open ${(bytes / 1024 / 1024).toFixed(1)} MB capture → first hop (median of 3)`, `${median(opens.map((o) => o.ms)).toFixed(0)} ms`, '< 2000 ms'],
          ['  each run', opens.map((o) => o.ms.toFixed(0)).join(' / ') + ' ms', ''],
          ['walk view sent for it', kb(opens[0]?.viewBytes ?? 0), ''],
          ['offline HTML of the seed walk', offline === undefined ? 'not built (npm run build)' : kb(offline), '≤ 1024 KB'],
        ],
      ),
    )
  } finally {
    await browser.close()
    fs.rmSync(tmp, { recursive: true, force: true })
    if (server?.pid) process.kill(server.pid, 'SIGTERM')
  }
}

if (require.main === module) void run()
