/**
 * BPF step: the program attached to a device in one direction, from `tc filter show dev X
 * ingress|egress` or `bpftool net show` (the only place tcx attachments appear). On the pod's lxc
 * ingress the program is required (Cilium cannot work without it), so its absence from the
 * capture makes an unproven hop; on the egress device it is optional, so nothing captured is only
 * a warning and an empty listing means "no program".
 */
import type { Evidence, ProveAt } from '@/lib/model/walk'
import type { BpftoolNetRecord, TcFilterRecord } from '@/lib/model/records'
import { addHop, addUnproven, endpoint, type WalkContext } from '../context'
import { cite, type HostFacts, type Parsed } from '../facts'
import { matchMonitor } from '../flow-match'

const CILIUM_PROGRAM = /^(cil_|from-|to-)|bpf_(lxc|host|netdev|overlay|network)/

function pickTc(records: readonly TcFilterRecord[]): TcFilterRecord | undefined {
  const progs = records.filter((r) => r.program || r.name)
  return progs.find((r) => CILIUM_PROGRAM.test(r.program ?? r.name ?? '') || CILIUM_PROGRAM.test(r.object ?? '')) ?? progs[0]
}

/** The node (and its agent) a hop happens on: the source node unless a step says otherwise. */
export interface NodeSide {
  node?: HostFacts
  agent?: HostFacts
  nodeId: string
  agentId: string
  nodeAt: ProveAt
  agentAt: ProveAt
}

export function sourceSide(ctx: WalkContext): NodeSide {
  return { node: ctx.node, agent: ctx.agent, nodeId: ctx.nodeId, agentId: ctx.agentId, nodeAt: ctx.nodeAt, agentAt: ctx.agentAt }
}

/** In words, the packets a program attached there sees: the lxc's ingress is what the pod sends. */
function whichPackets(device: string, direction: 'ingress' | 'egress', expected: string): string {
  if (/^lxc/.test(device)) return direction === 'ingress' ? 'every packet the pod sends' : 'every packet going into the pod'
  if (/overlay/.test(expected)) return `every packet arriving through the tunnel`
  return direction === 'ingress' ? `every packet arriving on ${device}` : `every packet leaving through ${device}`
}

export function bpfStep(
  ctx: WalkContext,
  opts: {
    device: string | undefined
    direction: 'ingress' | 'egress'
    required: boolean
    expected: string
    withMonitor?: boolean
    on?: NodeSide
    /** why the device is only a guess: the hop is then unproven even when a program is listed */
    guessed?: string
  },
): boolean {
  const { device, direction, required, expected } = opts
  const side = opts.on ?? sourceSide(ctx)
  const hosts = [side.node, side.agent].filter((h) => h !== undefined)
  const tcOutputs: Parsed<TcFilterRecord>[] = []
  const bpftool: { rec: BpftoolNetRecord; p: Parsed<BpftoolNetRecord> }[] = []
  let bpftoolComplete = false
  for (const hf of hosts) {
    for (const p of hf.tcFilters) if (device && p.source.info.device === device && p.source.info.direction === direction) tcOutputs.push(p)
    for (const p of hf.bpftoolNet) {
      if (p.source.info.complete && p.source.failure === undefined) bpftoolComplete = true
      for (const rec of p.records) if (device && rec.device === device && rec.direction === direction) bpftool.push({ rec, p })
    }
  }
  let program: string | undefined
  let object: string | undefined
  const evidence: Evidence[] = []
  let via = ''
  for (const p of tcOutputs) {
    const r = pickTc(p.records)
    if (r) {
      program = r.program ?? r.name
      object = r.object
      evidence.push(cite(p.source, [r.line]))
      via = `\`${p.source.command}\``
      break
    }
  }
  const b = bpftool.find((x) => CILIUM_PROGRAM.test(x.rec.program ?? x.rec.name)) ?? bpftool[0]
  if (b) {
    if (!program) {
      program = b.rec.program ?? b.rec.name
      object = b.rec.object
      via = `\`${b.p.source.command}\` (${b.rec.attachType})`
      if (tcOutputs.some((p) => p.records.length === 0 && p.source.failure === undefined)) via += '; tc shows nothing because tcx attachments are not tc filters'
    }
    evidence.push(cite(b.p.source, [b.rec.line]))
  }

  if (program && device && opts.guessed) {
    addUnproven(ctx, {
      kind: 'bpf',
      host: side.nodeId,
      place: 'node',
      summary: `BPF program ${program}${object ? ` (${object})` : ''} runs on ${device} ${direction} (${via}) — if ${device} is the pod's device, which is not proven`,
      facts: { device, direction, program, object },
      evidence,
      prove: { ...side.nodeAt, command: 'ip route', why: opts.guessed },
    })
    return false
  }
  if (program && device) {
    const facts: Record<string, string | undefined> = { device, direction, program, object }
    const runsOn = whichPackets(device, direction, opts.expected)
    let decided = ''
    if (opts.withMonitor) {
      for (const p of side.agent?.ciliumMonitor ?? []) {
        const hits = matchMonitor(p.records, { protocol: ctx.protocol, src: ctx.srcIp, dst: ctx.dstIp, dport: ctx.dstPort }).filter((r) => r.arrow === '->')
        if (!hits.length) continue
        const first = hits[0]
        if (first?.point) {
          facts.monitor = `-> ${first.point}`
          decided = `. \`${p.source.command}\` shows its verdict for ${endpoint(first.src ?? ctx.srcIp, first.sport)} → ${endpoint(first.dst ?? ctx.dstIp, first.dport)}: "-> ${first.point}"${first.point === 'stack' ? ', the packet is handed to the host network stack' : ''}`
        }
        for (const h of hits) if (h.sport !== undefined && ctx.protocol !== 'icmp') ctx.portsSeen.push({ what: `\`${p.source.command}\``, line: h.line, port: h.sport })
        evidence.push(cite(p.source, hits.slice(0, 8).map((h) => h.line)))
        break
      }
    }
    addHop(ctx, {
      kind: 'bpf',
      host: side.nodeId,
      place: 'node',
      summary: `BPF program ${program}${object ? ` (${object})` : ''} is attached to ${device} ${direction} (${via}), so it runs on ${runsOn}${decided}`,
      facts,
      evidence,
    })
    return true
  }

  const tcCmd = `tc filter show dev ${device ?? '<device>'} ${direction}`
  const emptyTc = tcOutputs.find((p) => p.records.length === 0 && p.source.info.complete && p.source.failure === undefined)
  if (!required) {
    if (emptyTc && (bpftoolComplete || bpftool.length === 0)) {
      ctx.datapath.mode.basis.push(`no BPF program on ${device} ${direction}: \`${emptyTc.source.command}\` on ${emptyTc.source.host} printed no filter`)
    } else if (bpftoolComplete && !tcOutputs.length) {
      ctx.datapath.mode.basis.push(`no BPF program on ${device} ${direction}: \`bpftool net show\` lists none`)
    } else {
      ctx.warnings.push(`No \`${tcCmd}\` (or \`bpftool net show\`) output from ${side.nodeId}: whether a BPF program (${expected}) runs on ${device} ${direction} is unknown.`)
    }
    return false
  }
  const why = emptyTc
    ? `\`${emptyTc.source.command}\` printed no filter; with tcx (Cilium ≥1.16, kernel ≥6.6) the program only shows in bpftool`
    : device
      ? `no \`${tcCmd}\` output was captured`
      : 'the node-side device of the pod is unknown'
  addUnproven(ctx, {
    kind: 'bpf',
    host: side.nodeId,
    place: 'node',
    summary: `Cilium's ${expected} program should run on ${device ?? "the pod's lxc device"} ${direction} (not captured${opts.guessed ? `; ${device} is only a guess for the pod's device` : ''})`,
    facts: { device, direction },
    evidence: emptyTc ? [cite(emptyTc.source, [])] : [],
    prove: emptyTc || !device ? { ...side.agentAt, command: 'bpftool net show', why } : { ...side.nodeAt, command: tcCmd, why },
  })
  return false
}
