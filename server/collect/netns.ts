/**
 * An Executor over Linux network namespaces on this machine (root): each allowlisted argv runs as
 * `ip netns exec <netns> <argv…>`, spawned without a shell and bounded in time and size. The lab
 * (server/lab) and `packetwalk capture --netns-*` use it; a place maps to a namespace by host id.
 */
import type { Capture, Cni, Flow, Protocol, Run } from '@/lib/model/capture'
import { parseIpAddr } from '@/lib/parsers'
import { collectCapture } from '@/server/collect/collect'
import { agentToolPath, findAgentTool, notFoundInPath } from '@/server/collect/agent-image'
import { runArgv } from '@/server/collect/process'
import type { ExecRequest, ExecResult, Executor, Place, Progress } from '@/server/collect/types'
import { checkArgv, type ArgvTemplate, PLAN_TEMPLATES } from '@/server/security/allowlist'
import { isNetnsName, isPodRef } from '@/server/security/names'

export class NetnsExecutor implements Executor {
  constructor(
    /** host id → network namespace name */
    private readonly netnsOf: Readonly<Record<string, string>>,
    private readonly templates: readonly ArgvTemplate[] = PLAN_TEMPLATES,
  ) {}

  async exec(place: Place, req: ExecRequest): Promise<ExecResult> {
    const netns = this.netnsOf[place.hostId]
    if (netns === undefined) return refused(`no network namespace for host ${place.hostId}`)
    if (!isNetnsName(netns)) return refused(`network namespace name ${JSON.stringify(netns)} refused`)
    // checked again here (collectCapture checks too): an Executor must be safe on its own
    const check = checkArgv(req.argv, this.templates)
    if (!check.ok) return refused(check.reason)
    if (place.role === 'agent') return runAsAgent(netns, req)
    return runArgv(['ip', 'netns', 'exec', netns, ...req.argv], {
      timeoutMs: req.timeoutMs,
      maxBytes: req.maxBytes,
      bounded: req.bounded,
      ...(req.filter ? { filter: req.filter } : {}),
    })
  }
}

/**
 * An agent command sees only the real Cilium agent image's tools (agent-image.ts): a tool missing
 * there fails as the runtime fails it on a real node, without starting anything.
 */
function runAsAgent(netns: string, req: ExecRequest): Promise<ExecResult> {
  const tool = req.argv[0] ?? ''
  if (!findAgentTool(tool)) return Promise.resolve({ stdout: '', stderr: notFoundInPath(tool), exitCode: 127, durationMs: 0 })
  // env -i: the agent's environment is its image's, not this server's
  return runArgv(['ip', 'netns', 'exec', netns, 'env', '-i', `PATH=${agentToolPath()}`, 'HOME=/root', ...req.argv], {
    timeoutMs: req.timeoutMs,
    maxBytes: req.maxBytes,
    bounded: req.bounded,
    ...(req.filter ? { filter: req.filter } : {}),
  })
}

function refused(reason: string): ExecResult {
  return { stdout: '', stderr: '', exitCode: -1, durationMs: 0, error: `refused: ${reason}` }
}

/** Names of the network namespaces `ip netns list` shows (`pw-node (id: 1)` → `pw-node`). */
export async function listNetns(): Promise<string[]> {
  const r = await runArgv(['ip', 'netns', 'list'], { timeoutMs: 5000, maxBytes: 1024 * 1024 })
  if (r.exitCode !== 0) return []
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '')
}

export interface NetnsCaptureOptions {
  podNetns: string
  nodeNetns: string
  /** the agent's place; on a Cilium node the agent shares the node's namespace */
  agentNetns?: string
  /** the pod as ns/name */
  from: string
  to: { ip: string; port?: number; protocol: Protocol }
  /** the node's name in the capture; defaults to the node namespace's name */
  nodeName?: string
  cni?: Cni
  clusterName?: string
  title?: string
  extra?: Record<string, unknown>
  onProgress?: (p: Progress) => void
}

/**
 * The CNI, read from device names the node printed (`cilium_host`, `cali…`, `flannel.1`): the
 * capture needs one, and a network namespace has no cluster to ask.
 */
export function cniFromDevices(nodeRuns: readonly Run[]): Cni {
  const link = nodeRuns.find((r) => r.command === 'ip -d link' && r.exitCode === 0)
  if (!link) return 'unknown'
  const names = parseIpAddr(link.stdout).records.map((i) => i.name)
  if (names.some((n) => n === 'cilium_host' || n.startsWith('lxc'))) return 'cilium'
  if (names.some((n) => n.startsWith('cali') || n === 'vxlan.calico' || n === 'tunl0')) return 'calico'
  if (names.some((n) => n === 'flannel.1' || n === 'cni0')) return 'flannel'
  return 'unknown'
}

/** Collects a capture from network namespaces of this machine with the shared plan. */
export async function captureFromNetns(o: NetnsCaptureOptions): Promise<Capture> {
  for (const ns of [o.podNetns, o.nodeNetns, ...(o.agentNetns ? [o.agentNetns] : [])]) {
    if (!isNetnsName(ns)) throw new Error(`network namespace name ${JSON.stringify(ns)} refused (expected a DNS-1123 label)`)
  }
  if (!isPodRef(o.from)) throw new Error(`--from ${JSON.stringify(o.from)} refused (expected namespace/pod)`)
  const existing = await listNetns()
  for (const ns of new Set([o.podNetns, o.nodeNetns, ...(o.agentNetns ? [o.agentNetns] : [])])) {
    if (!existing.includes(ns)) throw new Error(`network namespace ${ns} does not exist (ip netns list)`)
  }
  const nodeName = o.nodeName ?? o.nodeNetns
  const podName = o.from.slice(o.from.indexOf('/') + 1)
  const hostIds = { pod: podName, node: nodeName === podName ? `${nodeName}-node` : nodeName, agent: 'cilium-agent' }
  const places: Place[] = [
    { hostId: hostIds.pod, role: 'pod', name: o.from, node: nodeName },
    { hostId: hostIds.node, role: 'node', name: nodeName },
  ]
  const netnsOf: Record<string, string> = { [hostIds.pod]: o.podNetns, [hostIds.node]: o.nodeNetns }
  if (o.agentNetns) {
    places.push({ hostId: hostIds.agent, role: 'agent', name: `netns/${o.agentNetns}`, node: nodeName })
    netnsOf[hostIds.agent] = o.agentNetns
  }
  const destination: Flow['destination'] = { ip: o.to.ip, protocol: o.to.protocol }
  if (o.to.port !== undefined) destination.port = o.to.port
  const capture = await collectCapture({
    places,
    executor: new NetnsExecutor(netnsOf),
    flow: { source: { ip: '', pod: o.from, node: nodeName }, destination },
    cluster: { ...(o.clusterName ? { name: o.clusterName } : {}), cni: o.cni ?? 'unknown' },
    title: o.title,
    onProgress: o.onProgress,
    extra: { collector: { kind: 'netns', netns: netnsOf }, ...(o.extra ?? {}) },
  })
  if (!o.cni) capture.cluster.cni = cniFromDevices(capture.hosts[hostIds.node]?.runs ?? [])
  // each place is a namespace, not a machine: say which, next to the host
  for (const [hostId, ns] of Object.entries(netnsOf)) {
    const host = capture.hosts[hostId]
    if (host) host.netns = ns
  }
  return capture
}
