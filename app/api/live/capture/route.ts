import { handleCapture } from '@/server/kube/handlers'

export const dynamic = 'force-dynamic'
export const runtime = 'nodejs'

/** Streams the capture's progress as NDJSON, then the capture itself. */
export function POST(req: Request): Promise<Response> {
  return handleCapture(req)
}
