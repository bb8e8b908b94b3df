'use client'
import { useEffect, useRef, useState } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { ResolvedEvidence } from '@/lib/view/walk-view'
import { OutputLines } from './output-lines'
import { FoldedLines } from './folded-lines'
import { hostLabel } from '@/lib/i18n/host-phrase'

/**
 * One command's output as a terminal prints it: `# command`, then numbered lines with the lines
 * that prove the hop highlighted (background, ▶ marker and bold). Folded by default around the
 * proof lines (`context` lines each side, chosen by the evidence panel so that every proof fits);
 * unfolded, it shows every line held and scrolls to the first proof.
 */
export function TerminalOutput({ evidence, context, type }: { evidence: ResolvedEvidence; context: number; type: string }) {
  const t = useT()
  const out = useWalk((s) => (evidence.key ? s.view.outputs[evidence.key] : undefined))
  const label = useWalk((s) => hostLabel(s.view.hosts, evidence.host, s.view.walk.flow.source.ip))
  const [unfolded, setUnfolded] = useState(false)
  const scroller = useRef<HTMLDivElement>(null)
  const firstProof = evidence.lines[0]
  useEffect(() => {
    const box = scroller.current
    const el = box?.querySelector<HTMLElement>('[data-proof="true"]')
    if (unfolded && box && el) box.scrollTop = Math.max(0, el.offsetTop - box.clientHeight / 3)
  }, [firstProof, out?.key, unfolded])
  return (
    <figure
      className="border-line bg-term text-term-fg min-w-0 shrink-0 overflow-hidden rounded-md border"
      data-testid="terminal"
      data-host={evidence.host}
      data-command={evidence.command}
      data-stream={out?.stream ?? 'stdout'}
      data-folded={!unfolded}
    >
      <figcaption className="border-line flex flex-wrap items-baseline gap-x-2 border-b px-2 py-0.5 text-xs" data-testid="terminal-command">
        <code className={`${type === 'text-[0.8rem]' ? 'text-[0.85rem]' : type} font-bold break-all`}>
          <span aria-hidden className="select-none"># </span>
          {evidence.command}
        </code>
        <span className="opacity-75">{t('evidence.on', { host: label })}</span>
        {out?.stream === 'stderr' && <span className="font-bold">⚠ {t('evidence.stderr')}</span>}
        {out && out.exitCode !== 0 && <span className="font-bold">{t('evidence.exit', { code: out.exitCode })}</span>}
        {out && unfolded && (
          <button type="button" className="ml-auto cursor-pointer underline" onClick={() => setUnfolded(false)}>
            {t('evidence.fold')}
          </button>
        )}
      </figcaption>
      <div
        ref={scroller}
        className={unfolded ? 'relative max-h-[16rem] overflow-auto' : 'relative'}
        data-scroll-freeze
        tabIndex={0}
        role="region"
        aria-label={`${evidence.command} — ${t('evidence.on', { host: label })}`}
      >
        <div className="py-0.5">
          {!out ? (
            <p className="px-2 text-sm italic">{evidence.command}: —</p>
          ) : unfolded ? (
            <OutputLines out={out} proof={evidence.lines} />
          ) : (
            <FoldedLines out={out} proof={evidence.lines} context={context} type={type} onUnfold={() => setUnfolded(true)} />
          )}
        </div>
      </div>
    </figure>
  )
}
