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
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > limit) {
        chunks.length = 0
        await reader.cancel().catch(() => undefined)
        return { ok: false, response: tooLarge(limit) }
      }
      chunks.push(value)
    }
  } catch (e) {
    return { ok: false, response: refusal(400, `could not read the request body: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300), 'bad-request') }
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0] as Uint8Array }
  const bytes = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    bytes.set(c, at)
    at += c.byteLength
  }
  return { ok: true, bytes }
}
