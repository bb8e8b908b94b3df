/**
 * GET: the captures the picker offers. POST: open a capture@1 file (the body is the file's text,
 * `?name=` its file name); invalid → 400 with a message naming the bad field.
 */
import { listCaptures, type Timings } from '@/server/captures'
import { openCapture } from '@/server/walk-service'

export const dynamic = 'force-dynamic'

export function GET() {
  return Response.json({ captures: listCaptures() })
}

export async function POST(req: Request) {
  const name = new URL(req.url).searchParams.get('name') ?? undefined
  const t0 = performance.now()
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await req.arrayBuffer())
  } catch (e) {
    return Response.json({ error: `could not read the request body: ${String(e)}` }, { status: 400 })
  }
  if (bytes.byteLength === 0) return Response.json({ error: 'invalid capture: the file is empty' }, { status: 400 })
  const timings: Timings = { read: performance.now() - t0 }
  const r = openCapture(bytes, name?.slice(0, 200), timings)
  const headers = { 'Server-Timing': Object.entries(timings).map(([k, v]) => `${k};dur=${v.toFixed(1)}`).join(', ') }
  return r.ok ? Response.json({ view: r.view }, { headers }) : Response.json({ error: r.error }, { status: r.status, headers })
}
