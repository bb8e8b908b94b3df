'use client'
import { Fragment } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { OutputWindow } from '@/lib/view/walk-view'
import { OutputLine } from './output-line'

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

/** The numbered lines of a window, unfolded: every line held, gaps with buttons that fetch more. */
export function OutputLines({ out, proof }: { out: OutputWindow; proof: number[] }) {
  const t = useT()
  const proofSet = new Set(proof)
  const width = String(out.totalLines).length
  if (out.totalLines === 0) return <p className="px-2 text-sm italic opacity-75">{t('evidence.empty')}</p>
  let next = 1
  return (
    <div className="font-mono text-[0.8rem] leading-[1.3]" role="list">
      {out.chunks.map((c) => {
        const gap = c.from > next ? <Gap out={out} from={next} to={c.from - 1} above below={next > 1} /> : null
        next = c.from + c.lines.length
        return (
          <Fragment key={c.from}>
            {gap}
            {c.lines.map((line, i) => (
              <OutputLine key={c.from + i} n={c.from + i} text={line} proof={proofSet.has(c.from + i)} width={width} />
            ))}
          </Fragment>
        )
      })}
      {next <= out.totalLines && <Gap out={out} from={next} to={out.totalLines} above={false} below />}
    </div>
  )
}
