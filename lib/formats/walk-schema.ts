/**
 * zod schema of `packetwalk/walk@1` (shared/CONTRACT.md §2). Extra fields are allowed everywhere;
 * a proven hop must carry the facts the contract lists for its kind, and an unproven hop must say
 * which command (and where) would prove it.
 */
import { z } from 'zod'
import { WALK_FORMAT, type HopKind, type Walk } from '@/lib/model/walk'
import { captureSchema, formatIssue } from '@/lib/formats/capture-schema'

export const HOP_KINDS = ['route', 'neighbor', 'veth', 'bpf', 'lb', 'nat', 'conntrack', 'tunnel', 'egress', 'deliver'] as const

/** The facts a proven hop of each kind carries at least (CONTRACT.md §2 table; optional ones left out). */
export const REQUIRED_FACTS: Record<HopKind, readonly string[]> = {
  route: ['destination', 'device'],
  neighbor: ['ip', 'mac', 'device'],
  veth: ['from', 'to', 'fromHost', 'toHost'],
  bpf: ['device', 'direction', 'program'],
  lb: ['service', 'backend', 'by'],
  nat: ['type', 'by', 'from', 'to'],
  conntrack: ['table', 'entry'],
  tunnel: ['device', 'type', 'remote'],
  egress: ['device'],
  deliver: ['device', 'ip'],
}

const evidence = z.looseObject({
  host: z.string().min(1),
  command: z.string().min(1),
  lines: z.array(z.number().int().min(1)),
  stream: z.enum(['stdout', 'stderr']).optional(),
  run: z.number().int().min(0).optional(),
})

const packet = z.looseObject({
  srcIp: z.string().optional(),
  dstIp: z.string().optional(),
  srcPort: z.number().int().min(0).max(65535).optional(),
  dstPort: z.number().int().min(0).max(65535).optional(),
  protocol: z.string().optional(),
  srcMac: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, 'MAC must be lower case aa:bb:cc:dd:ee:ff').optional(),
  dstMac: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, 'MAC must be lower case aa:bb:cc:dd:ee:ff').optional(),
  outer: z
    .looseObject({
      type: z.enum(['vxlan', 'geneve']),
      srcIp: z.string().optional(),
      dstIp: z.string().optional(),
      protocol: z.literal('udp'),
      dstPort: z.number().int().min(0).max(65535).optional(),
      vni: z.string().optional(),
    })
    .optional(),
  changed: z.array(z.string()).optional(),
})

const hop = z
  .looseObject({
    kind: z.enum(HOP_KINDS),
    host: z.string().min(1),
    summary: z.string().min(1),
    facts: z.record(z.string(), z.union([z.string(), z.literal(true)])),
    evidence: z.array(evidence),
    proven: z.boolean(),
    prove: z
      .looseObject({
        host: z.string().min(1),
        command: z.string().min(1),
        why: z.string().min(1),
        role: z.enum(['pod', 'node', 'agent']).optional(),
        node: z.string().min(1).optional(),
        inCapture: z.boolean().optional(),
      })
      .optional(),
    place: z.enum(['pod', 'node', 'world']).optional(),
    packet: packet.optional(),
  })
  .superRefine((h, ctx) => {
    if (h.proven) {
      for (const f of REQUIRED_FACTS[h.kind]) {
        if (!(f in h.facts)) ctx.addIssue({ code: 'custom', path: ['facts', f], message: `a proven ${h.kind} hop needs fact "${f}"` })
      }
      if (h.evidence.length === 0) ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'a proven hop cites at least one output' })
    } else if (!h.prove) {
      ctx.addIssue({ code: 'custom', path: ['prove'], message: 'an unproven hop names the command that would prove it' })
    }
    const mac = h.facts.mac
    if (typeof mac === 'string' && mac !== mac.toLowerCase()) ctx.addIssue({ code: 'custom', path: ['facts', 'mac'], message: 'MACs are lower case' })
  })

const need = z.looseObject({
  host: z.string().min(1),
  command: z.string().min(1),
  role: z.enum(['pod', 'node', 'agent']).optional(),
  node: z.string().min(1).optional(),
  inCapture: z.boolean().optional(),
  ip: z.string().min(1).optional(),
  argv: z.array(z.string().min(1)).min(1).optional(),
  hops: z.array(z.number().int().min(0)).optional(),
})

export const walkSchema = z.looseObject({
  format: z.literal(WALK_FORMAT),
  flow: captureSchema.shape.flow,
  hops: z.array(hop),
  warnings: z.array(z.string()),
  needs: z.array(need).optional(),
  reply: z.boolean().optional(),
  datapath: z
    .looseObject({
      routing: z.enum(['native', 'tunnel']).optional(),
      tunnelType: z.enum(['vxlan', 'geneve']).optional(),
      masquerade: z.enum(['iptables', 'bpf', 'none']).optional(),
      hostRouting: z.enum(['legacy', 'bpf']).optional(),
      kubeProxyReplacement: z.string().optional(),
      basis: z.array(z.string()),
    })
    .optional(),
})

export type WalkValidation = { ok: true; walk: Walk } | { ok: false; error: string }

/** Validates parsed JSON as a walk, naming the first bad field. */
export function validateWalk(data: unknown): WalkValidation {
  const r = walkSchema.safeParse(data)
  if (r.success) return { ok: true, walk: r.data as Walk }
  const first = r.error.issues[0]
  return { ok: false, error: first ? `invalid walk: ${formatIssue(first)}` : 'invalid walk' }
}
