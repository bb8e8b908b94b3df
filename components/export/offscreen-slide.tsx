'use client'
/**
 * Slides are drawn offscreen: a fixed-size 16:9 stage outside the viewport, with its own copy of
 * the store, rendered by its own React root. The page the teacher sees is never resized, scrolled
 * or re-laid out, and a slide looks the same whether it is exported alone or in the ZIP or PDF.
 *
 * Its size is 80 × 45 rem of the page (1280×720 CSS px at the default 16 px), the layout the
 * stage is designed for; the capture scales it to exactly 1920×1080 per 1× of output.
 */
import { createRoot } from 'react-dom/client'
import { WalkStoreProvider } from '@/components/store/walk-store-provider'
import { createWalkStore, type WalkStoreApi } from '@/components/store/walk-store'
import type { WalkApi } from '@/components/store/walk-api'
import { SlideFrame } from './slide-frame'

export const SLIDE_PX = { width: 1920, height: 1080 } as const

export interface OffscreenSlide {
  /** The slide element to rasterise. */
  frame: HTMLElement
  width: number
  height: number
  /** Draws hop `step` and resolves once the canvas has settled. */
  show: (step: number) => Promise<void>
  dispose: () => void
}

/** The slide never talks to the server: it shows the lines the page already holds. */
const noServer: WalkApi = {
  fetchView: async () => ({ ok: false, error: 'offscreen slide' }),
  upload: async () => ({ ok: false, error: 'offscreen slide' }),
  fetchLines: async () => ({ ok: false, error: 'offscreen slide' }),
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve))

/**
 * Resolves when React Flow has measured the nodes and its viewport transform has not moved for
 * three frames (a fit, or a zoom that follows the packet, has finished), or after ~2 s.
 */
async function settled(root: HTMLElement): Promise<void> {
  let last = ''
  let still = 0
  for (let i = 0; i < 120 && still < 3; i++) {
    await frame()
    const vp = root.querySelector<HTMLElement>('.react-flow__viewport')
    const nodes = root.querySelectorAll('.react-flow__node')
    const shown = nodes.length > 0 && [...nodes].every((n) => (n as HTMLElement).style.visibility !== 'hidden')
    const now = `${vp?.style.transform ?? ''}|${shown}`
    still = shown && now === last ? still + 1 : 0
    last = now
  }
}

export function slideSize(): { width: number; height: number } {
  const rem = Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16
  const width = Math.round(80 * rem)
  return { width, height: Math.round((width * 9) / 16) }
}

export async function mountSlide(page: WalkStoreApi, step = page.getState().step): Promise<OffscreenSlide> {
  const s = page.getState()
  const store = createWalkStore({ view: s.view, captures: s.captures, step, theme: s.theme, lang: s.lang }, noServer)
  // The slide's own store is always "exporting": the canvas places its viewport and the packet
  // without animation, so a frame never depends on the step drawn before it.
  store.setState({ exportStatus: { n: step + 1, total: s.view.walk.hops.length } })
  const { width, height } = slideSize()
  const host = document.createElement('div')
  host.setAttribute('aria-hidden', 'true')
  host.inert = true
  host.dataset.pwSlide = ''
  // Fixed and far left: out of the page's flow and out of sight, yet laid out at full size.
  Object.assign(host.style, { position: 'fixed', left: '-100000px', top: '0', width: `${width}px`, height: `${height}px`, pointerEvents: 'none', contain: 'strict' })
  const still = document.createElement('style')
  still.textContent = '[data-pw-slide] *,[data-pw-slide] *::before,[data-pw-slide] *::after{animation:none!important;transition:none!important;scrollbar-width:none}'
  host.appendChild(still)
  const mount = document.createElement('div')
  host.appendChild(mount)
  document.body.appendChild(host)
  const root = createRoot(mount)
  root.render(
    <WalkStoreProvider store={store}>
      <SlideFrame width={width} height={height} />
    </WalkStoreProvider>,
  )
  const show = async (n: number) => {
    store.setState({ step: n, prevStep: null, playing: false, exportStatus: { n: n + 1, total: s.view.walk.hops.length } })
    await settled(host)
    const el = host.querySelector<HTMLElement>('[data-testid=slide]')
    if (el?.dataset.step !== String(n)) await frame()
  }
  await show(step)
  const el = host.querySelector<HTMLElement>('[data-testid=slide]')
  if (!el) throw new Error('the slide did not render')
  return {
    frame: el,
    width,
    height,
    show,
    dispose: () => {
      root.unmount()
      host.remove()
    },
  }
}
