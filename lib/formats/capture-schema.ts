/**
 * zod schema of `packetwalk/capture@1` (shared/CONTRACT.md §1). Extra fields are allowed
 * everywhere (the contract says "extend them freely"); missing or mistyped required fields are
 * rejected with the path of the bad field.
 */
import { z } from 'zod'
import { CAPTURE_FORMAT, type Capture } from '@/lib/model/capture'
import { isIpAddress } from '@/lib/net/ipv6'

const PROTOCOLS = ['tcp', 'udp', 'icmp'] as const
const protocol = z.string().refine((v): v is (typeof PROTOCOLS)[number] => (PROTOCOLS as readonly string[]).includes(v), {
  error: (iss) => `${JSON.stringify(iss.input)} is not one of ${PROTOCOLS.join(', ')}`,
})

/** An address the flow names: IPv4 or IPv6 text (the engine walks IPv4 only, and says so). */
const address = z.string().refine(isIpAddress, { error: (iss) => `${JSON.stringify(iss.input)} is not an IPv4 or IPv6 address` })

/** TCP/UDP ports on the wire: 0 is reserved and never the port of a connection. */
const port = z.unknown().refine((v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535, {
  error: (iss) => `${JSON.stringify(iss.input)} is not a port (an integer from 1 to 65535)`,
})

/** Extra address fields a flow may carry (`ip`, `nodeIp`, `serviceIP`, `ips`…): valid addresses too. */
const ADDRESS_KEY = /^(ip|ips|.+Ip|.+IP|.+Ips|.+IPs)$/

function checkExtraAddresses(value: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (value === null || typeof value !== 'object') return
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (path.length === 1 && k === 'ip') continue // source.ip / destination.ip: checked by their schema
    if (ADDRESS_KEY.test(k) && typeof v === 'string' && !isIpAddress(v)) {
      ctx.addIssue({ code: 'custom', path: [...path, k], message: `${JSON.stringify(v)} is not an IPv4 or IPv6 address`, input: v })
    } else if (ADDRESS_KEY.test(k) && Array.isArray(v)) {
      v.forEach((x, i) => {
        if (typeof x !== 'string' || !isIpAddress(x)) ctx.addIssue({ code: 'custom', path: [...path, k, i], message: `${JSON.stringify(x)} is not an IPv4 or IPv6 address`, input: x })
      })
    } else if (typeof v === 'object') {
      checkExtraAddresses(v, [...path, k], ctx)
    }
  }
}

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
  ip: address,
  pod: z.string().optional(),
  node: z.string().optional(),
  service: z.string().optional(),
  port: port.optional(),
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
  flow: z
    .looseObject({
      source: endpoint,
      destination: endpoint.extend({ protocol }),
    })
    .superRefine((flow, ctx) => checkExtraAddresses(flow, [], ctx)),
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
