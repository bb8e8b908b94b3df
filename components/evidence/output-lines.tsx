'use client'
import { Fragment } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { OutputWindow } from '@/lib/view/walk-view'

const MORE = 50

/** "⋯ 1 234 lines not shown" with buttons that fetch the lines next to what is shown. */
function Gap({ out, from, to, above, below }: { out: OutputWindow; from: number; to: number; above: boolean; below: boolean }) {
  const t = useT()
  const load = useWalk((s) => s.loadMoreLines)
  const n = to - from + 1
  const btn = 'cursor-pointer rounded border border-current px-1.5 py-0.5 text-[0.7rem] opacity-90 hover:opacity-100'
  return (
    <div className="flex flex-wrap items-center gap-2 px-2 py-1 text-xs italic opacity-80" data-testid="output-gap">
      <span>⋯ {t('evidence.hidden', { n })}</span>
      {below && (
        <button type="button" className={btn} onClick={() => void load(out.key, from, Math.min(MORE, n))}>
          {t('evidence.moreBelow', { n: Math.min(MORE, n) })}
        </button>
      )}
      {above && (
        <button type="button" className={btn} onClick={() => void load(out.key, Math.max(from, to - MORE + 1), Math.min(MORE, n))}>
          {t('evidence.moreAbove', { n: Math.min(MORE, n) })}
        </button>
      )}
    </div>
  )
}

/** The numbered lines of a window; proof lines get a background, a ▶ marker and bold text. */
export function OutputLines({ out, proof }: { out: OutputWindow; proof: number[] }) {
  const t = useT()
  const proofSet = new Set(proof)
  const width = String(out.totalLines).length
  if (out.totalLines === 0) return <p className="px-2 text-sm italic opacity-75">{t('evidence.empty')}</p>
  let next = 1
  return (
    <div className="font-mono text-[0.8rem] leading-[1.35]" role="list">
      {out.chunks.map((c) => {
        const gap = c.from > next ? <Gap out={out} from={next} to={c.from - 1} above below={next > 1} /> : null
        next = c.from + c.lines.length
        return (
          <Fragment key={c.from}>
            {gap}
            {c.lines.map((line, i) => {
              const n = c.from + i
              const isProof = proofSet.has(n)
              return (
                <div
                  key={n}
                  role="listitem"
                  data-line={n}
                  data-proof={isProof}
                  className={`flex ${isProof ? 'bg-proof border-proof-bar border-l-4 font-bold' : 'border-l-4 border-transparent'}`}
                >
                  <span className="w-[calc(var(--w)*1ch+1rem)] shrink-0 pr-2 text-right opacity-60 select-none" style={{ ['--w' as string]: width }}>
                    {n}
                  </span>
                  <span aria-hidden className="w-4 shrink-0 select-none">{isProof ? '▶' : ''}</span>
                  {isProof && <span className="sr-only">{t('evidence.proofLine')}: </span>}
                  <span className="min-w-0 pr-2 break-all whitespace-pre-wrap">{line || ' '}</span>
                </div>
              )
            })}
          </Fragment>
        )
      })}
      {next <= out.totalLines && <Gap out={out} from={next} to={out.totalLines} above={false} below />}
    </div>
  )
}
