'use client'
/**
 * The commands of a live capture as they run: a spinner while a command runs, then its exit
 * code and duration; truncation, time bounds and errors said in words, not only in colour.
 */
import type { MessageKey } from '@/lib/i18n'

export interface CommandRow {
  key: string
  hostId: string
  command: string
  done: boolean
  exitCode?: number
  durationMs?: number
  truncated?: boolean
  timedOut?: boolean
  error?: string
}

type T = (key: MessageKey, params?: Record<string, string | number>) => string

function Spinner({ label }: { label: string }) {
  return (
    <span className="inline-flex items-center gap-1.5" role="status">
      <span aria-hidden className="border-accent inline-block h-3.5 w-3.5 animate-spin rounded-full border-2 border-t-transparent" />
      {label}
    </span>
  )
}

export function ProgressList({ rows, t }: { rows: CommandRow[]; t: T }) {
  if (rows.length === 0) return null
  return (
    <table className="w-full border-collapse text-sm" data-testid="live-commands">
      <caption className="mb-1 text-left font-semibold">{t('live.commands')}</caption>
      <thead>
        <tr className="text-muted text-left">
          <th className="py-0.5 pr-3 font-medium">{t('live.host')}</th>
          <th className="py-0.5 pr-3 font-medium">{t('live.command')}</th>
          <th className="py-0.5 font-medium">{t('live.result')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const failed = r.done && (r.error !== undefined || (r.exitCode ?? 0) !== 0)
          return (
            <tr key={r.key} className="border-line border-t align-top" data-state={r.done ? (failed ? 'failed' : 'ok') : 'running'}>
              <td className="py-1 pr-3 whitespace-nowrap">{r.hostId}</td>
              <td className="py-1 pr-3 font-mono">{r.command}</td>
              <td className="py-1">
                {!r.done ? (
                  <Spinner label={t('live.running')} />
                ) : (
                  <span className={failed ? 'text-warn' : ''}>
                    {r.error && r.exitCode === -1 ? t('live.notRun') : t('live.exit', { code: r.exitCode ?? '?' })}
                    {` · ${r.durationMs ?? 0} ms`}
                    {r.truncated ? ` · ${t('live.truncated')}` : ''}
                    {r.timedOut ? ` · ${t('live.timedOut')}` : ''}
                    {r.error ? <span className="block text-xs">{r.error}</span> : null}
                  </span>
                )}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
