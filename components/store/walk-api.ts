/**
 * The store's link to the server, injected so tests can replace it. `httpWalkApi` is the real
 * one: it calls the app's API routes (the top-level controller's fetches live here, not in leaves).
 */
import type { OutputWindow, WalkView } from '@/lib/view/walk-view'

export type Failure = { ok: false; error: string; status?: number }
export type ViewResponse = { ok: true; view: WalkView } | Failure
export type LinesResponse =
  | { ok: true; captureId: string; from: number; lines: string[]; totalLines: number }
  | Failure

export interface WalkApi {
  /** `reply`: the reply walk of the capture (a 404 when the engine has none). */
  fetchView: (id: string, direction?: 'request' | 'reply') => Promise<ViewResponse>
  /** Sends the file itself (a Blob streams as is; no 50 MB string copy in the page). */
  upload: (file: Blob | string, fileName: string) => Promise<ViewResponse>
  fetchLines: (captureId: string, out: OutputWindow, from: number, count: number) => Promise<LinesResponse>
}

async function asJson<T>(res: Promise<Response>): Promise<T | Failure> {
  try {
    const r = await res
    const body = (await r.json()) as T | { error?: string }
    if (!r.ok) return { ok: false, status: r.status, error: (body as { error?: string }).error ?? `HTTP ${r.status}` }
    return body as T
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
}

export const httpWalkApi: WalkApi = {
  fetchView: async (id, direction = 'request') => {
    const q = direction === 'reply' ? '?direction=reply' : ''
    const r = await asJson<{ view: WalkView }>(fetch(`/api/captures/${encodeURIComponent(id)}${q}`))
    return 'view' in r ? { ok: true, view: r.view } : r
  },
  upload: async (file, fileName) => {
    const r = await asJson<{ view: WalkView }>(
      fetch(`/api/captures?name=${encodeURIComponent(fileName)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: file,
      }),
    )
    return 'view' in r ? { ok: true, view: r.view } : r
  },
  fetchLines: async (captureId, out, from, count) => {
    const q = new URLSearchParams({ host: out.host, run: String(out.run), stream: out.stream, from: String(from), count: String(count) })
    const r = await asJson<{ from: number; lines: string[]; totalLines: number }>(
      fetch(`/api/captures/${encodeURIComponent(captureId)}/lines?${q}`),
    )
    return 'lines' in r ? { ok: true, captureId, ...r } : r
  },
}
