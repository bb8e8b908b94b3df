/**
 * Self-study: the offline walk file (exported from the page, opened from a file: URL with every
 * network request refused) and predict mode, driven end to end in both languages.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { expectAtStep, shownTerminals } from './helpers/walk-page'
import { readEmbedded } from '@/lib/offline/embed'
import { predictions } from '@/lib/study/predict'
import type { WalkView } from '@/lib/view/walk-view'

const SHOTS = path.join(__dirname, 'screenshots')

async function viewOf(page: Page, id: string): Promise<WalkView> {
  const res = await page.request.get(`/api/captures/${encodeURIComponent(id)}`)
  expect(res.ok()).toBe(true)
  return ((await res.json()) as { view: WalkView }).view
}

test('the offline walk opens from disk with the network blocked, steps through, and switches FR/EN', async ({ page, browser }) => {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.goto('/?step=1&lang=fr&theme=light')
  const view = await viewOf(page, 'seed-doks')
  const hops = view.walk.hops.length
  await page.getByTestId('export-menu').click()
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()])
  const html = fs.readFileSync((await dl.path())!, 'utf8')
  console.log(`offline HTML of the seed walk: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB`)
  expect(Buffer.byteLength(html)).toBeLessThanOrEqual(1024 * 1024)
  const embedded = readEmbedded(/<script id="pw-walk" type="application\/json">([^<]*)<\/script>/.exec(html)?.[1])
  expect(embedded?.view.walk).toEqual(view.walk)
  expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i)

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pw-offline-')), 'walk.html')
  fs.writeFileSync(file, html)
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } })
  const requests: string[] = []
  await ctx.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (requests.push(route.request().url()), route.abort())))
  const off = await ctx.newPage()
  const errors: string[] = []
  off.on('pageerror', (e) => errors.push(e.message))
  await off.goto(`file://${file}`)
  await expect(off.getByTestId('offline-title')).toHaveText(view.capture.title)
  await expect(off.getByTestId('step-label')).toHaveText(`Saut 1 sur ${hops}`)
  for (let i = 0; i < hops; i++) {
    await expectAtStep(off, i)
    const shown = await shownTerminals(off)
    const hop = view.walk.hops[i]!
    expect(shown.map((s) => s.command)).toEqual(hop.evidence.map((e) => e.command))
    hop.evidence.forEach((ev, k) => expect(shown[k]?.proof).toEqual(ev.lines))
    if (i === 7) await off.screenshot({ path: path.join(SHOTS, 'offline-fr-step-08.png') })
    if (i < hops - 1) await off.getByTestId('next').click()
  }
  await off.getByTestId('lang-en').click()
  await expect(off.getByTestId('step-label')).toHaveText(`Hop ${hops} of ${hops}`)
  await expect(off.locator('html')).toHaveAttribute('lang', 'en')
  await off.keyboard.press('Home')
  await expectAtStep(off, 0)
  expect(requests).toEqual([])
  expect(errors).toEqual([])
  await ctx.close()
})

/** Answers the drawer's questions for the hop after `step`: right ones when `right`, else a wrong one. */
async function answer(page: Page, view: WalkView, step: number, right: boolean, lang: 'fr' | 'en'): Promise<number> {
  const pred = predictions(view, lang).find((p) => p.hop === step + 1)!
  const qs = page.getByTestId('predict-question')
  await expect(qs).toHaveCount(pred.questions.length)
  for (const [k, q] of pred.questions.entries()) {
    await expect(qs.nth(k).locator('legend')).toHaveText(q.prompt)
    const pick = right ? q.answer : q.choices.find((c) => c.id !== q.answer)!.id
    await qs.nth(k).locator(`[data-choice="${pick}"] input`).check()
  }
  await page.getByTestId('predict-check').click()
  for (let k = 0; k < pred.questions.length; k++) await expect(qs.nth(k)).toHaveAttribute('data-result', right ? 'right' : 'wrong')
  // The proving line of the hop is shown, and is the line the evidence panel highlights once revealed;
  // an unproven hop shows the command that would prove it.
  const hop = view.walk.hops[step + 1]!
  const ev = hop.evidence[0]
  const proof = ev ? ((await page.getByTestId('predict-proof-line').first().textContent()) ?? '') : ''
  if (!ev) await expect(page.getByTestId('predict-proof')).toContainText(hop.prove?.command ?? '?')
  await page.getByTestId('predict-reveal').click()
  await expectAtStep(page, step + 1)
  if (ev) {
    expect(proof).toContain(`${ev.lines[0]} ▶`)
    const line = page.locator(`[data-testid=terminal][data-command="${ev.command}"] [data-line="${ev.lines[0]}"][data-proof=true]`).first()
    await expect(line).toContainText(proof.replace(/^\d+ ▶ /, '').trim().slice(0, 40))
  }
  return right ? pred.questions.length : 0
}

for (const lang of ['en', 'fr'] as const)
  test(`predict mode: questions before each hop, feedback with the proving line, a score at the end (${lang})`, async ({ page }) => {
    fs.mkdirSync(SHOTS, { recursive: true })
    await page.goto(`/?lang=${lang}&theme=light`)
    const view = await viewOf(page, 'seed-doks')
    const hops = view.walk.hops.length
    await page.getByTestId('predict-toggle').click()
    await expect(page.getByTestId('predict-panel')).toBeVisible()
    // Hops not yet revealed are hidden on the canvas and in the timeline.
    await expect(page.locator('[data-testid=hop-node][data-step="0"]')).toBeVisible()
    await expect(page.locator('[data-testid=hop-node][data-step="1"]')).toBeHidden()
    await expect(page.getByTestId(`timeline-hop-${hops - 1}`)).toBeHidden()
    await expect(page.getByTestId('predict-check')).toBeDisabled()
    await page.screenshot({ path: path.join(SHOTS, `predict-${lang}-before-hop-2.png`) })
    let expected = 0
    for (let step = 0; step < hops - 1; step++) {
      expected += await answer(page, view, step, step % 3 !== 1, lang)
      if (step === 6) await page.screenshot({ path: path.join(SHOTS, `predict-${lang}-after-reveal-8.png`) })
      if (step === 0) await expect(page.locator('[data-testid=hop-node][data-step="1"]')).toBeVisible()
      if (step === 5) {
        // Before the NAT hop (index 7) is revealed the drawer asks for the new source address.
        await expect(page.locator('[data-testid=predict-question][data-kind=source]')).toHaveCount(1)
        await page.screenshot({ path: path.join(SHOTS, `predict-${lang}-nat-question.png`) })
      }
    }
    const total = predictions(view, lang).reduce((n, p) => n + p.questions.length, 0)
    const final = lang === 'en' ? `Score: ${expected} of ${total}` : `Score : ${expected} sur ${total}`
    await expect(page.getByTestId('predict-final')).toHaveText(final)
    await page.screenshot({ path: path.join(SHOTS, `predict-${lang}-score.png`) })
    await page.getByTestId('predict-again').click()
    await expectAtStep(page, 0)
    await expect(page.getByTestId('predict-score')).toHaveText(lang === 'en' ? `Score: 0 of ${total}` : `Score : 0 sur ${total}`)
    await page.getByTestId('predict-toggle').click()
    await expect(page.getByTestId('predict-panel')).toHaveCount(0)
    await expect(page.locator(`[data-testid=hop-node][data-step="${hops - 1}"]`)).toBeVisible()
  })
