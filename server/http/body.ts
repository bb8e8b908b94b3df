/**
 * Request bodies read under a limit: a Content-Length over the limit is refused before one byte
 * is read, a body without one is refused unread (411), and the declared length is counted while
 * the body streams, so a huge body never sits in memory.
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

/**
 * The body, when it declares a length within `limit`. Over the limit: 413 before a byte is read.
 * No length (chunked): 411, also unread — browsers always send a length for a file or a string,
 * and a body of unknown length would have to be held in memory to find out it is too large.
 * The declared length is then enforced while the body streams: reading stops at the first byte
 * past it (or past the limit) and the rest is never read.
 */
export async function readBody(req: Request, limit: number): Promise<BodyResult> {
  const declared = req.headers.get('content-length')
  if (declared === null) {
    if (!req.body) return { ok: true, bytes: new Uint8Array(0) }
    await req.body.cancel().catch(() => undefined)
    return { ok: false, response: refusal(411, `send the body with a Content-Length (at most ${size(limit)}); bodies of unknown length are not accepted`, 'length-required', { Connection: 'close' }) }
  }
  if (!/^\d{1,15}$/.test(declared.trim())) return { ok: false, response: refusal(400, 'bad Content-Length', 'bad-request') }
  const expected = Number(declared.trim())
  if (expected > limit) {
    await req.body?.cancel().catch(() => undefined)
    return { ok: false, response: tooLarge(limit, expected) }
  }
  if (!req.body || expected === 0) return { ok: true, bytes: new Uint8Array(0) }
  const reader = req.body.getReader()
  const buf = new Uint8Array(expected)
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (total + value.byteLength > expected) {
        await reader.cancel().catch(() => undefined)
        return { ok: false, response: refusal(400, `the body is longer than its Content-Length (${expected} bytes)`, 'bad-request', { Connection: 'close' }) }
      }
      buf.set(value, total)
      total += value.byteLength
    }
  } catch (e) {
    return { ok: false, response: refusal(400, `could not read the request body: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300), 'bad-request') }
  }
  return { ok: true, bytes: total === expected ? buf : buf.subarray(0, total) }
}
