/** GET: the capture's walk exactly as the engine produced it (packetwalk/walk@1). */
import { walkFor } from '@/server/walk-service'

export const dynamic = 'force-dynamic'

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params
  const walk = walkFor(id)
  return walk ? Response.json(walk) : Response.json({ error: `unknown capture ${id}` }, { status: 404 })
}
