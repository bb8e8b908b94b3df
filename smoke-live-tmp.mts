import { chromium } from '@playwright/test'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })
const seen = new Map<string, number>()
await page.routeWebSocket(/hmr|turbopack/, (ws) => {
  const server = ws.connectToServer()
  server.onMessage((m) => {
    const text = typeof m === 'string' ? m : ''
    const kind = /"(?:action|type)":"([^"]+)"/.exec(text)?.[1] ?? 'bin'
    seen.set(kind, (seen.get(kind) ?? 0) + 1)
    // other engineers' edits: keep the page as it is during the smoke test
    if (/reload|serverComponentChanges|serverOnlyChanges|isrManifest|turbopack-message/i.test(kind)) return
    ws.send(m)
  })
  ws.onMessage((m) => server.send(m))
})
page.on('pageerror', (e) => console.log('pageerror', e.message.slice(0, 300)))
page.on('framenavigated', (f) => { if (f === page.mainFrame()) console.log('navigated', f.url()) })
const t0 = Date.now()
await page.goto('http://127.0.0.1:3457/live', { timeout: 180_000 })
try {
  await page.getByLabel('Context').selectOption('lab', { timeout: 30_000 })
  await page.getByLabel('Namespace').selectOption('default')
  await page.getByLabel('Pod').selectOption('client', { timeout: 60_000 })
  await page.getByLabel('Destination').fill('198.51.100.80:80/tcp')
  await page.screenshot({ path: '/tmp/pwlive/form.png' })
  await page.getByRole('button', { name: /collect/i }).click()
  await page.getByText(/ip -d link/).first().waitFor({ timeout: 60_000 })
  await page.getByText(/exit 0/).first().waitFor({ timeout: 60_000 })
  await page.getByTestId('live-outcome').waitFor({ timeout: 60_000 })
  console.log('outcome', Date.now() - t0)
  await page.screenshot({ path: '/tmp/pwlive/outcome.png', fullPage: true })
  await page.getByTestId('live-walk').waitFor({ timeout: 120_000 })
  await page.getByText(/Pod routing table/i).first().waitFor({ timeout: 120_000 })
  await page.screenshot({ path: '/tmp/pwlive/done.png', fullPage: true })
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /save capture/i }).click()])
  await download.saveAs('/tmp/pwlive/page.capture.json')
  console.log('done', Date.now() - t0, 'url', page.url())
} finally {
  console.log('hmr messages', [...seen])
  await page.screenshot({ path: '/tmp/pwlive/last.png', fullPage: true })
  await browser.close()
}
