'use client'
import { useT } from '@/components/store/use-t'
import { foldAround } from '@/lib/view/fold-lines'
import type { OutputWindow } from '@/lib/view/walk-view'
import { OutputLine } from './output-line'

/** The output folded around its proof lines: each run of other lines is one "⋯ n lines" button that unfolds the terminal. */
export function FoldedLines({ out, proof, context, type, onUnfold }: { out: OutputWindow; proof: number[]; context: number; type: string; onUnfold: () => void }) {
  const t = useT()
  const width = String(out.totalLines).length
  if (out.totalLines === 0) return <p className="px-2 text-sm italic opacity-75">{t('evidence.empty')}</p>
  return (
    <div className={`font-mono ${type} leading-[1.3]`} role="list">
      {foldAround(out, proof, context).map((p) =>
        p.kind === 'line' ? (
          <OutputLine key={p.n} n={p.n} text={p.text} proof={p.proof} width={width} />
        ) : (
          <div role="listitem" key={`f${p.from}`}>
            <button
              type="button"
              data-testid="output-fold"
              title={t('evidence.unfold')}
              onClick={onUnfold}
              className="w-full cursor-pointer px-2 text-left font-sans text-[0.7rem] leading-tight italic opacity-80 hover:opacity-100"
            >
              {p.to === p.from ? t('evidence.foldedOne') : t('evidence.folded', { n: p.to - p.from + 1 })}
            </button>
          </div>
        ),
      )}
    </div>
  )
}
