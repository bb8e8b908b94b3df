'use client'
import { useRef } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { OpenIcon } from '@/components/ui/icons'
import { btn } from '@/components/ui/button-styles'

/** Opens a capture@1 file from disk; the store sends it to the server, which validates it. */
export function OpenFileButton() {
  const t = useT()
  const input = useRef<HTMLInputElement>(null)
  const upload = useWalk((s) => s.uploadCapture)
  const setNotice = useWalk((s) => s.setNotice)
  const busy = useWalk((s) => s.busy)
  const onFile = async (file: File | undefined) => {
    if (!file) return
    try {
      await upload(file, file.name)
    } catch (e) {
      setNotice({ kind: 'error', key: 'error.read', params: { error: String(e) } })
    }
    if (input.current) input.current.value = ''
  }
  return (
    <>
      <button type="button" className={btn} disabled={busy} title={t('header.openLabel')} data-testid="open-file" onClick={() => input.current?.click()}>
        <OpenIcon />
        {t('header.open')}
      </button>
      <input
        ref={input}
        data-testid="capture-file"
        type="file"
        accept=".json,application/json"
        className="sr-only"
        tabIndex={-1}
        aria-hidden
        onChange={(e) => void onFile(e.target.files?.[0])}
      />
      {busy && <span className="text-muted text-sm" role="status" aria-live="polite">…</span>}
    </>
  )
}
