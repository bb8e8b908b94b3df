'use client'
import { useEffect, useRef } from 'react'
import { useWalk } from '@/components/store/walk-store-provider'
import { useT } from '@/components/store/use-t'
import type { ResolvedEvidence } from '@/lib/view/walk-view'
import { OutputLines } from './output-lines'
import { hostLabel } from '@/lib/i18n/host-phrase'

/**
 * One command's output as a terminal prints it: `# command`, then numbered lines, the lines
 * that prove the hop highlighted (background, ▶ marker and bold) and scrolled into view.
 */
export function TerminalOutput({ evidence }: { evidence: ResolvedEvidence }) {
  const t = useT()
  const out = useWalk((s) => (evidence.key ? s.view.outputs[evidence.key] : undefined))
  const label = useWalk((s) => hostLabel(s.view.hosts, evidence.host, s.view.walk.flow.source.ip))
  const scroller = useRef<HTMLDivElement>(null)
  const firstProof = evidence.lines[0]
  useEffect(() => {
    const box = scroller.current
    const el = box?.querySelector<HTMLElement>('[data-proof="true"]')
    if (box && el) box.scrollTop = Math.max(0, el.offsetTop - box.clientHeight / 3)
  }, [firstProof, out?.key])
  const shown = out?.chunks.reduce((n, c) => n + c.lines.length, 0) ?? 0
  const first = out?.chunks[0]?.from ?? 0
  const lastChunk = out?.chunks[out.chunks.length - 1]
  const last = lastChunk ? lastChunk.from + lastChunk.lines.length - 1 : 0
  return (
    <figure
      className="border-line bg-term text-term-fg min-w-0 overflow-hidden rounded-md border"
      data-testid="terminal"
      data-host={evidence.host}
      data-command={evidence.command}
      data-stream={out?.stream ?? 'stdout'}
    >
      <figcaption className="border-line flex flex-wrap items-baseline gap-x-3 border-b px-2 py-1 text-xs">
        <code className="text-[0.85rem] font-bold">
          <span aria-hidden className="select-none"># </span>
          {evidence.command}
        </code>
        <span className="opacity-75">{t('evidence.on', { host: label })}</span>
        {out && out.totalLines > shown && (
          <span className="opacity-75">{t('evidence.window', { from: first, to: last, total: out.totalLines })}</span>
        )}
        {out?.stream === 'stderr' && <span className="font-bold">⚠ {t('evidence.stderr')}</span>}
        {out && out.exitCode !== 0 && <span className="font-bold">{t('evidence.exit', { code: out.exitCode })}</span>}
      </figcaption>
      <div
        ref={scroller}
        className="relative max-h-[16rem] overflow-auto"
        data-scroll-freeze
        tabIndex={0}
        role="region"
        aria-label={`${evidence.command} — ${t('evidence.on', { host: label })}`}
      >
        <div className="py-1">
          {out ? (
            <OutputLines out={out} proof={evidence.lines} />
          ) : (
            <p className="px-2 text-sm italic">{evidence.command}: —</p>
          )}
        </div>
      </div>
    </figure>
  )
}
