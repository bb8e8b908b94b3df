/**
 * The walk page as a new user meets it: the demo walk at once, every hop with the line that
 * proves it, language and theme, deep links, opening and rejecting files, and slide export.
 * Screenshots of every step (1280×720 and 1920×1080, light and dark) go to e2e/screenshots/.
 */
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { isPng } from './helpers/png'
import { captureId, expectAtStep, expectHydrated, shownTerminals, walkOf } from './helpers/walk-page'

const SEED = path.join(__dirname, '..', 'lib', 'demo', 'seed-doks.capture.json')
const SHOTS = path.join(__dirname, 'screenshots')

test('opens on the demo walk and every hop highlights the lines that prove it', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('hop-node').first()).toBeVisible()
  const walk = await walkOf(page, await captureId(page))
  expect(walk.hops.length).toBeGreaterThan(5)
  await expect(page.getByTestId('hop-node')).toHaveCount(walk.hops.length)
  for (let i = 0; i < walk.hops.length; i++) {
    await expectAtStep(page, i)
    const hop = walk.hops[i]!
    const shown = await shownTerminals(page)
    expect(shown.map(({ host, command }) => ({ host, command }))).toEqual(hop.evidence.map(({ host, command }) => ({ host, command })))
    hop.evidence.forEach((ev, k) => {
      expect(shown[k]?.proof, `hop ${i + 1} ${ev.command}`).toEqual(ev.lines)
      expect(shown[k]?.stream).toBe(ev.stream ?? 'stdout')
    })
    const node = page.locator(`[data-testid=hop-node][data-step="${i}"]`)
    await expect(node).toHaveAttribute('data-proven', String(hop.proven !== false))
    if (hop.proven === false) {
      await expect(node.getByTestId('unproven-badge')).toBeVisible()
      await expect(page.getByTestId('unproven-box')).toContainText(hop.prove?.command ?? '')
    }
    if (i < walk.hops.length - 1) await (i % 2 ? page.getByTestId('next').click() : page.keyboard.press('ArrowRight'))
  }
  await page.keyboard.press('Home')
  await expectAtStep(page, 0)
  await page.keyboard.press('End')
  await expectAtStep(page, walk.hops.length - 1)
  await expect(page).toHaveURL(new RegExp(`step=${walk.hops.length}`))
})

test('plays the walk hop by hop and pauses with the space bar', async ({ page }) => {
  await page.goto('/?lang=en')
  await expectAtStep(page, 0)
  await page.getByLabel('Speed').selectOption('4')
  await page.getByTestId('evidence-panel').click()
  await page.keyboard.press(' ')
  await expect(page.getByTestId('play')).toHaveAttribute('data-playing', 'true')
  // At 4× a hop lasts 550 ms: the walk must move on by itself, one hop after the other.
  const seen: number[] = []
  await expect
    .poll(async () => {
      const step = Number(await page.getByTestId('evidence-panel').getAttribute('data-step'))
      if (seen.at(-1) !== step) seen.push(step)
      return step
    }, { intervals: [50] })
    .toBeGreaterThanOrEqual(2)
  expect(seen, 'hops shown while playing').toEqual(seen.map((_, k) => seen[0]! + k))
  await page.keyboard.press(' ')
  await expect(page.getByTestId('play')).toHaveAttribute('data-playing', 'false')
  const step = Number(await page.getByTestId('evidence-panel').getAttribute('data-step'))
  // Paused: the hop stays for longer than two hops would last at 4×.
  await page.waitForTimeout(1200)
  await expect(page.getByTestId('evidence-panel')).toHaveAttribute('data-step', String(step))
  await expectAtStep(page, step)
})

test('switches language and theme, and the URL follows', async ({ page }) => {
  await page.goto('/?lang=en&theme=light')
  await expect(page.getByTestId('step-label')).toHaveText('Hop 1 of 10')
  await page.getByTestId('lang-fr').click()
  await expect(page.getByTestId('step-label')).toHaveText('Saut 1 sur 10')
  await expect(page.getByTestId('explanation')).toContainText('passerelle 10.244.0.201')
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr')
  await page.getByTestId('theme-toggle').click()
  await expect(page.locator('[data-theme]')).toHaveAttribute('data-theme', 'dark')
  await expect(page).toHaveURL(/lang=fr/)
  await expect(page).toHaveURL(/theme=dark/)
})

test('follows the browser language when the URL does not say', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'fr-FR' })
  const page = await ctx.newPage()
  await page.goto('/')
  await expect(page.getByTestId('step-label')).toHaveText('Saut 1 sur 10')
  await ctx.close()
})

test('a deep link opens at its hop', async ({ page }) => {
  await page.goto('/?capture=seed-doks&step=8&lang=fr&theme=dark')
  await expectAtStep(page, 7)
  await expect(page.getByTestId('explanation')).toContainText('164.92.138.123')
  await expect(page.locator('[data-field=srcIp]')).toHaveAttribute('data-changed', 'true')
  await expect(page.locator('[data-theme]')).toHaveAttribute('data-theme', 'dark')
})

test('opens a capture file, and rejects a bad one naming the bad field', async ({ page }) => {
  await page.goto('/?lang=en')
  const seed = JSON.parse(fs.readFileSync(SEED, 'utf8'))
  seed.title = 'Copy of the seed lab (e2e)'
  await page.getByTestId('capture-file').setInputFiles({ name: 'copy.capture.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(seed)) })
  await expect(page.locator('[data-capture^="u-"]')).toBeVisible()
  await expect(page.getByTestId('capture-picker')).toContainText('Copy of the seed lab (e2e)')
  await expectAtStep(page, 0)
  await page.getByTestId('next').click()
  const id = await captureId(page)

  seed.hosts.pod.runs[0].exitCode = 'zero'
  await page.getByTestId('capture-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(seed)) })
  await expect(page.getByTestId('notice')).toContainText('hosts.pod.runs[0].exitCode')
  expect(await captureId(page)).toBe(id)
  await expectAtStep(page, 1)
})

// Slide exports (PNG, ZIP, PDF) are tested in slides.spec.ts.

test('never sends more than a bounded window of output lines', async ({ page }) => {
  const res = await page.request.get('/api/captures/seed-doks/lines?host=node-7o7xd&run=3&stream=stdout&from=1&count=100000')
  const body = (await res.json()) as { lines: string[]; totalLines: number }
  expect(body.totalLines).toBe(10)
  expect(body.lines[2]).toBe('0.0.0.0 165.22.16.1 0.0.0.0 UG 0 0 0 eth0')
  const bad = await page.request.get('/api/captures/seed-doks/lines?host=node-7o7xd&run=x')
  expect(bad.status()).toBe(400)
})

for (const theme of ['light', 'dark'] as const)
  for (const [w, h] of [[1280, 720], [1920, 1080]] as const)
    test(`screenshots of every step, ${theme} ${w}×${h}`, async ({ page }) => {
      fs.mkdirSync(SHOTS, { recursive: true })
      await page.setViewportSize({ width: w, height: h })
      await page.goto(`/?theme=${theme}&lang=${theme === 'light' ? 'fr' : 'en'}`)
      const hops = (await walkOf(page, await captureId(page))).hops.length
      for (let i = 0; i < hops; i++) {
        await page.goto(`/?theme=${theme}&lang=${theme === 'light' ? 'fr' : 'en'}&step=${i + 1}`)
        await expectAtStep(page, i)
        await page.waitForTimeout(150)
        await page.screenshot({ path: path.join(SHOTS, `${theme}-${w}x${h}-step-${String(i + 1).padStart(2, '0')}.png`) })
      }
    })

test('works from the keyboard alone: → ← Home End space, Tab to every control, export with Enter', async ({ page }) => {
  await page.goto('/?lang=en&theme=light')
  await expectAtStep(page, 0)
  const hops = (await walkOf(page, await captureId(page))).hops.length
  await page.keyboard.press('ArrowRight')
  await expectAtStep(page, 1)
  await page.keyboard.press('ArrowLeft')
  await expectAtStep(page, 0)
  await page.keyboard.press('End')
  await expectAtStep(page, hops - 1)
  await page.keyboard.press('Home')
  await expectAtStep(page, 0)
  await page.keyboard.press(' ')
  await expect(page.getByTestId('play')).toHaveAttribute('data-playing', 'true')
  await page.keyboard.press(' ')
  await expect(page.getByTestId('play')).toHaveAttribute('data-playing', 'false')
  await page.keyboard.press('Home')

  // Tab round the whole page: every stop has a name and a visible focus ring.
  const seen: string[] = []
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab')
    const focused = page.locator(':focus')
    if ((await focused.count()) === 0) continue
    const info = await focused.evaluate((el) => {
      const cs = getComputedStyle(el)
      return {
        key: el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30)}`,
        ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
        box: el.getBoundingClientRect().width > 0,
      }
    })
    if (seen.includes(info.key)) break
    seen.push(info.key)
    expect(info.ring, `focus ring on ${info.key}`).toBe(true)
    expect(info.box, `${info.key} is visible`).toBe(true)
    await expect(focused, `${info.key} has a name`).toHaveAccessibleName(/\S/)
  }
  for (const id of ['capture-picker', 'open-file', 'lang-fr', 'lang-en', 'theme-toggle', 'export-menu', 'play', 'next', 'timeline-hop-0', `timeline-hop-${hops - 1}`])
    expect(seen, `${id} is reachable with Tab`).toContain(id)
  // the terminals' scroll areas are reachable too, named after their command
  const first = (await walkOf(page, await captureId(page))).hops[0]!.evidence[0]!.command
  expect(seen.some((k) => k.startsWith(`div:${first} — `)), `${first} terminal in ${seen.join(', ')}`).toBe(true)

  // A timeline button says which hop is current (aria-current) and which are unproven (an icon, not colour).
  await page.getByTestId('timeline-hop-3').focus()
  await page.keyboard.press('Enter')
  await expectAtStep(page, 3)
  await expect(page.getByTestId('timeline-hop-3')).toHaveAttribute('aria-current', 'step')
  await expect(page.locator('[data-testid^=timeline-hop-][aria-current]')).toHaveCount(1)
  const walk = await walkOf(page, await captureId(page))
  for (const [i, h] of walk.hops.entries()) {
    const b = page.getByTestId(`timeline-hop-${i}`)
    await expect(b.getByTestId('timeline-unproven')).toHaveCount(h.proven === false ? 1 : 0)
    if (h.proven === false) await expect(b).toHaveAccessibleName(/unproven/)
  }
  // The previous button keeps focus at the first hop (aria-disabled, not disabled).
  await page.getByTestId('prev').focus()
  for (let i = 0; i < 4; i++) await page.keyboard.press('Enter')
  await expectAtStep(page, 0)
  await expect(page.getByTestId('prev')).toBeFocused()
  await expect(page.getByTestId('prev')).toHaveAttribute('aria-disabled', 'true')

  // Tab back to Export, open it with Enter, pick PNG 2×; Escape closes the menu onto its button.
  await page.getByTestId('export-menu').focus()
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('export-png-1')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('export-menu')).toBeFocused()
  await expect(page.getByTestId('export-png-1')).toBeHidden()
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('export-png-2')).toBeFocused()
  const [png] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
  expect(isPng(fs.readFileSync((await png.path())!))).toBe(true)
})

test('projection mode at 1280×720: large type, light theme, only the presenting controls', async ({ page }) => {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.goto('/?lang=fr&theme=dark&step=8')
  await expectHydrated(page)
  await page.keyboard.press('f')
  await expect(page.locator('html')).toHaveAttribute('data-projection', 'true')
  await expect(page.locator('[data-theme]')).toHaveAttribute('data-theme', 'light')
  expect(await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))).toBeGreaterThanOrEqual(18)
  await expect(page.getByTestId('open-file')).toBeHidden()
  await page.waitForTimeout(150)
  await page.screenshot({ path: path.join(SHOTS, 'projection-1280x720-step-08.png') })
})
