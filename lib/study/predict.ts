/**
 * Predict mode: before each hop is revealed, questions about what happens next, generated from
 * the walk's own facts and the output lines the browser holds. Each question has one right
 * answer taken from the hop (its place, the address it writes, the line that proves it) and
 * wrong answers taken from elsewhere in the same walk or the same command output, never made up.
 * Pure and deterministic (same walk, same questions, same order), in French or English.
 */
import { translate, type Lang, type MessageKey } from '@/lib/i18n'
import { stringFacts, type Hop } from '@/lib/model/walk'
import { isIPv4 } from '@/lib/net/ipv4'
import { hostLabel } from '@/lib/i18n/host-phrase'
import { packetTimeline, initialPacket } from '@/lib/view/packet-view'
import { placeOf } from '@/lib/view/places'
import type { WalkView } from '@/lib/view/walk-view'
import { studyText } from './messages'

export type QuestionKind = 'place' | 'source' | 'destination' | 'decider'

export interface Choice {
  id: string
  label: string
}

export interface Question {
  id: string
  kind: QuestionKind
  prompt: string
  choices: Choice[]
  /** Id of the right choice. */
  answer: string
}

export interface ProofLine {
  host: string
  command: string
  line: number
  /** The line as the command printed it, when the browser holds it. */
  text?: string
}

export interface Prediction {
  /** Index of the hop these questions lead to (revealed after answering). */
  hop: number
  questions: Question[]
  proofs: ProofLine[]
  /** For an unproven hop: the command that would prove it. */
  prove?: { host: string; command: string }
}

/** At most this many choices per question: the answer and three others. */
const MAX_CHOICES = 4

/** A small string hash (FNV-1a), so choice order depends on the walk, not on chance. */
function hash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** The answer and up to three distinct wrong labels, in an order fixed by `seed`. */
function choose(seed: string, answer: string, wrong: string[]): { choices: Choice[]; answer: string } | undefined {
  const labels = [answer, ...wrong.filter((w, i) => w !== answer && wrong.indexOf(w) === i)].slice(0, MAX_CHOICES)
  if (labels.length < 2) return undefined
  const sorted = labels
    .map((label, i) => ({ label, i, k: hash(`${seed}|${label}`) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
  const choices = sorted.map((c, n) => ({ id: String.fromCharCode(97 + n), label: c.label }))
  return { choices, answer: choices.find((c) => c.label === answer)!.id }
}

/** "routing — Routing table, on the node": the kind, the place and the box, in `lang`. */
export function placeLabel(hop: Hop, lang: Lang): string {
  const place = placeOf(hop)
  const title = translate(lang, `place.${place.key}` as MessageKey, place.params)
  const kind = translate(lang, `kind.${hop.kind}` as MessageKey)
  const where = hop.place ? `, ${studyText(lang, `place.${hop.place}`)}` : ''
  return `${kind} — ${title}${where}`
}

/** The text of line `n` (1-based) of an output window, if the browser holds it. */
export function lineOf(view: WalkView, key: string | undefined, n: number): string | undefined {
  const out = key ? view.outputs[key] : undefined
  const chunk = out?.chunks.find((c) => n >= c.from && n < c.from + c.lines.length)
  return chunk ? chunk.lines[n - chunk.from] : undefined
}

/** Lines that could be mistaken for the proof: other data lines of the same output, nearest first. */
function nearbyLines(view: WalkView, key: string, proof: Set<number>, near: number): string[] {
  const out = view.outputs[key]
  if (!out) return []
  const proofText = new Set([...proof].map((n) => lineOf(view, key, n)?.trim()))
  const candidates: { n: number; text: string }[] = []
  for (const c of out.chunks)
    c.lines.forEach((raw, i) => {
      const n = c.from + i
      const text = raw.trim()
      // Headers and banners carry no address or number: they could not decide anything.
      if (proof.has(n) || text.length < 6 || !/\d/.test(text) || proofText.has(text)) return
      candidates.push({ n, text })
    })
  return candidates.sort((a, b) => Math.abs(a.n - near) - Math.abs(b.n - near) || a.n - b.n).map((c) => c.text)
}

function placeQuestion(view: WalkView, i: number, lang: Lang): Question | undefined {
  const hops = view.walk.hops
  const answer = placeLabel(hops[i]!, lang)
  // Wrong answers: the places around it in this walk, later ones first (the tempting guesses).
  const order = [i + 1, i + 2, i - 1, i + 3, i - 2, i + 4, i - 3].filter((k) => k >= 0 && k < hops.length)
  const picked = choose(`place#${i}`, answer, order.map((k) => placeLabel(hops[k]!, lang)))
  return picked && { id: `${i}-place`, kind: 'place', prompt: studyText(lang, 'predict.q.place'), ...picked }
}

/** Every address the walk mentions (flow, packet states, facts), in order of appearance. */
function walkAddresses(view: WalkView): string[] {
  const seen: string[] = []
  const add = (v?: string) => {
    const ip = v?.replace(/:\d+$/, '')
    if (ip && isIPv4(ip) && !seen.includes(ip)) seen.push(ip)
  }
  add(view.walk.flow.source.ip)
  add(view.walk.flow.destination.ip)
  for (const h of view.walk.hops) {
    add(h.packet?.srcIp)
    add(h.packet?.dstIp)
    for (const k of ['gateway', 'ip', 'from', 'to', 'nextHop', 'remote', 'service', 'backend']) add(stringFacts(h.facts)[k])
  }
  return seen
}

function addressQuestion(view: WalkView, i: number, field: 'srcIp' | 'dstIp', lang: Lang): Question | undefined {
  const timeline = packetTimeline(view.walk)
  const after = timeline[i]?.find((f) => f.field === field)
  if (!after?.changed || !after.value) return undefined
  const beforeValue = i === 0 ? initialPacket(view.walk)[field] : timeline[i - 1]?.find((f) => f.field === field)?.value
  if (!beforeValue || beforeValue === after.value) return undefined
  const others = walkAddresses(view).filter((a) => a !== after.value && a !== beforeValue)
  const wrong = [studyText(lang, 'predict.unchanged', { ip: beforeValue }), ...others]
  const kind = field === 'srcIp' ? 'source' : 'destination'
  const picked = choose(`${kind}#${i}`, after.value, wrong)
  return picked && { id: `${i}-${kind}`, kind, prompt: studyText(lang, kind === 'source' ? 'predict.q.source' : 'predict.q.destination'), ...picked }
}

function deciderQuestion(view: WalkView, i: number, lang: Lang): Question | undefined {
  const hop = view.walk.hops[i]!
  const ev = view.evidence[i]?.[0]
  const first = ev?.lines[0]
  // A veth crossing decides nothing: its line only shows the pair.
  if (!hop.proven || hop.kind === 'veth' || !ev?.key || first === undefined) return undefined
  const answer = lineOf(view, ev.key, first)?.trim()
  if (!answer) return undefined
  const picked = choose(`decider#${i}`, answer, nearbyLines(view, ev.key, new Set(ev.lines), first))
  if (!picked) return undefined
  const where = hostLabel(view.hosts, ev.host, view.walk.flow.source.ip)
  const prompt = `${studyText(lang, 'predict.q.decider')} (${ev.command} — ${translate(lang, 'evidence.on', { host: where })})`
  return { id: `${i}-decider`, kind: 'decider', prompt, ...picked }
}

/** The questions asked before hop `i` (i ≥ 1) is revealed, and the lines that answer them. */
export function predictionFor(view: WalkView, i: number, lang: Lang): Prediction {
  const hop = view.walk.hops[i]!
  const questions = [
    placeQuestion(view, i, lang),
    addressQuestion(view, i, 'srcIp', lang),
    addressQuestion(view, i, 'dstIp', lang),
    deciderQuestion(view, i, lang),
  ].filter((q): q is Question => q !== undefined)
  const proofs = (view.evidence[i] ?? []).flatMap((ev) =>
    ev.lines.map((line) => ({ host: ev.host, command: ev.command, line, text: lineOf(view, ev.key, line) })),
  )
  return { hop: i, questions, proofs, prove: hop.proven ? undefined : hop.prove && { host: hop.prove.host, command: hop.prove.command } }
}

/** One prediction per hop after the first (the first hop is shown to start the walk). */
export function predictions(view: WalkView, lang: Lang): Prediction[] {
  return view.walk.hops.slice(1).map((_, k) => predictionFor(view, k + 1, lang))
}

/** Right answers out of all questions asked, from the answers given by question id. */
export function score(preds: Prediction[], given: Record<string, string>): { score: number; total: number } {
  const all = preds.flatMap((p) => p.questions)
  return { score: all.filter((q) => given[q.id] === q.answer).length, total: all.length }
}
