/**
 * GET: the captures the picker offers. POST: open a capture@1 file (the body is the file's text,
 * `?name=` its file name); invalid → 400 with a message naming the bad field, too large → 413
 * before the body is read.
 */
import { listCaptures, type Timings } from '@/server/captures'
import { maxUploadBytes, readBody } from '@/server/http/body'
import { refusal } from '@/server/http/guard'
import { route } from '@/server/http/route'
import { openCapture } from '@/server/walk-service'

export const dynamic = 'force-dynamic'

export const GET = route('read', (_req, g) => Response.json({ captures: listCaptures(g.seesUploads) }, { headers: { 'Cache-Control': 'no-store' } }))

export const POST = route('upload', async (req) => {
  const name = new URL(req.url).searchParams.get('name') ?? undefined
  const t0 = performance.now()
  const body = await readBody(req, maxUploadBytes())
  if (!body.ok) return body.response
  if (body.bytes.byteLength === 0) return refusal(400, 'invalid capture: the file is empty', 'invalid')
  const timings: Timings = { read: performance.now() - t0 }
  const r = openCapture(body.bytes, name?.slice(0, 200), timings)
  const headers = { 'Server-Timing': Object.entries(timings).map(([k, v]) => `${k};dur=${v.toFixed(1)}`).join(', '), 'Cache-Control': 'no-store' }
  return r.ok ? Response.json({ view: r.view, evicted: r.evicted }, { headers }) : Response.json({ error: r.error, kind: 'invalid' }, { status: r.status, headers })
})
