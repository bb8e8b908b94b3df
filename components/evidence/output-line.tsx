'use client'
import { useT } from '@/components/store/use-t'

/** One numbered output line; a proof line gets a background, a ▶ marker and bold text (not colour alone). */
export function OutputLine({ n, text, proof, width }: { n: number; text: string; proof: boolean; width: number }) {
  const t = useT()
  return (
    <div
      role="listitem"
      data-line={n}
      data-proof={proof}
      className={`flex ${proof ? 'bg-proof border-proof-bar border-l-4 font-bold' : 'border-l-4 border-transparent'}`}
    >
      <span className="w-[calc(var(--w)*1ch+0.6rem)] shrink-0 pr-1.5 text-right opacity-60 select-none" style={{ ['--w' as string]: width }}>
        {n}
      </span>
      <span aria-hidden className="w-3.5 shrink-0 select-none">{proof ? '▶' : ''}</span>
      {proof && <span className="sr-only">{t('evidence.proofLine')}: </span>}
      <span className="min-w-0 pr-2 break-all whitespace-pre-wrap">{text || ' '}</span>
    </div>
  )
}
