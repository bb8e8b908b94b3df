/**
 * What the server sends the browser for one capture: the walk, plus only the windows of raw
 * output around each evidence line (never a whole 100,000-line conntrack dump).
 */
import type { Cni, HostRole } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'

export type Stream = 'stdout' | 'stderr'

/** Consecutive lines of one output; `from` is the 1-based number of `lines[0]`. */
export interface OutputChunk {
  from: number
  lines: string[]
}

/** The part of one run's output the browser holds, in sorted non-overlapping chunks. */
export interface OutputWindow {
  key: string
  host: string
  run: number
  stream: Stream
  command: string
  exitCode: number
  totalLines: number
  chunks: OutputChunk[]
}

/** One evidence entry of a hop, resolved to the run it points at. */
export interface ResolvedEvidence {
  /** Key into `WalkView.outputs`; absent when the capture has no such run. */
  key?: string
  host: string
  command: string
  lines: number[]
}

export interface HostSummary {
  role: HostRole
  name: string
  node?: string
}

export interface CaptureSummary {
  id: string
  title: string
  embedded: boolean
  capturedAt: string
}

export interface WalkView {
  capture: CaptureSummary & { cluster: { name?: string; cni: Cni } }
  hosts: Record<string, HostSummary>
  walk: Walk
  /** Parallel to `walk.hops`. */
  evidence: ResolvedEvidence[][]
  outputs: Record<string, OutputWindow>
}

export function outputKey(host: string, run: number, stream: Stream): string {
  return `${host}#${run}#${stream}`
}
