/**
 * Builds the `WalkView` the browser receives: evidence resolved to runs, and for each cited
 * output only the lines within `radius` of an evidence line (plus the total line count), so a
 * huge conntrack dump costs a few dozen lines on the wire. More lines come from the lines API.
 */
import type { Capture, Run } from '@/lib/model/capture'
import type { Evidence, Walk } from '@/lib/model/walk'
import { lineStarts, sliceLines } from './text-lines'
import {
  outputKey,
  type CaptureSummary,
  type OutputChunk,
  type OutputWindow,
  type ResolvedEvidence,
  type Stream,
  type WalkView,
} from './walk-view'

/** Lines of context sent on each side of an evidence line. */
export const EVIDENCE_RADIUS = 15
/** Outputs this short are sent whole: a window would only hide a few lines. */
export const SMALL_OUTPUT_LINES = 60

const normalize = (cmd: string) => cmd.trim().replace(/\s+/g, ' ')

/** Index of the run an evidence entry cites: its `run` if valid, else the first run of that command. */
export function resolveRun(capture: Capture, ev: Evidence): number | undefined {
  const runs = capture.hosts[ev.host]?.runs
  if (!runs) return undefined
  if (ev.run !== undefined && runs[ev.run]) return ev.run
  const exact = runs.findIndex((r) => r.command === ev.command)
  if (exact >= 0) return exact
  const loose = runs.findIndex((r) => normalize(r.command) === normalize(ev.command))
  return loose >= 0 ? loose : undefined
}

type Range = [number, number]

/** Merges inclusive ranges that overlap or touch, sorted by start. */
export function mergeRanges(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  const out: Range[] = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1])
    else out.push([r[0], r[1]])
  }
  return out
}

/** Merges a newly fetched chunk into sorted chunks (used when the browser loads more lines). */
export function mergeChunks(chunks: OutputChunk[], add: OutputChunk): OutputChunk[] {
  const byLine = new Map<number, string>()
  for (const c of [...chunks, add]) c.lines.forEach((l, i) => byLine.set(c.from + i, l))
  const numbers = [...byLine.keys()].sort((a, b) => a - b)
  const out: OutputChunk[] = []
  for (const n of numbers) {
    const last = out[out.length - 1]
    if (last && last.from + last.lines.length === n) last.lines.push(byLine.get(n) ?? '')
    else out.push({ from: n, lines: [byLine.get(n) ?? ''] })
  }
  return out
}

interface Pending {
  run: Run
  host: string
  index: number
  stream: Stream
  ranges: Range[]
}

function windowOf(p: Pending, radius: number): OutputWindow {
  const text = p.stream === 'stderr' ? p.run.stderr : p.run.stdout
  const starts = lineStarts(text)
  const total = starts.length
  const wanted: Range[] =
    total <= SMALL_OUTPUT_LINES
      ? [[1, total]]
      : p.ranges.length > 0
        ? p.ranges.map(([a, b]) => [Math.max(1, a - radius), Math.min(total, b + radius)] as Range)
        : [[1, Math.min(total, 2 * radius + 1)]]
  const chunks = mergeRanges(wanted)
    .filter(([a, b]) => a <= b)
    .map(([a, b]) => ({ from: a, lines: sliceLines(text, starts, a, b - a + 1) }))
  return {
    key: outputKey(p.host, p.index, p.stream),
    host: p.host,
    run: p.index,
    stream: p.stream,
    command: p.run.command,
    exitCode: p.run.exitCode,
    totalLines: total,
    chunks,
  }
}

/** The browser's view of `walk` over `capture`: evidence resolved, outputs windowed. */
export function buildWalkView(
  capture: Capture,
  walk: Walk,
  summary: CaptureSummary,
  radius = EVIDENCE_RADIUS,
): WalkView {
  const pending = new Map<string, Pending>()
  const evidence: ResolvedEvidence[][] = walk.hops.map((hop) =>
    (hop.evidence ?? []).map((ev) => {
      const index = resolveRun(capture, ev)
      const run = index === undefined ? undefined : capture.hosts[ev.host]?.runs[index]
      if (index === undefined || !run) return { host: ev.host, command: ev.command, lines: ev.lines }
      const stream: Stream = ev.stream ?? 'stdout'
      const key = outputKey(ev.host, index, stream)
      const p = pending.get(key) ?? { run, host: ev.host, index, stream, ranges: [] }
      for (const line of ev.lines) p.ranges.push([line, line])
      pending.set(key, p)
      return { key, host: ev.host, command: ev.command, lines: ev.lines }
    }),
  )
  const outputs: Record<string, OutputWindow> = {}
  for (const [key, p] of pending) outputs[key] = windowOf(p, radius)
  const hosts = Object.fromEntries(
    Object.entries(capture.hosts).map(([id, h]) => [id, { role: h.role, name: h.name, node: h.node }]),
  )
  return {
    capture: { ...summary, cluster: { name: capture.cluster.name, cni: capture.cluster.cni } },
    hosts,
    walk,
    evidence,
    outputs,
  }
}
