/**
 * Veth step: the pod's `eth0@ifN` is one end of a veth pair whose other end is the node
 * interface with ifindex N — on the pod's own node only, since ifindexes repeat across nodes.
 * The gateway MAC the pod resolved must be that interface's MAC; when the two proofs disagree
 * the walk says so.
 */
import type { Evidence } from '@/lib/model/walk'
import type { InterfaceRecord } from '@/lib/model/records'
import { addHop, addUnproven, type WalkContext } from '../context'
import { cite, type Source } from '../facts'

export interface VethOutcome {
  /** node-side device name (lxc…) */
  device?: string
}

export function vethStep(ctx: WalkContext, opts: { podDevice: string; gatewayMac?: string }): VethOutcome {
  const { podDevice, gatewayMac } = opts
  const evidence: Evidence[] = []
  let podIf: { rec: InterfaceRecord; source: Source } | undefined
  for (const p of ctx.pod?.interfaces ?? []) {
    const rec = p.records.find((i) => i.name === podDevice)
    if (rec && (!podIf || (rec.peerIfindex !== undefined && podIf.rec.peerIfindex === undefined))) podIf = { rec, source: p.source }
  }
  let peer = podIf?.rec.peerIfindex
  if (podIf) evidence.push(cite(podIf.source, [podIf.rec.line]))
  if (peer === undefined) {
    for (const p of ctx.pod?.iflinks ?? []) {
      if (p.source.info.device !== podDevice) continue
      const r = p.records[0]
      if (r) {
        peer = r.ifindex
        evidence.push(cite(p.source, [r.line]))
        break
      }
    }
  }

  let byIndex: { rec: InterfaceRecord; source: Source } | undefined
  let byMac: { rec: InterfaceRecord; source: Source } | undefined
  for (const p of ctx.node?.interfaces ?? []) {
    for (const rec of p.records) {
      if (peer !== undefined && rec.ifindex === peer && !byIndex) byIndex = { rec, source: p.source }
      if (gatewayMac && rec.mac === gatewayMac && !byMac) byMac = { rec, source: p.source }
    }
  }
  const nodeListing = ctx.node?.interfaces.map((p) => `\`${p.source.command}\``).join(', ')
  let chosen = byIndex ?? byMac
  let how = ''
  if (byIndex) {
    how = `ifindex ${peer}`
    if (gatewayMac && byIndex.rec.mac && byIndex.rec.mac !== gatewayMac) {
      ctx.warnings.push(
        `The pod's gateway MAC is ${gatewayMac} but the node interface with ifindex ${peer} (${byIndex.rec.name}) has MAC ${byIndex.rec.mac} (${ctx.nodeId}: \`${byIndex.source.command}\` L${byIndex.rec.macLine ?? byIndex.rec.line}).`,
      )
    } else if (gatewayMac && byIndex.rec.mac === gatewayMac) {
      how += ` and the gateway MAC ${gatewayMac}`
    }
    if (byMac && byMac.rec.name !== byIndex.rec.name) {
      ctx.warnings.push(`The pod's gateway MAC ${gatewayMac} belongs to ${byMac.rec.name}, not to ${byIndex.rec.name} (ifindex ${peer}): ifindex and MAC disagree.`)
    }
  } else if (byMac) {
    how = `the gateway MAC ${gatewayMac}`
    if (peer !== undefined) {
      const msg = byMac.rec.ifindex !== undefined ? `has ifindex ${byMac.rec.ifindex}` : 'shows no ifindex'
      ctx.warnings.push(`The pod's ${podDevice} pairs with ifindex ${peer}, but ${byMac.rec.name} (which has the gateway MAC) ${msg}: ifindex and MAC disagree.`)
    }
  }
  let bpftoolName: { name: string; source: Source; line: number } | undefined
  if (!chosen && peer !== undefined) {
    for (const hf of [ctx.node, ctx.agent]) {
      for (const p of hf?.bpftoolNet ?? []) {
        const r = p.records.find((x) => x.ifindex === peer)
        if (r && !bpftoolName) bpftoolName = { name: r.device, source: p.source, line: r.line }
      }
    }
  }
  if (chosen) {
    const { rec, source } = chosen
    const lines = [rec.line]
    if (gatewayMac && rec.mac === gatewayMac && rec.macLine) lines.push(rec.macLine)
    evidence.push(cite(source, lines))
    if (podIf?.rec.ifindex !== undefined && rec.peerIfindex !== undefined && rec.peerIfindex !== podIf.rec.ifindex) {
      ctx.warnings.push(`${rec.name} on ${ctx.nodeId} points back to ifindex ${rec.peerIfindex}, but the pod's ${podDevice} has ifindex ${podIf.rec.ifindex}.`)
    }
    addHop(ctx, {
      kind: 'veth',
      host: ctx.nodeId,
      place: 'node',
      summary: `The packet crosses the veth pair: pod ${podDevice}${peer !== undefined ? `@if${peer}` : ''} → ${rec.name} on ${ctx.nodeId} (matched by ${how})`,
      facts: { from: podDevice, to: rec.name, fromHost: ctx.podId, toHost: ctx.nodeId },
      evidence,
    })
    return { device: rec.name }
  }
  if (bpftoolName) {
    evidence.push(cite(bpftoolName.source, [bpftoolName.line]))
    addHop(ctx, {
      kind: 'veth',
      host: ctx.nodeId,
      place: 'node',
      summary: `The packet crosses the veth pair: pod ${podDevice}@if${peer} → ${bpftoolName.name} (ifindex ${peer} in \`${bpftoolName.source.command}\`)`,
      facts: { from: podDevice, to: bpftoolName.name, fromHost: ctx.podId, toHost: ctx.nodeId },
      evidence,
    })
    return { device: bpftoolName.name }
  }
  chosen = undefined
  const why =
    peer === undefined
      ? `the pod's ${podDevice} peer ifindex is unknown (no \`ip addr\` or iflink for it) and no node interface has the gateway MAC`
      : nodeListing
        ? `no node interface with ifindex ${peer}${gatewayMac ? ` or MAC ${gatewayMac}` : ''} in ${nodeListing}`
        : `the node's interfaces were not captured`
  addUnproven(ctx, {
    kind: 'veth',
    host: ctx.nodeId,
    place: 'node',
    summary: `The packet crosses the veth pair from the pod's ${podDevice}${peer !== undefined ? `@if${peer}` : ''} to its node-side end (not identified)`,
    facts: { from: podDevice, fromHost: ctx.podId, toHost: ctx.nodeId },
    evidence,
    prove: { host: ctx.nodeId, command: 'ip -d link', why },
  })
  return {}
}
