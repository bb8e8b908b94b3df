import { route } from '@/server/http/route'

export const dynamic = 'force-dynamic'

export const GET = route('health', () => Response.json({ ok: true }))
