/** Page helpers for the walk page: reading what the canvas and evidence panel show. */
import { expect, type Page } from '@playwright/test'
import type { Walk } from '@/lib/model/walk'

export interface ShownTerminal {
  host: string
  command: string
  stream: string
  proof: number[]
}

/** The terminals of the evidence panel and the line numbers they highlight as proof. */
export function shownTerminals(page: Page): Promise<ShownTerminal[]> {
  return page.locator('[data-testid=terminal]').evaluateAll((els) =>
    els.map((el) => ({
      host: el.getAttribute('data-host') ?? '',
      command: el.getAttribute('data-command') ?? '',
      stream: el.getAttribute('data-stream') ?? '',
      proof: [...el.querySelectorAll('[data-proof="true"]')].map((l) => Number(l.getAttribute('data-line'))),
    })),
  )
}

export async function captureId(page: Page): Promise<string> {
  return (await page.locator('[data-capture]').getAttribute('data-capture')) ?? ''
}

export async function walkOf(page: Page, id: string): Promise<Walk> {
  const res = await page.request.get(`/api/captures/${encodeURIComponent(id)}/walk`)
  expect(res.ok()).toBe(true)
  return (await res.json()) as Walk
}

/** Waits until the page is live (hydrated, its keyboard shortcuts listening): keys pressed earlier are lost. */
export async function expectHydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true')
}

/** Waits until hop `step` (0-based) is current on the canvas, in the panel and in the player, on a live page. */
export async function expectAtStep(page: Page, step: number) {
  await expectHydrated(page)
  await expect(page.locator(`[data-testid=hop-node][data-step="${step}"]`)).toHaveAttribute('data-current', 'true')
  await expect(page.getByTestId('evidence-panel')).toHaveAttribute('data-step', String(step))
  await expect(page.getByTestId('packet')).toHaveAttribute('data-step', String(step))
}
