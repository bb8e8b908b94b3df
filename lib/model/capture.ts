/**
 * Domain types of a capture (`packetwalk/capture@1`): raw observations only, never conclusions.
 * The zod schema that validates files lives in `lib/formats/capture-schema.ts`; these types are
 * what the rest of the code works with once a file has been accepted.
 */

export const CAPTURE_FORMAT = 'packetwalk/capture@1'

export type Protocol = 'tcp' | 'udp' | 'icmp'
export type HostRole = 'pod' | 'node' | 'agent'
export type Cni = 'cilium' | 'calico' | 'flannel' | 'unknown'

/** One command as it was run in one place, with everything it printed. */
export interface Run {
  /** The command line exactly as run, e.g. `route -n` or `cilium bpf ct list global | grep 1.0.0.1`. */
  command: string
  stdout: string
  stderr: string
  exitCode: number
  /** Extra fields a collector may add (duration, truncated…). */
  [extra: string]: unknown
}

export interface CaptureHost {
  role: HostRole
  /** pod as ns/name, node by its name, agent as ns/name of the agent pod */
  name: string
  node?: string
  runs: Run[]
  [extra: string]: unknown
}

export interface FlowEndpoint {
  ip: string
  pod?: string
  node?: string
  service?: string
  port?: number
  protocol?: Protocol
  [extra: string]: unknown
}

export interface Flow {
  source: FlowEndpoint
  destination: FlowEndpoint & { protocol: Protocol }
  [extra: string]: unknown
}

export interface Capture {
  format: typeof CAPTURE_FORMAT
  capturedAt: string
  title?: string
  cluster: {
    name?: string
    cni: Cni
    config?: Record<string, string>
    [extra: string]: unknown
  }
  flow: Flow
  hosts: Record<string, CaptureHost>
  [extra: string]: unknown
}
