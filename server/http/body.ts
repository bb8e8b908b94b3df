/**
 * Request bodies read under a limit, while they stream: a Content-Length over the limit is
 * refused before one byte is read, and a body without one (chunked) is counted as it arrives and
 * abandoned at the limit, so a huge body never sits in memory.
 */
import { refusal } from './guard'

const MB = 1024 * 1024
/** Default upload limit; `--max-upload-mb N` (PACKETWALK_MAX_UPLOAD_MB) changes it. */
export const DEFAULT_MAX_UPLOAD_MB = 100

export function maxUploadBytes(env: Record<string, string | undefined> = process.env): number {
  const v = Number(env.PACKETWALK_MAX_UPLOAD_MB)
  return Number.isFinite(v) && v > 0 ? Math.floor(v * MB) : DEFAULT_MAX_UPLOAD_MB * MB
}

const size = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${n} bytes`)

export function tooLarge(limit: number, got?: number): Response {
  const what = got === undefined ? `the body is larger than ${size(limit)}` : `the body is ${size(got)}`
  return refusal(413, `${what}; this server accepts uploads up to ${size(limit)} (start it with --max-upload-mb N to change that)`, 'too-large', { Connection: 'close' })
}

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; response: Response }

export async function readBody(req: Request, limit: number): Promise<BodyResult> {
  const declared = req.headers.get('content-length')
  let expected: number | undefined
  if (declared !== null) {
    if (!/^\d{1,15}$/.test(declared.trim())) return { ok: false, response: refusal(400, 'bad Content-Length', 'bad-request') }
    expected = Number(declared.trim())
    if (expected > limit) {
      await req.body?.cancel().catch(() => undefined)
      return { ok: false, response: tooLarge(limit, expected) }
    }
  }
  if (!req.body) return { ok: true, bytes: new Uint8Array(0) }
  const reader = req.body.getReader()
  // One buffer that grows by doubling (large buffers are mapped and unmapped whole), rather than
  // thousands of retained 64 KB chunks that fragment the heap: memory returns after a refusal.
  let buf = new Uint8Array(Math.min(expected ?? 1024 * 1024, limit))
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (total + value.byteLength > limit) {
        buf = new Uint8Array(0)
        await reader.cancel().catch(() => undefined)
        return { ok: false, response: tooLarge(limit) }
      }
      if (total + value.byteLength > buf.byteLength) {
        const next = new Uint8Array(Math.min(limit, Math.max(buf.byteLength * 2, total + value.byteLength)))
        next.set(buf.subarray(0, total))
        buf = next
      }
      buf.set(value, total)
      total += value.byteLength
    }
  } catch (e) {
    return { ok: false, response: refusal(400, `could not read the request body: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300), 'bad-request') }
  }
  return { ok: true, bytes: total === buf.byteLength ? buf : buf.subarray(0, total) }
}
