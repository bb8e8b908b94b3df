/**
 * zod schema of `packetwalk/capture@1` (shared/CONTRACT.md §1). Extra fields are allowed
 * everywhere (the contract says "extend them freely"); missing or mistyped required fields are
 * rejected with the path of the bad field.
 */
import { z } from 'zod'
import { CAPTURE_FORMAT, type Capture } from '@/lib/model/capture'

const protocol = z.enum(['tcp', 'udp', 'icmp'])

const run = z.looseObject({
  command: z.string().min(1),
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int(),
})

const host = z.looseObject({
  role: z.enum(['pod', 'node', 'agent']),
  name: z.string().min(1),
  node: z.string().optional(),
  runs: z.array(run),
})

const endpoint = z.looseObject({
  ip: z.string().min(1),
  pod: z.string().optional(),
  node: z.string().optional(),
  service: z.string().optional(),
  port: z.number().int().min(0).max(65535).optional(),
})

export const captureSchema = z.looseObject({
  format: z.literal(CAPTURE_FORMAT),
  capturedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO 8601 date'),
  title: z.string().optional(),
  cluster: z.looseObject({
    name: z.string().optional(),
    cni: z.enum(['cilium', 'calico', 'flannel', 'unknown']),
    config: z.record(z.string(), z.string()).optional(),
  }),
  flow: z.looseObject({
    source: endpoint,
    destination: endpoint.extend({ protocol }),
  }),
  hosts: z.record(z.string(), host),
})

export type CaptureValidation = { ok: true; capture: Capture } | { ok: false; error: string }

/** Names the first bad field as a JSON path, e.g. `hosts.client.runs[2].exitCode: expected number`. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
  return `${path || '(root)'}: ${issue.message}`
}

/** Validates parsed JSON as a capture. */
export function validateCapture(data: unknown): CaptureValidation {
  const r = captureSchema.safeParse(data)
  if (r.success) return { ok: true, capture: r.data as Capture }
  const first = r.error.issues[0]
  return { ok: false, error: first ? `invalid capture: ${formatIssue(first)}` : 'invalid capture' }
}

/** Parses and validates capture text. Never throws: JSON errors and binary input become messages. */
export function parseCaptureText(text: string): CaptureValidation {
  if (text.includes('\u0000')) return { ok: false, error: 'invalid capture: the file is binary, not JSON' }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    // V8 quotes the offending text, newlines included: keep the message on one line, and short
    const oneLine = msg.replace(/\s+/g, ' ').trim()
    return { ok: false, error: `invalid capture: not valid JSON (${oneLine.length > 160 ? oneLine.slice(0, 157) + '…' : oneLine})` }
  }
  return validateCapture(data)
}
