/**
 * Cross-checks between outputs that should describe the same node. A course lab often pastes
 * outputs from different nodes or moments; the walk must say so rather than paper over it.
 */
import { cidrContains, parseCidr } from '@/lib/net'
import type { WalkContext } from './context'
import type { HostFacts } from './facts'

/** cilium_host's IPv4 addresses on the node, with where they were read. */
function ciliumHostAddresses(hf: HostFacts | undefined): { ip: string; where: string }[] {
  const out: { ip: string; where: string }[] = []
  for (const p of hf?.interfaces ?? []) {
    for (const i of p.records) {
      if (i.name !== 'cilium_host') continue
      for (const a of i.addresses) if (a.family === 'inet') out.push({ ip: a.ip, where: `\`${p.source.command}\` L${a.line}` })
    }
  }
  return out
}

/**
 * The router IP (the pod's gateway, held by cilium_host) must be what the node's routing table
 * sends local pod traffic to. If the node routes its pod CIDR via another address on cilium_host,
 * the route table and the other outputs cannot come from the same node at the same time.
 */
export function checkRouterIp(ctx: WalkContext, podGateway: string | undefined): void {
  if (!podGateway) return
  const hostAddrs = ciliumHostAddresses(ctx.node)
  const addrOk = hostAddrs.some((a) => a.ip === podGateway)
  for (const a of hostAddrs) {
    if (a.ip !== podGateway) {
      ctx.warnings.push(`The pod's gateway is ${podGateway} but cilium_host holds ${a.ip} (${ctx.nodeId}: ${a.where}): the router IP differs.`)
    }
  }
  for (const p of ctx.node?.routes ?? []) {
    const viaHost = p.records.filter((r) => r.device === 'cilium_host')
    if (viaHost.length === 0) continue
    const routerIps = new Set<string>()
    const lines: number[] = []
    for (const r of viaHost) {
      const c = parseCidr(r.destination)
      if (r.gateway && r.gateway !== '0.0.0.0') routerIps.add(r.gateway)
      else if (c && c.prefixLength === 32) routerIps.add(r.destination.split('/')[0] ?? '')
      lines.push(r.line)
    }
    if (routerIps.size === 0 || routerIps.has(podGateway)) continue
    const podCidr = viaHost.find((r) => r.gateway && cidrContains(r.destination, ctx.srcIp))
    const others = [...routerIps].join(', ')
    ctx.warnings.push(
      `${ctx.nodeId}: \`${p.source.command}\` L${lines.join(',')} ${podCidr ? `routes the pod CIDR ${podCidr.destination} via ${podCidr.gateway}` : `uses ${others}`} on cilium_host, but the pod's gateway${addrOk ? " and cilium_host's address are" : ' is'} ${podGateway}: these outputs seem to come from different nodes (or the router IP changed between them).`,
    )
  }
}

/** Reports when the entries matched to the flow come from different connections. */
export function checkPorts(ctx: WalkContext): void {
  const distinct = new Set(ctx.portsSeen.map((p) => p.port))
  if (distinct.size <= 1) return
  const groups = new Map<string, { lines: number[]; ports: Set<number> }>()
  for (const p of ctx.portsSeen) {
    let g = groups.get(p.what)
    if (!g) groups.set(p.what, (g = { lines: [], ports: new Set() }))
    g.lines.push(p.line)
    g.ports.add(p.port)
  }
  const parts = [...groups].map(([what, g]) => `${what} L${[...new Set(g.lines)].join(',')}: ${[...g.ports].join('/')}`)
  ctx.warnings.push(
    `The entries matched to this flow come from different connections (source ports — ${parts.join('; ')}): they were matched by protocol, addresses and destination port, so they show the same path but not the same packet.`,
  )
}

/**
 * The flow's source address should appear somewhere: on the pod's interface, in a route, an
 * endpoint, a CT entry… When no output mentions it, nothing ties the outputs to that pod, and the
 * walk says so. When the pod's own interface shows another address, that is a contradiction.
 */
export function checkSourceSeen(ctx: WalkContext): void {
  const ip = ctx.srcIp
  const podAddrs: string[] = []
  for (const p of ctx.pod?.interfaces ?? []) {
    for (const i of p.records) {
      if (i.name === 'lo') continue
      for (const a of i.addresses) if (a.family === 'inet') podAddrs.push(`${a.ip} (\`${p.source.command}\` L${a.line})`)
    }
  }
  const seen = Object.values(ctx.facts.hosts).some(
    (h) =>
      h.interfaces.some((p) => p.records.some((i) => i.addresses.some((a) => a.ip === ip))) ||
      h.routes.some((p) => p.records.some((r) => r.destination === `${ip}/32` || r.src === ip)) ||
      h.neighbors.some((p) => p.records.some((r) => r.ip === ip)) ||
      h.endpoints.some((p) => p.records.some((r) => r.ipv4 === ip)) ||
      h.ipcache.some((p) => p.records.some((r) => r.prefix === `${ip}/32`)) ||
      h.ciliumCt.some((p) => p.records.some((r) => r.src === ip || r.dst === ip || r.address === ip)) ||
      h.nfConntrack.some((p) => p.records.some((r) => r.original.src === ip || r.reply.dst === ip)) ||
      h.ciliumMonitor.some((p) => p.records.some((r) => r.src === ip || r.dst === ip)) ||
      h.ciliumNat.some((p) => p.records.some((r) => r.src === ip)) ||
      h.services.some((p) => p.records.some((r) => r.backends.some((b) => b.address.split(':')[0] === ip))),
  )
  if (podAddrs.length && !podAddrs.some((a) => a.startsWith(`${ip} `))) {
    ctx.warnings.push(`The flow's source is ${ip} but the pod ${ctx.podId} has ${podAddrs.join(', ')}: check the flow or the pod's outputs.`)
  } else if (!seen) {
    ctx.warnings.push(
      `The flow's source address ${ip} appears in no output of the capture: nothing ties these outputs to that pod (the pod's \`ip addr\` would).`,
    )
  }
}
