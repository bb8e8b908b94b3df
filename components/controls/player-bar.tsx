'use client'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import { SPEEDS, type Speed } from '@/components/store/walk-store'
import { FirstIcon, LastIcon, NextIcon, PauseIcon, PlayIcon, PrevIcon } from '@/components/ui/icons'
import { iconBtn } from '@/components/ui/button-styles'
import { HopTimeline } from './hop-timeline'

/**
 * Player: first/previous/play/next/last, speed, and the hop timeline. At either end the buttons
 * are aria-disabled, not disabled, so the one holding keyboard focus keeps it (the store clamps).
 */
export function PlayerBar() {
  const t = useT()
  const s = useWalk((st) => st)
  const total = s.view.walk.hops.length
  const atStart = s.step <= 0
  const atEnd = s.step >= total - 1
  return (
    <div className="border-line bg-panel flex items-center gap-2 border-t px-3 py-1.5" data-export="skip" data-testid="player">
      <div className="flex shrink-0 items-center gap-1" role="group" aria-label={t('controls.hops')}>
        <button type="button" className={iconBtn} onClick={s.first} aria-disabled={atStart} aria-label={t('controls.first')} title={`${t('controls.first')} (Home)`}>
          <FirstIcon />
        </button>
        <button type="button" className={iconBtn} onClick={s.prev} aria-disabled={atStart} aria-label={t('controls.prev')} title={`${t('controls.prev')} (←)`} data-testid="prev">
          <PrevIcon />
        </button>
        <button
          type="button"
          className={`${iconBtn} !bg-accent !text-accent-fg !border-accent h-10 w-10`}
          onClick={s.togglePlay}
          aria-label={s.playing ? t('controls.pause') : t('controls.play')}
          title={`${s.playing ? t('controls.pause') : t('controls.play')} (space)`}
          data-testid="play"
          data-playing={s.playing}
        >
          {s.playing ? <PauseIcon /> : <PlayIcon />}
        </button>
        <button type="button" className={iconBtn} onClick={s.next} aria-disabled={atEnd} aria-label={t('controls.next')} title={`${t('controls.next')} (→)`} data-testid="next">
          <NextIcon />
        </button>
        <button type="button" className={iconBtn} onClick={s.last} aria-disabled={atEnd} aria-label={t('controls.last')} title={`${t('controls.last')} (End)`}>
          <LastIcon />
        </button>
      </div>
      <label className="flex shrink-0 items-center gap-1 text-sm">
        <span className="text-muted pw-no-projection hidden xl:inline">{t('controls.speed')}</span>
        <select
          className="border-line bg-bg rounded-md border px-1 py-1"
          value={s.speed}
          aria-label={t('controls.speed')}
          onChange={(e) => s.setSpeed(Number(e.target.value) as Speed)}
        >
          {SPEEDS.map((v) => (
            <option key={v} value={v}>{v}×</option>
          ))}
        </select>
      </label>
      <HopTimeline />
      {/* In projection the evidence heading already says "Hop n of m": here it stays for screen readers. */}
      <span className="pw-sr-projection shrink-0 font-mono text-sm font-bold" aria-live="polite" data-testid="step-label">
        {t('controls.step', { n: s.step + 1, total })}
      </span>
    </div>
  )
}
