'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'

/** Chooses among the embedded demo captures and the files opened in this server's session. */
export function CapturePicker() {
  const t = useT()
  const captures = useWalk((s) => s.captures)
  const current = useWalk((s) => s.view.capture.id)
  const busy = useWalk((s) => s.busy)
  const openCapture = useWalk((s) => s.openCapture)
  const embedded = captures.filter((c) => c.embedded)
  const uploaded = captures.filter((c) => !c.embedded)
  return (
    <label className="flex min-w-0 items-center gap-2 text-sm">
      <span className="text-muted font-semibold">{t('header.capture')}</span>
      <select
        data-testid="capture-picker"
        className="border-line bg-bg text-fg max-w-[15rem] min-w-0 truncate 2xl:max-w-[20rem] rounded-md border px-2 py-1"
        value={current}
        disabled={busy}
        aria-label={t('header.capture')}
        onChange={(e) => void openCapture(e.target.value)}
      >
        <optgroup label={t('header.embedded')}>
          {embedded.map((c) => (
            <option key={c.id} value={c.id}>{c.title}</option>
          ))}
        </optgroup>
        {uploaded.length > 0 && (
          <optgroup label={t('header.uploaded')}>
            {uploaded.map((c) => (
              <option key={c.id} value={c.id}>{c.title}</option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  )
}
