/** GET: the walk view of one capture (the walk, evidence resolved, output windows); `?direction=reply` for the reply walk. */
import { walkViewFor } from '@/server/walk-service'

export const dynamic = 'force-dynamic'

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params
  const r = walkViewFor(id, new URL(req.url).searchParams.get('direction') === 'reply' ? 'reply' : 'request')
  return r.ok ? Response.json({ view: r.view }) : Response.json({ error: r.error }, { status: r.status })
}
