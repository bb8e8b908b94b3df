import { route } from '@/server/http/route'
import { podsHandler } from '@/server/kube/handlers'

export const dynamic = 'force-dynamic'
export const runtime = 'nodejs'

export const GET = route('live', podsHandler)
