/**
 * GET ?host=&run=&stream=&from=&count= : more lines of one output, at most 500 per request, so
 * the browser can scroll a 100,000-line conntrack dump without ever receiving all of it.
 */
import { getCapture, readLines } from '@/server/captures'

export const dynamic = 'force-dynamic'

const int = (v: string | null) => (v !== null && /^\d+$/.test(v) ? Number(v) : undefined)

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params
  const stored = getCapture(id)
  if (!stored) return Response.json({ error: `unknown capture ${id}` }, { status: 404 })
  const q = new URL(req.url).searchParams
  const host = q.get('host')
  const run = int(q.get('run'))
  const from = int(q.get('from'))
  const count = int(q.get('count'))
  const stream = q.get('stream') ?? 'stdout'
  if (!host || run === undefined || from === undefined || count === undefined || (stream !== 'stdout' && stream !== 'stderr'))
    return Response.json({ error: 'expected host, run, from, count (integers) and stream (stdout|stderr)' }, { status: 400 })
  const r = readLines(stored, { host, run, stream, from, count })
  return r.ok ? Response.json(r) : Response.json({ error: r.error }, { status: r.status })
}
