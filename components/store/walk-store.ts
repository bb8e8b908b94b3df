/**
 * The page's one store (zustand vanilla, one per page through context): which capture and hop
 * are shown, playback, theme, language, projection, and the windows of output held so far.
 * Actions are named verbs; those that need the server call the injected `WalkApi`, so leaf
 * components never fetch and the store is tested without a network.
 */
import { createStore } from 'zustand/vanilla'
import type { Lang, MessageKey } from '@/lib/i18n'
import { mergeChunks } from '@/lib/view/evidence-windows'
import type { CaptureSummary, WalkView } from '@/lib/view/walk-view'
import type { WalkApi } from './walk-api'

export type Theme = 'light' | 'dark'
export const SPEEDS = [0.5, 1, 2, 4] as const
export type Speed = (typeof SPEEDS)[number]
/** Time the packet rests on a hop while playing, at speed 1. */
export const STEP_MS = 2200

/** A message for the user, by i18n key so it follows language switches. */
export type Notice = { kind: 'error' | 'info'; key: MessageKey; params?: Record<string, string> } | null

/** Turns a failed server answer into a notice: 400 means the file was rejected, 410 that the capture was evicted. */
function failure(r: { error: string; status?: number }, id?: string): Notice {
  if (r.status === 410 && id) return { kind: 'error', key: 'error.evicted', params: { id } }
  return r.status === 400
    ? { kind: 'error', key: 'error.invalid', params: { error: r.error.replace(/^invalid capture: /, '') } }
    : { kind: 'error', key: 'error.network', params: { error: r.error } }
}

export interface WalkState {
  view: WalkView
  captures: CaptureSummary[]
  step: number
  /** The step the packet comes from, so the canvas animates along the right edge. */
  prevStep: number | null
  playing: boolean
  speed: Speed
  theme: Theme
  lang: Lang
  projection: boolean
  busy: boolean
  notice: Notice
  exportStatus: { n: number; total: number } | null
  /** Which walk of the capture is shown: the request or its reply. */
  direction: Direction
  /** Both walks of the current capture, once known (`reply: null` when the engine has none). */
  walks: { request: WalkView; reply?: WalkView | null }
  /** Predict mode (self-study): the student guesses each hop before it is shown. */
  predict: boolean
}

export type Direction = 'request' | 'reply'

export interface WalkActions {
  selectHop: (step: number) => void
  next: () => void
  prev: () => void
  first: () => void
  last: () => void
  play: () => void
  pause: () => void
  togglePlay: () => void
  setSpeed: (speed: Speed) => void
  setTheme: (theme: Theme) => void
  setLang: (lang: Lang) => void
  setProjection: (on: boolean) => void
  setNotice: (notice: Notice) => void
  setExportStatus: (s: { n: number; total: number } | null) => void
  setPredict: (on: boolean) => void
  openCapture: (id: string) => Promise<void>
  uploadCapture: (file: Blob | string, fileName: string) => Promise<void>
  loadMoreLines: (key: string, from: number, count: number) => Promise<void>
  /** Asks the server for the reply walk of the current capture (the switch shows only if there is one). */
  probeReply: () => Promise<void>
  setDirection: (direction: Direction) => void
}

export type WalkStore = WalkState & WalkActions

export type InitialState = Pick<WalkState, 'view' | 'captures' | 'step' | 'theme' | 'lang'> & { notice?: Notice }

const clamp = (step: number, view: WalkView) => Math.max(0, Math.min(step, view.walk.hops.length - 1))

export function createWalkStore(init: InitialState, api: WalkApi) {
  return createStore<WalkStore>()((set, get) => {
    const go = (step: number) => {
      const s = get()
      const target = clamp(step, s.view)
      if (target !== s.step) set({ step: target, prevStep: s.step })
    }
    const showView = (view: WalkView) =>
      set((s) => ({
        view,
        walks: { request: view },
        direction: 'request',
        step: 0,
        prevStep: null,
        playing: false,
        captures: s.captures.some((c) => c.id === view.capture.id) ? s.captures : [...s.captures, view.capture],
      }))
    return {
      ...init,
      step: clamp(init.step, init.view),
      prevStep: null,
      playing: false,
      speed: 1,
      projection: false,
      busy: false,
      notice: init.notice ?? null,
      exportStatus: null,
      direction: 'request',
      walks: { request: init.view },
      predict: false,
      selectHop: (step) => go(step),
      next: () => {
        const s = get()
        if (s.step >= s.view.walk.hops.length - 1) set({ playing: false })
        else go(s.step + 1)
      },
      prev: () => go(get().step - 1),
      first: () => go(0),
      last: () => go(get().view.walk.hops.length - 1),
      // Playing from the last hop starts over, as a media player does.
      play: () => {
        const s = get()
        if (s.view.walk.hops.length < 2) return
        if (s.step >= s.view.walk.hops.length - 1) set({ step: 0, prevStep: null })
        set({ playing: true })
      },
      pause: () => set({ playing: false }),
      togglePlay: () => (get().playing ? get().pause() : get().play()),
      setSpeed: (speed) => set({ speed }),
      setTheme: (theme) => set({ theme }),
      setLang: (lang) => set({ lang }),
      setProjection: (projection) => set({ projection }),
      setNotice: (notice) => set({ notice }),
      setExportStatus: (exportStatus) => set({ exportStatus }),
      setPredict: (predict) => set({ predict, playing: false }),
      openCapture: async (id) => {
        if (id === get().view.capture.id) return
        set({ busy: true, playing: false })
        const r = await api.fetchView(id)
        if (r.ok) showView(r.view)
        set({ busy: false, notice: r.ok ? null : failure(r, id) })
      },
      // The current walk stays on screen when a file is rejected; only the message changes.
      uploadCapture: async (file, fileName) => {
        set({ busy: true, playing: false })
        const r = await api.upload(file, fileName)
        if (r.ok) showView(r.view)
        set({ busy: false, notice: r.ok ? null : failure(r) })
      },
      probeReply: async () => {
        const request = get().walks.request
        if (get().walks.reply !== undefined) return
        const r = await api.fetchView(request.capture.id, 'reply')
        // Another capture may have been opened meanwhile: keep the answer only for this one.
        if (get().walks.request.capture.id !== request.capture.id) return
        set((s) => ({ walks: { request: s.walks.request, reply: r.ok ? r.view : null } }))
      },
      setDirection: (direction) => {
        const s = get()
        const view = direction === 'reply' ? s.walks.reply : s.walks.request
        if (!view || direction === s.direction) return
        set({ direction, view, step: 0, prevStep: null, playing: false })
      },
      loadMoreLines: async (key, from, count) => {
        const out = get().view.outputs[key]
        if (!out) return
        const r = await api.fetchLines(get().view.capture.id, out, from, count)
        if (!r.ok) return set({ notice: failure(r, get().view.capture.id) })
        const latest = get().view
        const cur = latest.outputs[key]
        if (!cur || latest.capture.id !== r.captureId) return
        const chunks = mergeChunks(cur.chunks, { from: r.from, lines: r.lines })
        const view = { ...latest, outputs: { ...latest.outputs, [key]: { ...cur, chunks } } }
        const walks = get().direction === 'reply' ? { ...get().walks, reply: view } : { ...get().walks, request: view }
        set({ view, walks })
      },
    }
  })
}

export type WalkStoreApi = ReturnType<typeof createWalkStore>
