/**
 * Uploaded captures hold real outputs of someone's nodes (iptables-save, conntrack…): with a
 * token they are shown only to its holders, unless the server is read-only (which exists to
 * show its captures). The demos are public.
 */
import { captureStore } from '@/server/captures'
import { uploadsHidden } from './guard'
import type { Guarded } from './route'

/** A 401 response when `id` is an upload this asker may not see, else undefined. */
export function captureVisible(req: Request, g: Guarded, id: string): Response | undefined {
  return !g.seesUploads && captureStore().isUpload(id) ? uploadsHidden(req, g.cfg) : undefined
}
