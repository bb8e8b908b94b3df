/**
 * Measurements of what the walk page shows, taken in the browser: text sizes on the canvas after
 * its zoom, proving lines inside the visible evidence, cut labels, and raw keys left on screen.
 */
import type { Page } from '@playwright/test'

export interface CanvasText {
  text: string
  px: number
  title: boolean
}

/**
 * Every text on the canvas that is at least partly on screen, with its rendered size: computed
 * font-size × the viewport's zoom (React Flow's transform), cross-checked against the text's box.
 */
export function canvasTexts(page: Page): Promise<{ zoom: number; texts: CanvasText[] }> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid=canvas]')!.getBoundingClientRect()
    const vp = document.querySelector<HTMLElement>('.react-flow__viewport')!
    const zoom = new DOMMatrixReadOnly(getComputedStyle(vp).transform).a
    const texts: { text: string; px: number; title: boolean }[] = []
    const walker = document.createTreeWalker(vp, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      const text = n.textContent?.trim() ?? ''
      if (!el || !text || el.closest('[aria-hidden=true]') && el.closest('[data-testid=packet]')) continue
      const r = el.getBoundingClientRect()
      const visible = r.right > canvas.left && r.left < canvas.right && r.bottom > canvas.top && r.top < canvas.bottom && r.width > 0
      if (!visible) continue
      texts.push({ text, px: parseFloat(getComputedStyle(el).fontSize) * zoom, title: el.closest('[data-testid=hop-title]') !== null })
    }
    return { zoom, texts }
  })
}

export interface ProofPlacement {
  command: string
  line: number
  inside: boolean
  commandVisible: boolean
}

/** Each proving line of the evidence panel: wholly inside its scroll region and the window, without scrolling. */
export function proofPlacements(page: Page): Promise<{ scrolled: boolean; proofs: ProofPlacement[] }> {
  return page.evaluate(() => {
    const region = document.querySelector('[data-testid=evidence-raw]')!
    const box = region.getBoundingClientRect()
    const inBox = (r: DOMRect) => r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.bottom <= window.innerHeight && r.height > 0
    const proofs = [...region.querySelectorAll<HTMLElement>('[data-testid=terminal]')].flatMap((t) => {
      const cap = t.querySelector('[data-testid=terminal-command]')!.getBoundingClientRect()
      return [...t.querySelectorAll<HTMLElement>('[data-proof="true"]')].map((l) => ({
        command: t.dataset.command ?? '',
        line: Number(l.dataset.line),
        inside: inBox(l.getBoundingClientRect()),
        commandVisible: inBox(cap),
      }))
    })
    return { scrolled: region.scrollTop > 0, proofs }
  })
}

/**
 * Labels cut by their own box: an element holding text directly, clipped (overflow hidden) and
 * narrower than its text. Each must show "…" (text-overflow: ellipsis) and carry a tooltip with
 * the whole text (title on itself or an ancestor). Scroll areas and terminals are not labels.
 */
export function badCuts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLElement>('main *, header *')) {
      const own = [...el.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent?.trim())
      if (!own || el.closest('[data-testid=terminal], select, option')) continue
      const cs = getComputedStyle(el)
      if (cs.overflowX !== 'hidden' && cs.overflowX !== 'clip') continue
      // Screen-reader-only text (1-px clipped box) is not a label on screen.
      if (cs.position === 'absolute' && el.getBoundingClientRect().width <= 1) continue
      if (el.scrollWidth <= el.clientWidth + 1) continue
      const text = el.textContent?.trim() ?? ''
      const tip = el.closest('[title]')?.getAttribute('title') ?? ''
      if (!cs.textOverflow.includes('ellipsis')) out.push(`cut without …: "${text}"`)
      else if (!tip.includes(text)) out.push(`cut without a tooltip: "${text}"`)
    }
    return out
  })
}

/** Raw keys visible on screen or read by screen readers: i18n keys (`packet.srcIp`) and camelCase fact names. */
export function rawKeys(page: Page, keys: string[]): Promise<string[]> {
  return page.evaluate((keys) => {
    const found = new Set<string>()
    const texts: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      // Captured output and captured values (terminal lines, verbatim facts) are quoted, not labels.
      if (!el || el.closest('[data-testid=terminal], dd, script, style, [data-testid=warnings-list] li')) continue
      texts.push(n.textContent ?? '')
    }
    for (const el of document.querySelectorAll('[title], [aria-label]')) {
      if (el.closest('[data-testid=terminal]')) continue
      texts.push(el.getAttribute('title') ?? '', el.getAttribute('aria-label') ?? '')
    }
    for (const dt of document.querySelectorAll('[data-testid=facts] dt')) if (dt.parentElement?.getAttribute('data-fact') === dt.textContent) found.add(dt.textContent ?? '')
    const all = texts.join('\n')
    for (const k of keys) if (new RegExp(`(^|[^\\w.])${k.replace(/[.]/g, '\\.')}($|[^\\w])`).test(all)) found.add(k)
    return [...found]
  }, keys)
}
