/**
 * Slide export, loaded on demand (html-to-image and jszip stay out of first-load JS). What is
 * exported is the on-screen stage (canvas + packet + evidence), at 1×/2×/3× pixel density.
 */
import { toCanvas, toSvg } from 'html-to-image'
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

/**
 * The computed properties that shape this UI. html-to-image otherwise copies all ~370 computed
 * properties onto every cloned element, which made one 2× slide take a second or more (a 10 MB
 * SVG to build and parse). Animations and transitions are left out on purpose: a clone must not move.
 */
const STYLE_PROPERTIES = [
  'display', 'position', 'top', 'right', 'bottom', 'left', 'z-index', 'box-sizing', 'visibility',
  'width', 'height', 'min-width', 'min-height', 'max-width', 'max-height',
  'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
  'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width',
  'border-top-style', 'border-right-style', 'border-bottom-style', 'border-left-style',
  'border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color',
  'border-top-left-radius', 'border-top-right-radius', 'border-bottom-right-radius', 'border-bottom-left-radius',
  'border-collapse', 'border-spacing', 'table-layout', 'caption-side', 'vertical-align',
  'flex-direction', 'flex-wrap', 'flex-grow', 'flex-shrink', 'flex-basis', 'order',
  'justify-content', 'justify-items', 'justify-self', 'align-content', 'align-items', 'align-self',
  'row-gap', 'column-gap', 'grid-template-columns', 'grid-template-rows', 'grid-template-areas',
  'grid-auto-flow', 'grid-auto-columns', 'grid-auto-rows',
  'grid-column-start', 'grid-column-end', 'grid-row-start', 'grid-row-end',
  'overflow-x', 'overflow-y', 'clip-path',
  'color', 'background-color', 'background-image', 'background-size', 'background-position', 'background-repeat', 'background-clip',
  'opacity', 'box-shadow', 'filter', 'outline-style', 'outline-width', 'outline-color', 'outline-offset',
  'transform', 'transform-origin', 'translate', 'scale', 'rotate',
  'offset-path', 'offset-distance', 'offset-anchor', 'offset-rotate', 'offset-position',
  'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant-numeric', 'line-height', 'letter-spacing',
  'text-align', 'text-transform', 'text-indent', 'text-overflow', 'text-decoration-line', 'text-decoration-style',
  'text-decoration-color', 'text-decoration-thickness', 'text-underline-offset',
  'white-space-collapse', 'text-wrap-mode', 'word-break', 'overflow-wrap', 'tab-size',
  'list-style-type', 'list-style-position', 'content', 'object-fit', 'aspect-ratio',
  'fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin',
  'scrollbar-width', 'scrollbar-gutter',
]

function options(stage: HTMLElement, pixelRatio: number) {
  return {
    pixelRatio,
    width: stage.offsetWidth,
    height: stage.offsetHeight,
    backgroundColor: getComputedStyle(stage).backgroundColor,
    filter: skip,
    // System fonts only (globals.css): nothing to embed, and no stylesheet walk to find out.
    skipFonts: true,
    fontEmbedCSS: '',
    includeStyleProperties: STYLE_PROPERTIES,
  }
}

async function canvasOf(stage: HTMLElement, scale: number): Promise<HTMLCanvasElement> {
  const thaw = freezeScroll(stage)
  try {
    return await toCanvas(stage, options(stage, scale))
  } finally {
    thaw()
  }
}

function pngOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser produced no image'))), 'image/png'),
  )
}

export async function exportPng(stage: HTMLElement, scale: number): Promise<Blob> {
  return pngOf(await canvasOf(stage, scale))
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

/** Resolves after the next paint: React has rendered the new step and its effects have run. */
const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))

/**
 * Every step as step-01.png, step-02.png… (2×), then back to the step the user was on. A step's
 * PNG is encoded (off the main thread) while the next step is drawn.
 */
export async function exportAllSteps(stage: HTMLElement, store: WalkStoreApi, scale = 2): Promise<Blob> {
  const { default: JSZip } = await import('jszip')
  const zip = new JSZip()
  const s = store.getState()
  const total = s.view.walk.hops.length
  const back = s.step
  s.pause()
  const encoded: Promise<Blob>[] = []
  try {
    for (let i = 0; i < total; i++) {
      store.getState().setExportStatus({ n: i + 1, total })
      store.getState().selectHop(i)
      await painted()
      const canvas = await canvasOf(stage, scale)
      encoded.push(pngOf(canvas))
    }
    ;(await Promise.all(encoded)).forEach((png, i) => zip.file(`step-${String(i + 1).padStart(2, '0')}.png`, png))
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
