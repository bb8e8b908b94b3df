/** GET: the walk view of one capture (the walk, evidence resolved, output windows); `?direction=reply` for the reply walk. */
import { captureVisible } from '@/server/http/visible'
import { route } from '@/server/http/route'
import { walkViewFor } from '@/server/walk-service'

export const dynamic = 'force-dynamic'

export const GET = route('read', (req, g) => {
  const id = g.params.id ?? ''
  const hidden = captureVisible(req, g, id)
  if (hidden) return hidden
  const direction = new URL(req.url).searchParams.get('direction') === 'reply' ? 'reply' : 'request'
  const r = walkViewFor(id, direction)
  return r.ok ? Response.json({ view: r.view }) : Response.json({ error: r.error, kind: r.status === 410 ? 'evicted' : 'not-found' }, { status: r.status })
})
