import { route } from '@/server/http/route'
import { captureHandler } from '@/server/kube/handlers'

export const dynamic = 'force-dynamic'
export const runtime = 'nodejs'

/** Streams the capture's progress as NDJSON, then the capture itself. */
export const POST = route('live', captureHandler)
