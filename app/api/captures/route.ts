/**
 * GET: the captures the picker offers. POST: open a capture@1 file (the body is the file's text,
 * `?name=` its file name); invalid → 400 with a message naming the bad field.
 */
import { listCaptures } from '@/server/captures'
import { openCapture } from '@/server/walk-service'

export const dynamic = 'force-dynamic'

export function GET() {
  return Response.json({ captures: listCaptures() })
}

export async function POST(req: Request) {
  const name = new URL(req.url).searchParams.get('name') ?? undefined
  let text: string
  try {
    text = await req.text()
  } catch (e) {
    return Response.json({ error: `could not read the request body: ${String(e)}` }, { status: 400 })
  }
  if (!text.trim()) return Response.json({ error: 'invalid capture: the file is empty' }, { status: 400 })
  const r = openCapture(text, name?.slice(0, 200))
  return r.ok ? Response.json({ view: r.view }) : Response.json({ error: r.error }, { status: r.status })
}
