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
  /** the only pod device the node lists, when nothing ties it to this pod: a guess, with why */
  guess?: { device: string; why: string }
}

/** The node's host route to the pod itself (`10.244.190.5 dev cali0ad20b06c15`, Cilium endpoint routes). */
function routeToPod(ctx: WalkContext): { device: string; source: Source; line: number } | undefined {
  for (const p of ctx.node?.routes ?? []) {
    for (const r of p.records) {
      if (r.destination !== `${ctx.srcIp}/32` || !r.device || r.device === 'cilium_host' || r.device === 'lo') continue
      if (r.gateway && r.gateway !== '0.0.0.0') continue
      if (r.type && r.type !== 'unicast') continue
      return { device: r.device, source: p.source, line: r.line }
    }
  }
  return undefined
}

/** `-> endpoint N … ifindex lxcX: … -> <pod>` in the agent's monitor: the pod's endpoint device. */
function monitorDevice(ctx: WalkContext): { device: string; source: Source; line: number } | undefined {
  for (const p of ctx.agent?.ciliumMonitor ?? []) {
    const r = p.records.find((x) => x.arrow === '->' && x.point === 'endpoint' && x.dst === ctx.srcIp && x.ifindex !== undefined && /^lxc/.test(x.ifindex))
    if (r?.ifindex) return { device: r.ifindex, source: p.source, line: r.line }
  }
  return undefined
}

/** Pod devices (lxc…, not the health endpoint's) the node's outputs list. */
function podDevices(ctx: WalkContext): string[] {
  const names = new Set<string>()
  for (const hf of [ctx.node, ctx.agent]) {
    for (const p of hf?.interfaces ?? []) for (const i of p.records) if (/^lxc/.test(i.name) && i.name !== 'lxc_health') names.add(i.name)
    for (const p of hf?.bpftoolNet ?? []) for (const r of p.records) if (/^lxc/.test(r.device) && r.device !== 'lxc_health') names.add(r.device)
  }
  return [...names]
}

/** The veth hop once the node-side end is identified; `how` says which output identified it. */
function provenVeth(ctx: WalkContext, podDevice: string, device: string, how: string, evidence: Evidence[]): VethOutcome {
  addHop(ctx, {
    kind: 'veth',
    host: ctx.nodeId,
    place: 'node',
    summary: `The packet crosses the veth pair from the pod's ${podDevice} to ${device} on ${ctx.nodeId}: ${how}`,
    facts: { from: podDevice, to: device, fromHost: ctx.podId, toHost: ctx.nodeId },
    evidence,
  })
  return { device }
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
  const sameMac = new Set<string>()
  for (const p of ctx.node?.interfaces ?? []) {
    for (const rec of p.records) {
      if (peer !== undefined && rec.ifindex === peer && !byIndex) byIndex = { rec, source: p.source }
      if (gatewayMac && rec.mac === gatewayMac) {
        sameMac.add(rec.name)
        if (!byMac) byMac = { rec, source: p.source }
      }
    }
  }
  // Calico gives every host veth ee:ee:ee:ee:ee:ee: a MAC shared by several devices identifies none
  if (sameMac.size > 1) byMac = undefined
  const byRoute = routeToPod(ctx)
  const nodeListing = ctx.node?.interfaces.map((p) => `\`${p.source.command}\``).join(', ')
  let chosen = byIndex ?? byMac
  let how = ''
  if (byIndex) {
    how = `${podDevice}@if${peer} says its peer is interface ${peer} of the node, ${byIndex.rec.name}`
    if (gatewayMac && byIndex.rec.mac && byIndex.rec.mac !== gatewayMac) {
      ctx.warnings.push(
        `The pod's gateway MAC is ${gatewayMac} but the node interface with ifindex ${peer} (${byIndex.rec.name}) has MAC ${byIndex.rec.mac} (${ctx.nodeId}: \`${byIndex.source.command}\` L${byIndex.rec.macLine ?? byIndex.rec.line}).`,
      )
    } else if (gatewayMac && byIndex.rec.mac === gatewayMac) {
      how += `, which also carries the gateway MAC ${gatewayMac}`
    }
    if (byMac && byMac.rec.name !== byIndex.rec.name) {
      ctx.warnings.push(`The pod's gateway MAC ${gatewayMac} belongs to ${byMac.rec.name}, not to ${byIndex.rec.name} (ifindex ${peer}): ifindex and MAC disagree.`)
    }
  } else if (byMac) {
    how = `${byMac.rec.name} is the node device with the pod's gateway MAC ${gatewayMac}`
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
  if (chosen && byRoute && byRoute.device !== chosen.rec.name) {
    ctx.warnings.push(
      `${ctx.nodeId}: \`${byRoute.source.command}\` L${byRoute.line} routes the pod ${ctx.srcIp} to ${byRoute.device}, but the veth pairing says ${chosen.rec.name}.`,
    )
  }
  if (chosen) {
    const { rec, source } = chosen
    const lines = [rec.line]
    if (gatewayMac && rec.mac === gatewayMac && rec.macLine) lines.push(rec.macLine)
    evidence.push(cite(source, lines))
    if (byRoute?.device === rec.name) evidence.push(cite(byRoute.source, [byRoute.line]))
    if (podIf?.rec.ifindex !== undefined && rec.peerIfindex !== undefined && rec.peerIfindex !== podIf.rec.ifindex) {
      ctx.warnings.push(`${rec.name} on ${ctx.nodeId} points back to ifindex ${rec.peerIfindex}, but the pod's ${podDevice} has ifindex ${podIf.rec.ifindex}.`)
    }
    return provenVeth(ctx, podDevice, rec.name, how, evidence)
  }
  if (bpftoolName) {
    evidence.push(cite(bpftoolName.source, [bpftoolName.line]))
    const how = `${podDevice}@if${peer} says its peer is interface ${peer} of the node, which \`${bpftoolName.source.command}\` lists as ${bpftoolName.name}`
    return provenVeth(ctx, podDevice, bpftoolName.name, how, evidence)
  }
  const other = byRoute ?? monitorDevice(ctx)
  if (other) {
    evidence.push(cite(other.source, [other.line]))
    const how = other === byRoute ? `the node's host route to ${ctx.srcIp} (L${other.line}) points at it` : `\`${other.source.command}\` L${other.line} delivers to the pod's endpoint on it`
    return provenVeth(ctx, podDevice, other.device, how, evidence)
  }
  chosen = undefined
  const lone = podDevices(ctx)
  const why =
    peer === undefined
      ? `the pod's ${podDevice} peer ifindex is unknown (no \`ip addr\` or iflink for it) and no node interface has the gateway MAC`
      : nodeListing
        ? `no node interface with ifindex ${peer}${gatewayMac ? ` or MAC ${gatewayMac}` : ''} in ${nodeListing}`
        : `the node's interfaces were not captured`
  const sharedNote = sameMac.size > 1 ? ` (the gateway MAC ${gatewayMac} is on ${sameMac.size} node devices, so it identifies none)` : ''
  const guess = lone.length === 1 && lone[0] ? lone[0] : undefined
  addUnproven(ctx, {
    kind: 'veth',
    host: ctx.nodeId,
    place: 'node',
    summary: `The packet crosses the veth pair from the pod's ${podDevice}${peer !== undefined ? `@if${peer}` : ''} to its node-side end (not identified${guess ? `; ${guess} is the only pod device the node lists, but nothing ties it to ${ctx.srcIp}` : ''})`,
    facts: { from: podDevice, fromHost: ctx.podId, toHost: ctx.nodeId, candidate: guess },
    evidence,
    prove: { host: ctx.nodeId, command: peer === undefined && !ctx.pod ? 'ip route' : 'ip -d link', why: why + sharedNote },
  })
  return guess ? { guess: { device: guess, why: `${guess} is the only pod device listed, but no output ties it to ${ctx.srcIp} (\`ip route\` with endpoint routes, or the pod's \`ip link\`, would)` } } : {}
}
