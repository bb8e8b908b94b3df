import { handleNamespaces } from '@/server/kube/handlers'

export const dynamic = 'force-dynamic'
export const runtime = 'nodejs'

export function GET(req: Request): Promise<Response> {
  return handleNamespaces(req)
}
