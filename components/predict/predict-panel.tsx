'use client'
/**
 * Predict mode: a drawer that asks, before the next hop is shown, where the packet goes, which
 * address it carries and which line decides; checks the answers, shows the proving line, then
 * reveals the hop. Hops not yet revealed are hidden on the canvas and in the timeline. A score
 * shows at the end of the walk.
 */
import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react'
import { useWalk, useWalkStoreApi } from '@/components/store/walk-store-provider'
import { hostLabel } from '@/lib/i18n/host-phrase'
import { translate } from '@/lib/i18n'
import { studyText } from '@/lib/study/messages'
import { predictions, score, type Prediction, type Question } from '@/lib/study/predict'
import { btn, primaryBtn } from '@/components/ui/button-styles'

/** CSS that hides every hop after `step` (node, edge into it, timeline button). */
function hideFuture(step: number, total: number): string {
  const sel: string[] = []
  for (let k = step + 1; k < total; k++)
    sel.push(
      `.react-flow__node:has([data-testid=hop-node][data-step="${k}"])`,
      `[data-testid^="rf__edge-"][data-testid$="-hop-${k}"]`,
      `[data-testid=timeline-hop-${k}]`,
    )
  return sel.length ? `${sel.join(',')}{visibility:hidden!important}` : ''
}

function QuestionBlock({ q, chosen, checked, onChoose }: { q: Question; chosen?: string; checked: boolean; onChoose: (id: string) => void }) {
  const lang = useWalk((s) => s.lang)
  const right = checked && chosen === q.answer
  const answer = q.choices.find((c) => c.id === q.answer)?.label ?? ''
  return (
    <fieldset className="border-line rounded-md border p-2" data-testid="predict-question" data-kind={q.kind} data-result={checked ? (right ? 'right' : 'wrong') : undefined}>
      <legend className="px-1 text-sm font-bold">{q.prompt}</legend>
      <div className="flex flex-col gap-1">
        {q.choices.map((c) => {
          const isAnswer = checked && c.id === q.answer
          return (
            <label
              key={c.id}
              className={`flex cursor-pointer items-start gap-2 rounded px-1.5 py-1 text-sm ${isAnswer ? 'bg-proof font-bold' : 'hover:bg-bg'}`}
              data-testid="predict-choice"
              data-choice={c.id}
            >
              <input type="radio" name={q.id} value={c.id} checked={chosen === c.id} disabled={checked} onChange={() => onChoose(c.id)} className="mt-1 shrink-0" />
              <span className={`min-w-0 ${q.kind !== 'place' ? 'font-mono text-[0.8rem] break-all' : ''}`}>{c.label}</span>
              {isAnswer && <span aria-hidden className="ml-auto shrink-0">✓</span>}
            </label>
          )
        })}
      </div>
      {checked && (
        <p className={`mt-1 text-sm font-bold ${right ? '' : 'text-warn'}`} data-testid="predict-feedback" role="status">
          {right ? `✓ ${studyText(lang, 'predict.right')}` : `✗ ${studyText(lang, 'predict.wrong', { answer })}`}
        </p>
      )}
    </fieldset>
  )
}

function Proof({ pred }: { pred: Prediction }) {
  const lang = useWalk((s) => s.lang)
  const hosts = useWalk((s) => s.view.hosts)
  const src = useWalk((s) => s.view.walk.flow.source.ip)
  if (pred.proofs.length === 0)
    return (
      <p className="text-warn text-sm font-bold" data-testid="predict-proof">
        {studyText(lang, 'predict.noProof', { command: pred.prove?.command ?? '—' })}
      </p>
    )
  return (
    <div data-testid="predict-proof">
      <p className="text-sm font-bold">{studyText(lang, 'predict.proof')}</p>
      {pred.proofs.slice(0, 4).map((p) => (
        <figure key={`${p.command}-${p.line}`} className="bg-term text-term-fg border-line mt-1 rounded border px-2 py-1 font-mono text-[0.8rem]">
          <figcaption className="text-xs opacity-80">
            # {p.command} — {translate(lang, 'evidence.on', { host: hostLabel(hosts, p.host, src) })}
          </figcaption>
          <div className="bg-proof border-proof-bar border-l-4 pl-1 font-bold break-all whitespace-pre-wrap" data-testid="predict-proof-line" data-line={p.line}>
            {p.line} ▶ {p.text ?? '…'}
          </div>
        </figure>
      ))}
    </div>
  )
}

/**
 * Keeps the drawer between the page's header and its player bar, whatever their height (the
 * header wraps in some languages), so it never covers the buttons that close it.
 */
function useBetweenBars(ref: RefObject<HTMLElement | null>) {
  useLayoutEffect(() => {
    const el = ref.current
    const root = el?.closest('[data-theme]')
    const header = root?.querySelector('header')
    const player = root?.querySelector('[data-testid=player]')
    if (!el || !header) return
    const place = () => {
      el.style.top = `${header.getBoundingClientRect().bottom + 8}px`
      el.style.bottom = player ? `${window.innerHeight - player.getBoundingClientRect().top + 8}px` : '0.75rem'
    }
    place()
    const ro = new ResizeObserver(place)
    ro.observe(header)
    if (player) ro.observe(player)
    window.addEventListener('resize', place)
    return () => {
      ro.disconnect()
      window.removeEventListener('resize', place)
    }
  }, [ref])
}

export default function PredictPanel() {
  const box = useRef<HTMLElement>(null)
  useBetweenBars(box)
  const store = useWalkStoreApi()
  const lang = useWalk((s) => s.lang)
  const view = useWalk((s) => s.view)
  const step = useWalk((s) => s.step)
  const total = view.walk.hops.length
  const preds = useMemo(() => predictions(view, lang), [view, lang])
  const [chosen, setChosen] = useState<Record<string, string>>({})
  const [checked, setChecked] = useState<Record<number, boolean>>({})
  const pred = preds.find((p) => p.hop === step + 1)
  const isChecked = pred ? !!checked[pred.hop] : false
  const counted = preds.filter((p) => checked[p.hop])
  const result = score(counted, chosen)
  const all = score(preds, chosen).total
  const restart = () => {
    setChosen({})
    setChecked({})
    store.getState().first()
  }
  return (
    <aside
      ref={box}
      aria-labelledby="predict-title"
      data-testid="predict-panel"
      data-export="skip"
      className="border-accent bg-panel text-fg fixed top-14 right-3 bottom-16 z-30 flex w-[min(27rem,42vw)] flex-col gap-2 overflow-auto rounded-lg border-2 p-3 shadow-xl"
    >
      <style>{hideFuture(step, total)}</style>
      <h2 id="predict-title" className="flex items-baseline gap-2 text-lg font-extrabold">
        {pred ? studyText(lang, 'predict.title') : studyText(lang, 'predict.done')}
        <span className="text-muted ml-auto text-sm font-semibold" data-testid="predict-score">
          {studyText(lang, 'predict.score', { score: result.score, total: all })}
        </span>
      </h2>
      {pred ? (
        <>
          <p className="text-muted text-sm" data-testid="predict-progress">{studyText(lang, 'predict.progress', { n: pred.hop + 1, total })}</p>
          {pred.questions.map((q) => (
            <QuestionBlock key={q.id} q={q} chosen={chosen[q.id]} checked={isChecked} onChoose={(id) => setChosen((c) => ({ ...c, [q.id]: id }))} />
          ))}
          {isChecked ? (
            <>
              <Proof pred={pred} />
              <button type="button" className={primaryBtn} data-testid="predict-reveal" onClick={() => store.getState().selectHop(pred.hop)}>
                {studyText(lang, 'predict.reveal', { n: pred.hop + 1 })}
              </button>
            </>
          ) : (
            <button
              type="button"
              className={primaryBtn}
              data-testid="predict-check"
              disabled={pred.questions.some((q) => !chosen[q.id])}
              onClick={() => setChecked((c) => ({ ...c, [pred.hop]: true }))}
            >
              {studyText(lang, 'predict.check')}
            </button>
          )}
        </>
      ) : (
        <div className="flex flex-col gap-2" data-testid="predict-end">
          <p className="text-2xl font-extrabold" data-testid="predict-final">
            {studyText(lang, 'predict.score', { score: result.score, total: all })}
          </p>
          <button type="button" className={btn} data-testid="predict-again" onClick={restart}>
            {studyText(lang, 'predict.again')}
          </button>
        </div>
      )}
    </aside>
  )
}
