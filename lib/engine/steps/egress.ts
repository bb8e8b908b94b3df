/**
 * Egress, tunnel and deliver steps: how the packet leaves the node — on a device towards a next
 * hop, into an overlay tunnel, or into a local pod's namespace.
 */
import type { Evidence } from '@/lib/model/walk'
import { addHop, addUnproven, type WalkContext } from '../context'
import { cite } from '../facts'
import type { RouteOutcome } from './route'

export function egressStep(ctx: WalkContext, route: RouteOutcome): void {
  if (!route.device || !route.decision) return
  const r = route.decision.route
  addHop(ctx, {
    kind: 'egress',
    host: ctx.nodeId,
    place: 'world',
    summary: `The packet leaves ${ctx.nodeId} on ${route.device}${route.gateway ? ` towards the next hop ${route.gateway}` : ''}, source ${ctx.packet.srcIp ?? ctx.srcIp}`,
    facts: { device: route.device, nextHop: route.gateway },
    evidence: [cite(route.decision.source, [r.line])],
  })
}

/**
 * Tunnel mode, destination a pod on another node: from-container encapsulates and redirects to
 * the tunnel device itself. The remote node comes from the ipcache, which the capture may lack.
 */
export function tunnelStep(ctx: WalkContext): void {
  const type = ctx.datapath.mode.tunnelType ?? 'vxlan'
  const device = type === 'geneve' ? 'cilium_geneve' : 'cilium_vxlan'
  const evidence: Evidence[] = [...ctx.datapath.evidence.routing]
  addUnproven(ctx, {
    kind: 'tunnel',
    host: ctx.nodeId,
    place: 'node',
    summary: `Tunnel routing: from-container encapsulates the packet (${type}) and sends it to ${device} towards the destination's node (remote not captured)`,
    facts: { device, type },
    evidence,
    prove: { host: ctx.agentId, command: `cilium map get cilium_ipcache`, why: `the tunnel endpoint of ${ctx.dstIp} is in Cilium's ipcache, which was not captured` },
  })
}

/** The destination is a pod on this node: the route points at its lxc device (endpoint routes) or at cilium_host. */
export function deliverStep(ctx: WalkContext, route: RouteOutcome): void {
  const dev = route.device
  if (dev && dev.startsWith('lxc') && route.decision) {
    addHop(ctx, {
      kind: 'deliver',
      host: ctx.nodeId,
      place: 'pod',
      summary: `${ctx.dstIp} is a pod on ${ctx.nodeId}: the route points at its veth ${dev}, and the packet is delivered into its namespace`,
      facts: { device: dev, ip: ctx.dstIp },
      evidence: [cite(route.decision.source, [route.decision.route.line])],
    })
    return
  }
  addUnproven(ctx, {
    kind: 'deliver',
    host: ctx.nodeId,
    place: 'pod',
    summary: `${ctx.dstIp} is a pod on ${ctx.nodeId}: Cilium delivers the packet to its lxc device (device not identified)`,
    facts: { ip: ctx.dstIp },
    evidence: [],
    prove: { host: ctx.agentId, command: 'cilium endpoint list', why: `no output maps ${ctx.dstIp} to its lxc device` },
  })
}
