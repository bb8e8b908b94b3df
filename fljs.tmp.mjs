import { chromium } from '@playwright/test'
import zlib from 'node:zlib'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
for (const url of ['http://127.0.0.1:3100/', 'http://127.0.0.1:3100/live']) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  const scripts = []
  page.on('response', (res) => { if (res.request().resourceType() === 'script') scripts.push(res.body().then((b) => zlib.gzipSync(b, { level: 6 }).length)) })
  await page.goto(url, { waitUntil: 'networkidle' })
  const all = await Promise.all(scripts)
  console.log(url, all.length, 'scripts', (all.reduce((a, b) => a + b, 0) / 1024).toFixed(1), 'KB gzip')
  await page.close()
}
await browser.close()
