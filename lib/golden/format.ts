/**
 * How a golden walk is written: 2-space JSON, keys in one stable order (the walk format's own
 * order for the fields it names, then alphabetical), a trailing newline. The same walk always
 * gives the same bytes, so a change in the engine shows as a small diff in review.
 */
import type { Walk } from '@/lib/model/walk'

/** Fields in reading order: what a reviewer wants to see first in each object. */
const ORDER = [
  'format', 'reply', 'flow', 'source', 'destination', 'pod', 'service', 'node', 'ip', 'port', 'protocol',
  'kind', 'host', 'place', 'proven', 'summary', 'facts', 'evidence', 'command', 'lines', 'stream', 'run', 'prove', 'why', 'packet',
  'hops', 'warnings', 'needs', 'datapath',
]
const RANK = new Map(ORDER.map((k, i) => [k, i]))

function byOrder(a: string, b: string): number {
  const ra = RANK.get(a) ?? ORDER.length
  const rb = RANK.get(b) ?? ORDER.length
  return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0
}

/** A copy with every object's keys in the stable order (arrays keep theirs: hop order matters). */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(value).sort(byOrder)) {
    const v = (value as Record<string, unknown>)[k]
    if (v !== undefined) out[k] = canonical(v)
  }
  return out
}

export function goldenText(walk: Walk): string {
  return JSON.stringify(canonical(walk), null, 2) + '\n'
}

/** `lib/demo/lab.capture.json` → `lib/demo/lab.walk.json` (or `lab.reply.walk.json`). */
export function goldenPathOf(capturePath: string, reply: boolean): string {
  return capturePath.replace(/\.capture\.json$/, reply ? '.reply.walk.json' : '.walk.json')
}

/**
 * The first place two walks differ, for a one-line message: the first differing hop (index, kind,
 * host and the field), else the first differing top-level field.
 */
export function firstDifference(expected: unknown, actual: unknown): string {
  const e = canonical(expected) as Record<string, unknown>
  const a = canonical(actual) as Record<string, unknown>
  const eh = (Array.isArray(e?.hops) ? e.hops : []) as Record<string, unknown>[]
  const ah = (Array.isArray(a?.hops) ? a.hops : []) as Record<string, unknown>[]
  for (let i = 0; i < Math.max(eh.length, ah.length); i++) {
    const x = eh[i]
    const y = ah[i]
    if (JSON.stringify(x) === JSON.stringify(y)) continue
    const label = (h: Record<string, unknown> | undefined) => (h ? `${String(h.kind)} on ${String(h.host)}` : 'no hop')
    if (!x || !y) return `hop ${i + 1}: golden has ${label(x)}, the engine now gives ${label(y)}`
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort(byOrder)
    const k = keys.find((key) => JSON.stringify(x[key]) !== JSON.stringify(y[key]))
    return `hop ${i + 1} (${label(x)}): ${k} differs — golden ${clip(JSON.stringify(x[k as string]))}, now ${clip(JSON.stringify(y[k as string]))}`
  }
  const keys = [...new Set([...Object.keys(e ?? {}), ...Object.keys(a ?? {})])].sort(byOrder)
  const k = keys.find((key) => JSON.stringify(e?.[key]) !== JSON.stringify(a?.[key]))
  return k === undefined ? 'no difference' : `${k} differs — golden ${clip(JSON.stringify(e?.[k]))}, now ${clip(JSON.stringify(a?.[k]))}`
}

function clip(s: string | undefined, max = 160): string {
  const t = s ?? 'absent'
  return t.length > max ? t.slice(0, max - 1) + '…' : t
}
