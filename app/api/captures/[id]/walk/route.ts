/** GET: the capture's walk exactly as the engine produced it (packetwalk/walk@1). */
import { captureVisible } from '@/server/http/visible'
import { route } from '@/server/http/route'
import { walkFor } from '@/server/walk-service'

export const dynamic = 'force-dynamic'

export const GET = route('read', (req, g) => {
  const id = g.params.id ?? ''
  const hidden = captureVisible(req, g, id)
  if (hidden) return hidden
  const r = walkFor(id)
  return r.ok ? Response.json(r.walk) : Response.json({ error: r.error, kind: r.status === 410 ? 'evicted' : 'not-found' }, { status: r.status })
})
