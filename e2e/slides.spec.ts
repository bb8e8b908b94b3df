/**
 * Slides: 16:9 exports drawn offscreen with a title line. Checks the pixel size of the PNGs, the
 * title (its text, its size, and ink where it stands in the image), the same frame for a single
 * export and the ZIP, the PDF's page count (parsed), and that the page does not move meanwhile.
 * The exported slides are saved in e2e/screenshots/ to be looked at.
 */
import fs from 'node:fs'
import path from 'node:path'
import { expect, test, type Download, type Page } from '@playwright/test'
import JSZip from 'jszip'
import { isPng, pngSize } from './helpers/png'
import { captureId, expectAtStep, walkOf } from './helpers/walk-page'
import { readPdf } from '@/lib/export/pdf-read'
import { jpegSize } from '@/lib/export/pdf'

const SHOTS = path.join(__dirname, 'screenshots')

async function exportVia(page: Page, id: string, timeout = 60_000): Promise<Buffer> {
  await page.getByTestId('export-menu').click()
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout }), page.getByTestId(`export-${id}`).click()])
  return fs.readFileSync((await (dl as Download).path())!)
}

/** Records, each time the offscreen slide shows a step, its title line's text and geometry. */
async function watchSlides(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__slides = []
    const seen = new Set()
    const look = () => {
      const slide = document.querySelector('[data-pw-slide] [data-testid=slide]')
      const title = slide && slide.querySelector('[data-testid=slide-title]')
      if (!slide || !title) return
      const key = slide.getAttribute('data-step') + '|' + title.textContent
      if (seen.has(key)) return
      seen.add(key)
      const s = slide.getBoundingClientRect(), t = title.getBoundingClientRect()
      const hop = title.querySelector('[data-testid=slide-hop]')
      window.__slides.push({
        step: Number(slide.getAttribute('data-step')),
        text: title.textContent,
        scenario: title.querySelector('[data-testid=slide-scenario]').textContent,
        capture: title.querySelector('[data-testid=slide-capture]').textContent,
        hopFont: parseFloat(getComputedStyle(hop).fontSize),
        slide: { w: s.width, h: s.height },
        title: { x: t.x - s.x, y: t.y - s.y, w: t.width, h: t.height },
        hidden: slide.closest('[data-pw-slide]').getAttribute('aria-hidden'),
      })
    }
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  })()`)
}

type Seen = { step: number; text: string; scenario: string; capture: string; hopFont: number; slide: { w: number; h: number }; title: { x: number; y: number; w: number; h: number }; hidden: string }
const slidesSeen = (page: Page) => page.evaluate('window.__slides') as Promise<Seen[]>

/**
 * Dark pixels ("ink") in a box of a PNG, decoded by the browser: a row-band count that says
 * whether text is drawn there. The box is in the PNG's pixels.
 */
function inkIn(page: Page, png: Buffer, box: { x: number; y: number; w: number; h: number }): Promise<{ ink: number; area: number; width: number; height: number }> {
  return page.evaluate(
    async ({ b64, box }) => {
      const img = new Image()
      img.src = `data:image/png;base64,${b64}`
      await img.decode()
      const c = document.createElement('canvas')
      c.width = img.naturalWidth
      c.height = img.naturalHeight
      const ctx = c.getContext('2d')!
      ctx.drawImage(img, 0, 0)
      const d = ctx.getImageData(Math.round(box.x), Math.round(box.y), Math.round(box.w), Math.round(box.h)).data
      let ink = 0
      for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! < 200) ink++
      return { ink, area: d.length / 4, width: c.width, height: c.height }
    },
    { b64: png.toString('base64'), box },
  )
}

/** Rects of the page's main parts, and its scroll size: what a reflow would change. */
function pageRects(page: Page): Promise<string> {
  return page.evaluate(() => {
    const ids = ['stage', 'canvas', 'evidence-panel', 'packet-panel', 'player', 'export-menu', 'predict-toggle', 'timeline']
    const rects = ids.map((id) => {
      const r = document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect()
      return r ? `${id}:${r.x},${r.y},${r.width},${r.height}` : `${id}:none`
    })
    const header = document.querySelector('header')!.getBoundingClientRect()
    return [...rects, `header:${header.height}`, `scroll:${document.documentElement.scrollWidth}x${document.documentElement.scrollHeight}`].join(' ')
  })
}

test('a slide is a 16:9 PNG at 1920×1080 (1×) and 3840×2160 (2×) with a title line', async ({ page }) => {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.goto('/?step=3&lang=en&theme=light')
  await expectAtStep(page, 2)
  const walk = await walkOf(page, await captureId(page))
  await watchSlides(page)
  const one = await exportVia(page, 'png-1')
  expect(isPng(one)).toBe(true)
  expect(pngSize(one)).toEqual({ width: 1920, height: 1080 })
  fs.writeFileSync(path.join(SHOTS, 'slide-en-step-03@1x.png'), one)

  const [seen] = await slidesSeen(page)
  expect(seen).toBeDefined()
  expect(seen!.hidden).toBe('true')
  expect(seen!.step).toBe(2)
  expect(seen!.slide.w / seen!.slide.h).toBeCloseTo(16 / 9, 2)
  expect(seen!.text).toContain(`hop 3 of ${walk.hops.length}`)
  expect(seen!.scenario.length).toBeGreaterThan(3)
  expect(seen!.capture).toContain('seed-doks')
  // In the image, the hop line is 1920 / slide width times its CSS size: ≥ 24 px, readable on a wall.
  const scale = 1920 / seen!.slide.w
  expect(seen!.hopFont * scale).toBeGreaterThanOrEqual(24)
  // Ink where the title line stands, and a bare band of background between it and the slide's top edge.
  const band = { x: seen!.title.x * scale, y: seen!.title.y * scale, w: seen!.title.w * scale, h: seen!.title.h * scale }
  const title = await inkIn(page, one, band)
  expect(title.ink / title.area).toBeGreaterThan(0.02)
  const margin = await inkIn(page, one, { x: band.x + 10, y: 1, w: band.w - 20, h: Math.max(2, band.y - 4) })
  expect(margin.ink).toBe(0)

  const two = await exportVia(page, 'png-2')
  expect(pngSize(two)).toEqual({ width: 3840, height: 2160 })
  fs.writeFileSync(path.join(SHOTS, 'slide-en-step-03@2x.png'), two)
  await expectAtStep(page, 2)
})

test('the ZIP holds the same frame as a single export, and the page does not move while it runs', async ({ page }) => {
  test.setTimeout(180_000) // ten slides on a shared 2-core machine
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.goto('/?step=8&lang=fr&theme=light')
  await expectAtStep(page, 7)
  const hops = (await walkOf(page, await captureId(page))).hops.length
  const single = await exportVia(page, 'png-1')
  fs.writeFileSync(path.join(SHOTS, 'slide-fr-step-08@1x.png'), single)

  const before = await pageRects(page)
  await watchSlides(page)
  await page.getByTestId('export-menu').click()
  const t0 = Date.now()
  const download = page.waitForEvent('download', { timeout: 150_000 })
  await page.getByTestId('export-zip').click()
  // While the slides are drawn: the same rects, the same step on the page, a progress message.
  await expect(page.getByTestId('export-status')).toContainText('sur')
  const during: string[] = []
  for (let i = 0; i < 4; i++) {
    during.push(await pageRects(page))
    await page.waitForTimeout(150)
  }
  const zipFile = fs.readFileSync((await (await download).path())!)
  const ms = Date.now() - t0
  console.log(`ZIP of ${hops} slides at 1920×1080: ${ms} ms, ${(ms / hops).toFixed(0)} ms per slide`)
  for (const d of during) expect(d).toBe(before)
  expect(await pageRects(page)).toBe(before)
  await expectAtStep(page, 7)

  const zip = await JSZip.loadAsync(zipFile)
  const names = Object.keys(zip.files).sort()
  expect(names).toEqual(Array.from({ length: hops }, (_, i) => `step-${String(i + 1).padStart(2, '0')}.png`))
  for (const n of names) expect(pngSize(await zip.file(n)!.async('uint8array'))).toEqual({ width: 1920, height: 1080 })
  const inZip = Buffer.from(await zip.file('step-08.png')!.async('uint8array'))
  expect(inZip.equals(single), 'step 8 of the ZIP is byte for byte the single export of step 8').toBe(true)
  fs.writeFileSync(path.join(SHOTS, 'slide-fr-step-01-from-zip.png'), Buffer.from(await zip.file('step-01.png')!.async('uint8array')))

  // Every step had its own title, in French.
  const seen = await slidesSeen(page)
  expect(seen.map((s) => s.step)).toEqual(Array.from({ length: hops }, (_, i) => i))
  seen.forEach((s, i) => expect(s.text).toContain(`étape ${i + 1} sur ${hops}`))
})

test('the PDF handout has one 16:9 page per step, each a 1920×1080 JPEG', async ({ page }) => {
  test.setTimeout(180_000)
  await page.goto('/?step=2&lang=en')
  const walk = await walkOf(page, await captureId(page))
  const pdf = readPdf(new Uint8Array(await exportVia(page, 'pdf', 150_000)))
  expect(pdf.count).toBe(walk.hops.length)
  expect(pdf.pages).toHaveLength(walk.hops.length)
  for (const p of pdf.pages) {
    expect(p.mediaBox[2]! / p.mediaBox[3]!).toBeCloseTo(16 / 9, 3)
    expect(p.image.filter).toBe('DCTDecode')
    expect(jpegSize(p.image.bytes)).toEqual({ width: 1920, height: 1080 })
    expect(p.image).toMatchObject({ width: 1920, height: 1080 })
  }
  // Pages differ: each is its own step.
  expect(new Set(pdf.pages.map((p) => Buffer.from(p.image.bytes).toString('base64'))).size).toBe(walk.hops.length)
  expect(pdf.title).toContain('packetwalk')
  await expectAtStep(page, 1)
})
