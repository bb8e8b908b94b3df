import { describe, expect, it } from 'vitest'
import lab from '@/lib/demo/lab.capture.json'
import seed from '@/lib/demo/seed-doks.capture.json'
import { validateCapture } from '@/lib/formats/capture-schema'
import { inferWalk } from '@/lib/engine'
import { buildWalkView } from '@/lib/view/evidence-windows'
import type { Capture } from '@/lib/model/capture'
import type { WalkView } from '@/lib/view/walk-view'
import { LANGS } from '@/lib/i18n'
import { placeLabel, predictions, score, type Prediction } from './predict'

function viewOf(json: unknown, id: string): { capture: Capture; view: WalkView } {
  const r = validateCapture(structuredClone(json))
  if (!r.ok) throw new Error(r.error)
  const walk = inferWalk(r.capture)
  return { capture: r.capture, view: buildWalkView(r.capture, walk, { id, title: id, embedded: true, capturedAt: r.capture.capturedAt }) }
}

/** Line `n` (1-based) of a run's stdout, straight from the capture. */
const rawLine = (c: Capture, host: string, command: string, n: number) =>
  c.hosts[host]!.runs.find((r) => r.command === command)!.stdout.split('\n')[n - 1]!.trim()

const demos = { seed: viewOf(seed, 'seed-doks'), lab: viewOf(lab, 'lab') }

describe.each(Object.entries(demos))('predict mode on the %s walk', (_name, { capture, view }) => {
  const hops = view.walk.hops
  for (const lang of LANGS) {
    const preds = predictions(view, lang)

    it(`asks before every hop after the first, with one right answer among distinct choices (${lang})`, () => {
      expect(preds.map((p) => p.hop)).toEqual(hops.slice(1).map((_, k) => k + 1))
      for (const p of preds) {
        expect(p.questions.length, `hop ${p.hop + 1}`).toBeGreaterThan(0)
        for (const q of p.questions) {
          expect(q.choices.length).toBeGreaterThanOrEqual(2)
          expect(q.choices.length).toBeLessThanOrEqual(4)
          expect(new Set(q.choices.map((c) => c.label)).size).toBe(q.choices.length)
          expect(q.choices.filter((c) => c.id === q.answer)).toHaveLength(1)
          // Filled templates only: no "{n}", no raw message key.
          for (const s of [q.prompt, ...q.choices.map((c) => c.label)]) expect(s).not.toMatch(/\{\w+\}|\b(predict|place|kind|decider)\.\w+/)
        }
      }
    })

    it(`the place question's answer is the hop's own place (${lang})`, () => {
      for (const p of preds) {
        const q = p.questions.find((x) => x.kind === 'place')!
        const right = q.choices.find((c) => c.id === q.answer)!.label
        const where = { en: { pod: 'in the pod', node: 'on the node', world: 'outside the cluster' }, fr: { pod: 'dans le pod', node: 'sur le nœud', world: 'hors du cluster' } }[lang]
        const place = hops[p.hop]!.place
        if (place) expect(right.endsWith(where[place])).toBe(true)
        // Wrong answers are places of the same walk.
        const places = new Set(hops.map((h) => placeLabel(h, lang)))
        for (const c of q.choices) expect(places.has(c.label)).toBe(true)
      }
    })

    it(`a source-address question comes exactly where the walk rewrites the source, answered by the new address (${lang})`, () => {
      for (const p of preds) {
        const hop = hops[p.hop]!
        const q = p.questions.find((x) => x.kind === 'source')
        const rewrites = (hop.packet?.changed ?? []).includes('srcIp') && hop.packet?.srcIp !== hops[p.hop - 1]?.packet?.srcIp
        if (!rewrites) {
          expect(q, `hop ${p.hop + 1}`).toBeUndefined()
          continue
        }
        expect(q!.choices.find((c) => c.id === q!.answer)!.label).toBe(hop.packet!.srcIp)
      }
    })

    it(`the deciding line is the hop's first proving line, as the command printed it (${lang})`, () => {
      const deciders = preds.filter((p) => p.questions.some((q) => q.kind === 'decider'))
      expect(deciders.length).toBeGreaterThan(2)
      for (const p of deciders) {
        const q = p.questions.find((x) => x.kind === 'decider')!
        const ev = hops[p.hop]!.evidence[0]!
        expect(q.choices.find((c) => c.id === q.answer)!.label).toBe(rawLine(capture, ev.host, ev.command, ev.lines[0]!))
        expect(q.prompt).toContain(ev.command)
        // The feedback shows that same line.
        expect(p.proofs[0]).toMatchObject({ command: ev.command, line: ev.lines[0] })
        expect(p.proofs[0]!.text?.trim()).toBe(rawLine(capture, ev.host, ev.command, ev.lines[0]!))
      }
    })
  }

  it('gives the same questions in the same order every time, and the same answers in both languages', () => {
    const en = predictions(view, 'en')
    expect(predictions(view, 'en')).toEqual(en)
    const fr = predictions(view, 'fr')
    const answerOf = (ps: Prediction[]) => ps.flatMap((p) => p.questions.filter((q) => q.kind !== 'place').map((q) => q.choices.find((c) => c.id === q.answer)!.label))
    expect(answerOf(fr)).toEqual(answerOf(en))
    expect(fr[0]!.questions[0]!.prompt).not.toBe(en[0]!.questions[0]!.prompt)
  })

  it('scores right answers only', () => {
    const preds = predictions(view, 'en')
    const all = preds.flatMap((p) => p.questions)
    const right = Object.fromEntries(all.map((q) => [q.id, q.answer]))
    expect(score(preds, right)).toEqual({ score: all.length, total: all.length })
    const wrong = Object.fromEntries(all.map((q) => [q.id, q.choices.find((c) => c.id !== q.answer)!.id]))
    expect(score(preds, wrong)).toEqual({ score: 0, total: all.length })
    expect(score(preds, {}).score).toBe(0)
  })
})

describe('predict mode on the seed walk', () => {
  it('asks for the masquerade address before the NAT hop, with the unchanged pod address as a wrong answer', () => {
    const { view } = demos.seed
    const nat = view.walk.hops.findIndex((h) => h.kind === 'nat')
    const q = predictions(view, 'en').find((p) => p.hop === nat)!.questions.find((x) => x.kind === 'source')!
    expect(q.choices.find((c) => c.id === q.answer)!.label).toBe(view.walk.hops[nat]!.facts.to)
    expect(q.choices.map((c) => c.label)).toContain(`${view.walk.flow.source.ip} (unchanged)`)
  })
})
