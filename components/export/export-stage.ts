/**
 * Slide export, loaded on demand (html-to-image and jszip stay out of first-load JS). What is
 * exported is the on-screen stage (canvas + packet + evidence), at 1×/2×/3× pixel density.
 */
import { toBlob, toSvg } from 'html-to-image'
import type { WalkStoreApi, WalkStore } from '@/components/store/walk-store'

const skip = (n: HTMLElement) => !(n instanceof HTMLElement && n.dataset?.export === 'skip')

/**
 * Readies the stage for html-to-image, which clones the DOM without scroll offsets (a terminal
 * scrolled to its proof line would export from its top): scrolled contents are shifted by their
 * offset, and `pw-exporting` (globals.css) hides scrollbars and gives React Flow's edge layer a
 * real size (its 300×150 SVG relies on overflow, which the rasterised clone clips).
 */
function freezeScroll(root: HTMLElement): () => void {
  root.classList.add('pw-exporting')
  const undo: (() => void)[] = [() => root.classList.remove('pw-exporting')]
  // SVG is cloned as markup, so `var(--pw-accent)` on edges must become a concrete colour.
  root.querySelectorAll<SVGElement>('.react-flow__edge-path').forEach((path) => {
    const before = path.style.stroke
    path.style.stroke = getComputedStyle(path).stroke
    undo.push(() => (path.style.stroke = before))
  })
  root.querySelectorAll<HTMLElement>('[data-scroll-freeze]').forEach((el) => {
    const top = el.scrollTop
    if (top === 0) return
    const kids = [...el.children] as HTMLElement[]
    kids.forEach((k) => (k.style.transform = `translateY(${-top}px)`))
    el.style.overflow = 'hidden'
    undo.push(() => {
      kids.forEach((k) => (k.style.transform = ''))
      el.style.overflow = ''
      el.scrollTop = top
    })
  })
  return () => undo.forEach((f) => f())
}

function options(stage: HTMLElement, pixelRatio: number) {
  return {
    pixelRatio,
    width: stage.offsetWidth,
    height: stage.offsetHeight,
    backgroundColor: getComputedStyle(stage).backgroundColor,
    filter: skip,
    skipFonts: true,
  }
}

export async function exportPng(stage: HTMLElement, scale: number): Promise<Blob> {
  const thaw = freezeScroll(stage)
  try {
    const blob = await toBlob(stage, options(stage, scale))
    if (!blob) throw new Error('the browser produced no image')
    return blob
  } finally {
    thaw()
  }
}

export async function exportSvg(stage: HTMLElement): Promise<Blob> {
  const thaw = freezeScroll(stage)
  try {
    const url = await toSvg(stage, options(stage, 1))
    return new Blob([decodeURIComponent(url.slice(url.indexOf(',') + 1))], { type: 'image/svg+xml' })
  } finally {
    thaw()
  }
}

const frames = (n: number) =>
  new Promise<void>((resolve) => {
    const tick = (left: number) => (left <= 0 ? resolve() : requestAnimationFrame(() => tick(left - 1)))
    tick(n)
  })

/** Every step as step-01.png, step-02.png… (2×), then back to the step the user was on. */
export async function exportAllSteps(stage: HTMLElement, store: WalkStoreApi, scale = 2): Promise<Blob> {
  const { default: JSZip } = await import('jszip')
  const zip = new JSZip()
  const s = store.getState()
  const total = s.view.walk.hops.length
  const back = s.step
  s.pause()
  try {
    for (let i = 0; i < total; i++) {
      store.getState().setExportStatus({ n: i + 1, total })
      store.getState().selectHop(i)
      await frames(3)
      zip.file(`step-${String(i + 1).padStart(2, '0')}.png`, await exportPng(stage, scale))
    }
  } finally {
    store.getState().setExportStatus(null)
    store.getState().selectHop(back)
  }
  return zip.generateAsync({ type: 'blob' })
}

/** `packetwalk-<capture>-step-03` */
export function fileBase(s: Pick<WalkStore, 'view' | 'step'>): string {
  const id = s.view.capture.id.replace(/[^\w.-]+/g, '-')
  return `packetwalk-${id}-step-${String(s.step + 1).padStart(2, '0')}`
}

export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
