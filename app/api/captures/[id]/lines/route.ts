/**
 * GET ?host=&run=&stream=&from=&count= : more lines of one output, at most 500 per request, so
 * the browser can scroll a 100,000-line conntrack dump without ever receiving all of it.
 */
import { lookupCapture, readLines } from '@/server/captures'
import { refusal } from '@/server/http/guard'
import { captureVisible } from '@/server/http/visible'
import { route } from '@/server/http/route'

export const dynamic = 'force-dynamic'

const int = (v: string | null) => (v !== null && /^\d{1,9}$/.test(v) ? Number(v) : undefined)

export const GET = route('read', (req, g) => {
  const id = g.params.id ?? ''
  const hidden = captureVisible(req, g, id)
  if (hidden) return hidden
  const found = lookupCapture(id)
  if (!found.found) return refusal(found.status, found.error, found.status === 410 ? 'evicted' : 'not-found')
  const q = new URL(req.url).searchParams
  const host = q.get('host')
  const run = int(q.get('run'))
  const from = int(q.get('from'))
  const count = int(q.get('count'))
  const stream = q.get('stream') ?? 'stdout'
  const bad = !host ? 'host' : run === undefined ? 'run' : from === undefined ? 'from' : count === undefined ? 'count' : stream !== 'stdout' && stream !== 'stderr' ? 'stream' : undefined
  if (bad || !host || run === undefined || from === undefined || count === undefined || (stream !== 'stdout' && stream !== 'stderr'))
    return refusal(400, `bad "${bad}": expected host, run, from, count (integers) and stream (stdout|stderr)`, 'invalid-input')
  const r = readLines(found.stored, { host, run, stream, from, count })
  return r.ok ? Response.json(r) : refusal(r.status, r.error, 'not-found')
})
