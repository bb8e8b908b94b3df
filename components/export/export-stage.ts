/**
 * Slide export, loaded on demand (html-to-image, jszip and the PDF writer stay out of first-load
 * JS). Every export draws the same offscreen 16:9 slide (offscreen-slide.tsx): PNG at 1920×1080
 * or 3840×2160, SVG, a ZIP of every step, a PDF handout with a page per step.
 */
import { toCanvas, toSvg } from 'html-to-image'
import type { WalkStoreApi, WalkStore } from '@/components/store/walk-store'
import { pdfOfJpegs, type JpegPage } from '@/lib/export/pdf'
import { mountSlide, SLIDE_PX, type OffscreenSlide } from './offscreen-slide'

export { download } from './download'

const skip = (n: HTMLElement) => !(n instanceof HTMLElement && n.dataset?.export === 'skip')

/**
 * Readies the slide for html-to-image, which clones the DOM without scroll offsets (a terminal
 * scrolled to its proof line would export from its top): scrolled contents are shifted by their
 * offset, and `pw-exporting` (globals.css) gives React Flow's edge layer a real size (its
 * 300×150 SVG relies on overflow, which the rasterised clone clips).
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

/** The slide's CSS size, drawn onto a 1920×1080 × `scale` canvas. */
function options(slide: OffscreenSlide, scale: number) {
  return {
    pixelRatio: scale,
    width: slide.width,
    height: slide.height,
    canvasWidth: SLIDE_PX.width,
    canvasHeight: SLIDE_PX.height,
    backgroundColor: getComputedStyle(slide.frame).backgroundColor,
    filter: skip,
    // System fonts only (globals.css): nothing to embed, and no stylesheet walk to find out.
    skipFonts: true,
    fontEmbedCSS: '',
    includeStyleProperties: STYLE_PROPERTIES,
  }
}

async function canvasOf(slide: OffscreenSlide, scale: number): Promise<HTMLCanvasElement> {
  const thaw = freezeScroll(slide.frame)
  try {
    return await toCanvas(slide.frame, options(slide, scale))
  } finally {
    thaw()
  }
}

function blobOf(canvas: HTMLCanvasElement, type: 'image/png' | 'image/jpeg', quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser produced no image'))), type, quality),
  )
}

/** Runs `work` on a slide mounted for the page's current walk, then removes the slide. */
async function withSlide<T>(store: WalkStoreApi, work: (slide: OffscreenSlide) => Promise<T>, step?: number): Promise<T> {
  const slide = await mountSlide(store, step)
  try {
    return await work(slide)
  } finally {
    slide.dispose()
  }
}

/** The current step as a 16:9 PNG: 1920×1080 at scale 1, 3840×2160 at 2. */
export function exportPng(store: WalkStoreApi, scale: 1 | 2): Promise<Blob> {
  return withSlide(store, async (slide) => blobOf(await canvasOf(slide, scale), 'image/png'))
}

export function exportSvg(store: WalkStoreApi): Promise<Blob> {
  return withSlide(store, async (slide) => {
    const thaw = freezeScroll(slide.frame)
    try {
      const url = await toSvg(slide.frame, { ...options(slide, 1), canvasWidth: undefined, canvasHeight: undefined })
      return new Blob([decodeURIComponent(url.slice(url.indexOf(',') + 1))], { type: 'image/svg+xml' })
    } finally {
      thaw()
    }
  })
}

/** Calls `each` with every step's canvas in order, reporting progress on the page's store. */
async function everyStep(store: WalkStoreApi, scale: number, each: (canvas: HTMLCanvasElement, i: number) => void): Promise<void> {
  const total = store.getState().view.walk.hops.length
  store.getState().pause()
  try {
    await withSlide(store, async (slide) => {
      for (let i = 0; i < total; i++) {
        store.getState().setExportStatus({ n: i + 1, total })
        await slide.show(i)
        each(await canvasOf(slide, scale), i)
      }
    }, 0)
  } finally {
    store.getState().setExportStatus(null)
  }
}

/** Every step as step-01.png, step-02.png… A step's PNG is encoded while the next is drawn. */
export async function exportAllSteps(store: WalkStoreApi, scale: 1 | 2 = 1): Promise<Blob> {
  const { default: JSZip } = await import('jszip')
  const encoded: Promise<Blob>[] = []
  await everyStep(store, scale, (canvas) => encoded.push(blobOf(canvas, 'image/png')))
  const zip = new JSZip()
  ;(await Promise.all(encoded)).forEach((png, i) => zip.file(`step-${String(i + 1).padStart(2, '0')}.png`, png))
  return zip.generateAsync({ type: 'blob' })
}

/** A handout: every step as one 16:9 page (JPEG at 1920×1080). */
export async function exportPdf(store: WalkStoreApi): Promise<Blob> {
  const encoded: Promise<JpegPage>[] = []
  await everyStep(store, 1, (canvas) =>
    encoded.push(
      blobOf(canvas, 'image/jpeg', 0.88).then(async (b) => ({ jpeg: new Uint8Array(await b.arrayBuffer()), width: canvas.width, height: canvas.height })),
    ),
  )
  const s = store.getState()
  const pdf = pdfOfJpegs(await Promise.all(encoded), { title: `${s.view.capture.title} — packetwalk` })
  return new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' })
}

/** `packetwalk-<capture>-step-03` */
export function fileBase(s: Pick<WalkStore, 'view' | 'step'>): string {
  const id = s.view.capture.id.replace(/[^\w.-]+/g, '-')
  return `packetwalk-${id}-step-${String(s.step + 1).padStart(2, '0')}`
}
