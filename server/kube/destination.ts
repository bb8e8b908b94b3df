/**
 * The destination of a flow as a user writes it, and its resolution to an address:
 *   1.0.0.1   1.0.0.1:80   1.0.0.1:80/tcp   1.0.0.1/icmp   [fd00::1]:53/udp
 *   pod/default/server:8080        (the pod's IP)
 *   svc/default/web   service/default/web:80/tcp   (the ClusterIP, port from the spec)
 */
import type { FlowEndpoint, Protocol } from '@/lib/model/capture'
import type { KubeApi } from './api'
import { KubeError } from './errors'
import { getPod, getService, listRunningPods, splitRef, type PodInfo } from './objects'
import { isIpAddress, isPort } from '@/server/security'

export type DestinationSpec =
  | { kind: 'ip'; ip: string; port?: number; protocol?: Protocol }
  | { kind: 'pod' | 'service'; namespace: string; name: string; port?: number; protocol?: Protocol }

const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp', 'icmp']

function bad(text: string, why: string): KubeError {
  return new KubeError('invalid-input', `invalid destination ${JSON.stringify(text.slice(0, 80))}: ${why} (write ip[:port][/tcp|udp|icmp], pod/ns/name[:port] or svc/ns/name[:port])`)
}

export function parseDestination(input: string): DestinationSpec {
  const text = input.trim()
  if (!text) throw bad(input, 'empty')
  let rest = text
  let protocol: Protocol | undefined
  const protoMatch = /\/(tcp|udp|icmp)$/i.exec(rest)
  if (protoMatch) {
    protocol = (protoMatch[1] as string).toLowerCase() as Protocol
    rest = rest.slice(0, -protoMatch[0].length)
  }
  let port: number | undefined
  const takePort = (s: string): string => {
    const m = /:([^:\]]*)$/.exec(s)
    if (!m) return s
    if (!isPort(m[1] ?? '')) throw bad(input, `port ${JSON.stringify(m[1])} is not 1–65535`)
    port = Number(m[1])
    return s.slice(0, -m[0].length)
  }
  if (protocol === 'icmp' && /:\d+$/.test(rest) && !rest.includes('::')) throw bad(input, 'icmp has no port')

  const typed = /^(pod|svc|service)\/(.+)$/.exec(rest)
  if (typed) {
    const kind = typed[1] === 'pod' ? 'pod' : 'service'
    const ref = splitRef(takePort(typed[2] as string), kind === 'pod' ? 'a destination pod' : 'a destination service')
    return { kind, ...ref, port, protocol: protocol ?? (port ? 'tcp' : undefined) }
  }

  let ip: string
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']')
    if (close < 0) throw bad(input, 'missing ]')
    ip = rest.slice(1, close)
    const tail = rest.slice(close + 1)
    if (tail) {
      if (!tail.startsWith(':')) throw bad(input, `unexpected ${JSON.stringify(tail)}`)
      takePort(tail)
    }
  } else if (rest.split(':').length > 2) {
    ip = rest // bare IPv6, no port possible
  } else {
    ip = takePort(rest)
  }
  if (!isIpAddress(ip)) throw bad(input, `${JSON.stringify(ip.slice(0, 60))} is not an IP address`)
  if (protocol && !PROTOCOLS.includes(protocol)) throw bad(input, 'unknown protocol')
  return { kind: 'ip', ip, port, protocol: protocol ?? (port ? 'tcp' : 'icmp') }
}

/** Turns a destination into the flow's endpoint: pods and services become their addresses. */
export async function resolveDestination(api: KubeApi, d: DestinationSpec): Promise<FlowEndpoint & { protocol: Protocol }> {
  if (d.kind === 'ip') {
    const ep: FlowEndpoint & { protocol: Protocol } = { ip: d.ip, protocol: d.protocol ?? (d.port ? 'tcp' : 'icmp') }
    if (d.port !== undefined) ep.port = d.port
    return ep
  }
  if (d.kind === 'pod') {
    const pod = await getPod(api, d.namespace, d.name)
    if (!pod.ip) throw new KubeError('not-running', `destination pod ${d.namespace}/${d.name} has no IP yet (phase ${pod.phase})`)
    const ep: FlowEndpoint & { protocol: Protocol } = { ip: pod.ip, pod: `${d.namespace}/${d.name}`, protocol: d.protocol ?? (d.port ? 'tcp' : 'icmp') }
    if (pod.node) ep.node = pod.node
    if (d.port !== undefined) ep.port = d.port
    return ep
  }
  const svc = await getService(api, d.namespace, d.name)
  if (!svc.clusterIP || svc.clusterIP === 'None') {
    throw new KubeError('invalid-input', `service ${d.namespace}/${d.name} is headless (no ClusterIP): choose one of its pods as the destination`)
  }
  let port = svc.ports[0]
  if (d.port !== undefined) {
    port = svc.ports.find((p) => p.port === d.port)
    if (!port) throw new KubeError('invalid-input', `service ${d.namespace}/${d.name} has no port ${d.port} (ports: ${svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none'})`)
  }
  const protocol: Protocol = d.protocol ?? (port ? (port.protocol.toLowerCase() === 'udp' ? 'udp' : 'tcp') : 'tcp')
  const ep: FlowEndpoint & { protocol: Protocol } = { ip: svc.clusterIP, service: `${d.namespace}/${d.name}`, protocol }
  if (port) ep.port = port.port
  return ep
}

/**
 * The pods behind a destination, to collect the other end in the same rounds: the pod itself, or
 * the running pods a service selects. Read in the resolution round (the service and its
 * namespace's pods in parallel, matched here), so it costs no round trip of its own.
 */
export async function resolveBackends(api: KubeApi, d: DestinationSpec): Promise<PodInfo[]> {
  if (d.kind === 'ip') return []
  if (d.kind === 'pod') {
    const p = await getPod(api, d.namespace, d.name)
    return p.phase === 'Running' && p.ip ? [p] : []
  }
  const [svc, pods] = await Promise.all([getService(api, d.namespace, d.name), listRunningPods(api, d.namespace)])
  const sel = svc.selector
  if (!sel) return []
  return pods.filter((p) => p.ip && Object.entries(sel).every(([k, v]) => p.labels[k] === v))
}
