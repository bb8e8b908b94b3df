'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { WarnIcon } from '@/components/ui/icons'

/** Errors (rejected file, unknown capture) and notices, announced to screen readers. */
export function NoticeBar() {
  const t = useT()
  const notice = useWalk((s) => s.notice)
  const setNotice = useWalk((s) => s.setNotice)
  if (!notice) return <div aria-live="assertive" />
  return (
    <div
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid="notice"
      className={`mx-3 mt-2 flex items-start gap-2 rounded-md border-2 px-3 py-2 text-sm ${notice.kind === 'error' ? 'border-warn' : 'border-line'}`}
    >
      {notice.kind === 'error' && <WarnIcon className="text-warn mt-0.5 shrink-0" />}
      <p className="min-w-0 flex-1 break-words">{t(notice.key, notice.params)}</p>
      <button type="button" className="border-line cursor-pointer rounded border px-2 text-xs" onClick={() => setNotice(null)}>
        {t('error.dismiss')}
      </button>
    </div>
  )
}
