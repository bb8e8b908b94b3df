/**
 * The seam between collectors (Kubernetes exec, network namespaces) and the capture they build.
 * An Executor runs one allowlisted argument vector in one place; `collectCapture` (collect.ts)
 * drives the plan of lib/collect/plan.ts over any Executor.
 */
import type { HostRole } from '@/lib/model/capture'
import type { FilterNote } from './line-filter'

export interface Place {
  /** host id in the capture */
  hostId: string
  role: HostRole
  /** pod as ns/name, node name, agent as ns/name */
  name: string
  node?: string
}

export interface ExecRequest {
  argv: string[]
  timeoutMs: number
  maxBytes: number
  /** a stream bounded on purpose (`timeout 5 cilium monitor`): its stop is not a failure */
  bounded?: boolean
  /** keep only the stdout lines naming one of these addresses, scanned as the stream arrives */
  filter?: string[]
}

export interface ExecResult {
  stdout: string
  stderr: string
  exitCode: number
  durationMs: number
  truncated?: boolean
  timedOut?: boolean
  /** what the streaming filter kept of stdout (ExecRequest.filter) */
  filtered?: FilterNote
  /** set when the command could not be run at all (exec refused, RBAC, unreachable) */
  error?: string
  /**
   * The command line actually run, when the executor ran an equivalent spelling of the planned
   * argv (the Kubernetes collector runs `cilium-dbg …` for `cilium …` on Cilium ≥ 1.15).
   */
  command?: string
  /** Earlier attempts the executor made first (`cilium-dbg` not found), kept as evidence. */
  attempts?: { command: string; stdout: string; stderr: string; exitCode: number; durationMs: number }[]
}

export interface Executor {
  exec(place: Place, req: ExecRequest): Promise<ExecResult>
}

export type Progress =
  | { type: 'start'; hostId: string; command: string }
  | { type: 'end'; hostId: string; command: string; exitCode: number; durationMs: number; truncated?: boolean; timedOut?: boolean; error?: string }
  | { type: 'note'; level: 'info' | 'warning' | 'error'; message: string }
