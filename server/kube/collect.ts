/**
 * collectFromCluster: a live capture through the kubeconfig, for the live page and for
 * `packetwalk capture --from ns/pod --to ip[:port][/proto] [--context c]`.
 *
 * Everything the user typed is validated before the first request. Then one round trip resolves
 * the source pod, the Cilium agents, cilium-config and the destination in parallel; the plan's
 * commands run in every place at once (collectCapture); only the device-dependent tc commands
 * wait for a second exec round. Whatever could be collected becomes a capture: a command that
 * failed is recorded with its error, one never run is absent, and the engine marks the hops it
 * cannot prove.
 */
import type { Capture, Cni, Flow, Protocol } from '@/lib/model/capture'
import { collectCapture } from '@/server/collect/collect'
import type { Place, Progress } from '@/server/collect/types'
import { cliRequester, type Requester } from '@/server/audit'
import { connectApi, type KubeApi } from './api'
import { ensureDebugContainer, isImageRef } from './debug'
import { parseDestination, resolveBackends, resolveDestination, type DestinationSpec } from './destination'
import { KubeError, errorMessage } from './errors'
import type { ExecTarget } from './exec'
import { KUBE_TEMPLATES, KubeExecutor } from './executor'
import { loadKubeConfig, type Env, type LoadedKubeConfig } from './kubeconfig'
import { NODE_SHELL_PRIVILEGE, createNodeShell, type NodeShell } from './node-shell'
import { checkContainerName, checkContextName, checkNamespace, getConfigMapData, getPod, listDaemonSets, listRunningPods, splitRef, type PodInfo } from './objects'

export interface ClusterCaptureOptions {
  /** source pod, `namespace/name` */
  from: string
  /** `ip[:port][/proto]`, `pod/ns/name[:port]`, `svc/ns/name[:port]`, or already parsed */
  to: string | DestinationSpec
  /** kubeconfig context; the current one when absent */
  context?: string
  /** the source pod's container; its first container when absent */
  container?: string
  /** namespace of the Cilium agents and cilium-config */
  agentNamespace?: string
  /** send probe traffic from the pod first (ping, or a TCP/UDP connect with nc) */
  probe?: boolean
  /** run the pod commands in an ephemeral debug container of this image */
  debugImage?: string
  /** run the node commands in a PRIVILEGED pod of this image on the node (hostNetwork, hostPID) */
  nodeShell?: string
  /** where the node-shell pod is created (default "default") */
  nodeShellNamespace?: string
  who?: Requester
  signal?: AbortSignal
  env?: Env
  title?: string
  /** per-command time bound for commands that do not set their own (ms) */
  timeoutMs?: number
}

export interface ClusterCaptureResult {
  capture: Capture
  /** what went wrong, one clear sentence each; the capture holds whatever was collected */
  errors: string[]
}

export type ProgressListener = (p: Progress) => void

const AGENT_SELECTOR = 'k8s-app=cilium'

interface Checked {
  source: { namespace: string; name: string }
  destination: DestinationSpec
  agentNamespace: string
  container?: string
  debugImage?: string
  nodeShell?: { image: string; namespace: string }
}

/** Every user-given value, checked before any request is made. Throws KubeError('invalid-input'). */
export function checkCaptureOptions(o: ClusterCaptureOptions): Checked {
  const source = splitRef(o.from ?? '', 'the source pod (--from)')
  const destination = typeof o.to === 'string' ? parseDestination(o.to) : parseDestination(destinationText(o.to))
  const agentNamespace = checkNamespace(o.agentNamespace ?? 'kube-system')
  const container = o.container ? checkContainerName(o.container) : undefined
  if (o.debugImage !== undefined && o.debugImage !== '' && !isImageRef(o.debugImage)) {
    throw new KubeError('invalid-input', `invalid debug image ${JSON.stringify(o.debugImage.slice(0, 80))}: write an image reference such as nicolaka/netshoot:v0.13`)
  }
  if (o.context !== undefined) checkContextName(o.context)
  let nodeShell: Checked['nodeShell']
  if (o.nodeShell) {
    if (!isImageRef(o.nodeShell)) throw new KubeError('invalid-input', `invalid node-shell image ${JSON.stringify(o.nodeShell.slice(0, 80))}: write an image reference such as nicolaka/netshoot:v0.13`)
    nodeShell = { image: o.nodeShell, namespace: checkNamespace(o.nodeShellNamespace || 'default') }
  }
  return { source, destination, agentNamespace, container, debugImage: o.debugImage || undefined, nodeShell }
}

/** A parsed destination written back as text (so both forms go through the same checks). */
export function destinationText(d: DestinationSpec): string {
  const port = d.port !== undefined ? `:${d.port}` : ''
  const proto = d.protocol ? `/${d.protocol}` : ''
  if (d.kind === 'ip') return `${d.ip.includes(':') && port ? `[${d.ip}]` : d.ip}${port}${proto}`
  return `${d.kind === 'pod' ? 'pod' : 'svc'}/${d.namespace}/${d.name}${port}${proto}`
}

function cniFromDaemonSets(names: string[]): Cni {
  if (names.some((n) => /\/cilium$/.test(n))) return 'cilium'
  if (names.some((n) => /calico-node/.test(n))) return 'calico'
  if (names.some((n) => /flannel/.test(n))) return 'flannel'
  return 'unknown'
}

export interface ResolvedCluster {
  api: KubeApi
  pod: PodInfo
  container: string
  agent?: PodInfo
  agentContainer?: string
  /** every running agent, by node: the other end's node is collected through its own */
  agents: PodInfo[]
  /** the pods behind the destination (the pod itself, a service's backends) */
  backends: PodInfo[]
  config?: Record<string, string>
  cni: Cni
  destination: Flow['destination']
  errors: string[]
}

/** The Kubernetes facts of a capture: one round of parallel reads (two when there is no Cilium). */
export async function resolveCluster(api: KubeApi, c: Checked, note: (level: 'info' | 'warning' | 'error', m: string) => void): Promise<ResolvedCluster> {
  const errors: string[] = []
  const [podR, agentsR, configR, destR, backendsR] = await Promise.allSettled([
    getPod(api, c.source.namespace, c.source.name),
    listRunningPods(api, c.agentNamespace, AGENT_SELECTOR),
    getConfigMapData(api, c.agentNamespace, 'cilium-config'),
    resolveDestination(api, c.destination),
    resolveBackends(api, c.destination),
  ])
  if (podR.status === 'rejected') throw podR.reason
  if (destR.status === 'rejected') throw destR.reason
  const pod = podR.value
  if (pod.phase !== 'Running') {
    throw new KubeError('not-running', `pod ${pod.namespace}/${pod.name} is not running (phase ${pod.phase}): nothing can be run in it`)
  }
  if (!pod.ip) throw new KubeError('not-running', `pod ${pod.namespace}/${pod.name} has no IP address yet`)
  if (pod.hostNetwork) note('warning', `pod ${pod.namespace}/${pod.name} uses the host network: its "pod" commands show the node's stack`)
  const container = c.container ?? pod.containers[0]
  if (!container) throw new KubeError('not-found', `pod ${pod.namespace}/${pod.name} has no container`)
  if (!pod.containers.includes(container)) {
    throw new KubeError('not-found', `pod ${pod.namespace}/${pod.name} has no container "${container}" (containers: ${pod.containers.join(', ')})`)
  }

  let agent: PodInfo | undefined
  if (agentsR.status === 'fulfilled') {
    agent = agentsR.value.find((a) => a.node === pod.node)
    if (!agent) {
      errors.push(
        agentsR.value.length
          ? `no running Cilium agent (label ${AGENT_SELECTOR} in ${c.agentNamespace}) on node ${pod.node ?? '?'}: agent commands were not run, node commands only with a node shell`
          : `no Cilium agent pod (label ${AGENT_SELECTOR} in ${c.agentNamespace}): agent commands were not run, node commands only with a node shell`,
      )
    } else if (!agent.hostNetwork) {
      errors.push(`the Cilium agent ${agent.namespace}/${agent.name} does not use the host network: node commands were not run through it`)
    }
  } else {
    errors.push(`${errorMessage(agentsR.reason)} — the Cilium agent could not be found: node and agent commands were not run`)
  }
  let config: Record<string, string> | undefined
  if (configR.status === 'fulfilled') config = configR.value
  else errors.push(`${errorMessage(configR.reason)} — cilium-config was not read`)

  let cni: Cni = agent || config ? 'cilium' : 'unknown'
  if (cni === 'unknown') {
    try {
      cni = cniFromDaemonSets(await listDaemonSets(api))
    } catch (e) {
      errors.push(`${errorMessage(e)} — the CNI could not be detected`)
    }
  }
  const agentContainer = agent ? agentContainerOf(agent) : undefined
  const backends = backendsR.status === 'fulfilled' ? backendsR.value : []
  if (backendsR.status === 'rejected') errors.push(`${errorMessage(backendsR.reason)} — the destination's pods were not found: only the source side is collected`)
  for (const e of errors) note('error', e)
  const agents = agentsR.status === 'fulfilled' ? agentsR.value : []
  return { api, pod, container, agent, agentContainer, agents, backends, config, cni, destination: destR.value, errors }
}

function agentContainerOf(agent: PodInfo): string | undefined {
  return agent.containers.includes('cilium-agent') ? 'cilium-agent' : agent.containers[0]
}

/** The other end collected in the same rounds: at most this many backend pods and other nodes. */
const MAX_BACKENDS = 3
const MAX_OTHER_NODES = 2

function probeArgv(dest: Flow['destination']): string[] {
  if (dest.protocol === 'tcp' && dest.port) return ['nc', '-z', '-w', '3', dest.ip, String(dest.port)]
  if (dest.protocol === 'udp' && dest.port) return ['nc', '-z', '-u', '-w', '3', dest.ip, String(dest.port)]
  return ['ping', '-c', '3', '-W', '2', dest.ip]
}

/** Clear sentences for what went wrong in the runs, identical ones counted once. */
export function runProblems(capture: Capture, targets: Map<string, ExecTarget>, debugHint: boolean): string[] {
  const out = new Map<string, number>()
  const add = (m: string) => out.set(m, (out.get(m) ?? 0) + 1)
  for (const [hostId, host] of Object.entries(capture.hosts)) {
    const t = targets.get(hostId)
    const where = t ? `container ${t.container} of ${t.namespace}/${t.pod}` : hostId
    for (const r of host.runs) {
      const words = r.command.split(' ')
      const program = (words[0] === 'timeout' ? words[2] : words[0]) ?? ''
      if (typeof r.error === 'string' && r.error) add(`${hostId}: ${r.error}`)
      else if (r.timedOut && !r.bounded) add(`${hostId}: "${r.command}" did not finish in time (exec timeout)`)
      else if (r.exitCode === 127 && program !== 'cilium-dbg' && !(host.role === 'pod' && program === 'ip')) add(`${hostId}: "${program}" is not installed in the ${where}`)
      if (r.truncated) add(`${hostId}: the output of "${r.command}" was truncated (size limit)`)
    }
    if (host.role === 'pod') {
      const ipMissing = host.runs.some((r) => r.command.startsWith('ip ') && r.exitCode === 127)
      const catMissing = host.runs.some((r) => r.command.startsWith('cat ') && r.exitCode === 127)
      if (ipMissing && catMissing && debugHint) {
        add(
          `${hostId}: the ${where} has neither "ip" nor "cat": its routes cannot be read. Run the capture again with a debug image ` +
            `(page: "debug image", CLI: --debug-image nicolaka/netshoot:v0.13) to run the pod commands in an ephemeral container that shares the pod's network (needs RBAC patch pods/ephemeralcontainers)`,
        )
      }
    }
  }
  return [...out].map(([m, n]) => (n > 1 ? `${m} (${n} commands)` : m))
}

/**
 * Collects a capture from the cluster of the kubeconfig. Throws a KubeError (its message is the
 * sentence to show) only when nothing can be collected: invalid input, no kubeconfig, API
 * unreachable, credentials refused, source pod missing or not running.
 */
export async function collectFromCluster(opts: ClusterCaptureOptions, onProgress?: ProgressListener): Promise<ClusterCaptureResult> {
  const emit: ProgressListener = onProgress ?? (() => {})
  const note = (level: 'info' | 'warning' | 'error', message: string) => emit({ type: 'note', level, message })
  const checked = checkCaptureOptions(opts)
  const who = opts.who ?? cliRequester()
  const loaded = loadKubeConfig(opts.context, opts.env)
  const api = await connectApi(loaded)
  const r = await resolveCluster(api, checked, note)
  const errors = [...r.errors]
  note('info', `source ${r.pod.namespace}/${r.pod.name} ${r.pod.ip} on ${r.pod.node ?? '?'}${r.agent ? `, agent ${r.agent.namespace}/${r.agent.name}` : ''}`)

  let podContainer = r.container
  const debug = checked.debugImage
  const shellOpt = checked.nodeShell
  if (shellOpt && !r.pod.node) throw new KubeError('not-running', `pod ${r.pod.namespace}/${r.pod.name} is on no node: no node shell can be placed`)
  if (debug) note('info', `starting an ephemeral debug container (${debug}) in ${r.pod.namespace}/${r.pod.name}…`)
  if (shellOpt) note('warning', `creating a node shell on ${r.pod.node}: a ${NODE_SHELL_PRIVILEGE}, image ${shellOpt.image}, deleted after the capture`)
  // both are independent: start them together
  const [debugR, shellR] = await Promise.allSettled([
    debug ? ensureDebugContainer({ api, who, namespace: r.pod.namespace, pod: r.pod.name, image: debug, targetContainer: r.container }) : Promise.resolve(undefined),
    shellOpt ? createNodeShell({ api, who, namespace: shellOpt.namespace, node: r.pod.node as string, image: shellOpt.image }) : Promise.resolve(undefined),
  ])
  const shell = shellR.status === 'fulfilled' ? shellR.value : undefined
  if (debugR.status === 'rejected' || shellR.status === 'rejected') {
    await shell?.remove().catch(() => undefined)
    throw debugR.status === 'rejected' ? debugR.reason : (shellR as PromiseRejectedResult).reason
  }
  if (debugR.value) {
    podContainer = debugR.value
    note('info', `pod commands run in the debug container ${podContainer}`)
  }
  try {
    return await collectWith({ opts, checked, loaded, r, who, podContainer, shell, errors, emit })
  } finally {
    if (shell) {
      try {
        await shell.remove()
        note('info', `node shell ${shell.namespace}/${shell.pod} deleted`)
      } catch (e) {
        note('error', errorMessage(e))
      }
    }
  }
}

interface CollectWithArgs {
  opts: ClusterCaptureOptions
  checked: Checked
  loaded: LoadedKubeConfig
  r: ResolvedCluster
  who: Requester
  podContainer: string
  shell?: NodeShell
  errors: string[]
  emit: ProgressListener
}

async function collectWith({ opts, checked, loaded, r, who, podContainer, shell, errors, emit }: CollectWithArgs): Promise<ClusterCaptureResult> {

  const nodeName = r.pod.node ?? 'node'
  const ids = new Set<string>()
  const uniqueId = (want: string) => {
    let id = want
    for (let i = 2; ids.has(id); i++) id = `${want}-${i}`
    ids.add(id)
    return id
  }
  const places: Place[] = []
  const targets = new Map<string, ExecTarget>()
  const podPlace: Place = { hostId: uniqueId(r.pod.name), role: 'pod', name: `${r.pod.namespace}/${r.pod.name}` }
  if (r.pod.node) podPlace.node = r.pod.node
  places.push(podPlace)
  targets.set(podPlace.hostId, { namespace: r.pod.namespace, pod: r.pod.name, container: podContainer })
  const agentTarget = r.agent && r.agentContainer ? { namespace: r.agent.namespace, pod: r.agent.name, container: r.agentContainer } : undefined
  const nodeTarget = shell ? { namespace: shell.namespace, pod: shell.pod, container: shell.container } : r.agent?.hostNetwork ? agentTarget : undefined
  if (nodeTarget) {
    const nodePlace: Place = { hostId: uniqueId(nodeName), role: 'node', name: nodeName }
    places.push(nodePlace)
    targets.set(nodePlace.hostId, nodeTarget)
  }
  if (r.agent && agentTarget) {
    const agentPlace: Place = { hostId: uniqueId(r.agent.name), role: 'agent', name: `${r.agent.namespace}/${r.agent.name}`, node: nodeName }
    places.push(agentPlace)
    targets.set(agentPlace.hostId, agentTarget)
  }

  // the other end: the destination's pods, and the nodes (through their agents) they run on
  const backends = r.backends.slice(0, MAX_BACKENDS)
  const otherNodes = [...new Set(backends.map((b) => b.node).filter((n): n is string => n !== undefined && n !== r.pod.node))].slice(0, MAX_OTHER_NODES)
  for (const b of backends) {
    if (b.namespace === r.pod.namespace && b.name === r.pod.name) continue
    const container = b.containers[0]
    if (!container) continue
    const place: Place = { hostId: uniqueId(b.name), role: 'pod', name: `${b.namespace}/${b.name}`, ...(b.node ? { node: b.node } : {}) }
    places.push(place)
    targets.set(place.hostId, { namespace: b.namespace, pod: b.name, container })
  }
  for (const node of otherNodes) {
    const agent = r.agents.find((a) => a.node === node)
    const container = agent ? agentContainerOf(agent) : undefined
    if (!agent || !container) {
      errors.push(`no running Cilium agent on ${node} (the destination's node): its node and agent commands were not run`)
      continue
    }
    const target = { namespace: agent.namespace, pod: agent.name, container }
    if (agent.hostNetwork) {
      const nodePlace: Place = { hostId: uniqueId(node), role: 'node', name: node }
      places.push(nodePlace)
      targets.set(nodePlace.hostId, target)
    }
    const agentPlace: Place = { hostId: uniqueId(agent.name), role: 'agent', name: `${agent.namespace}/${agent.name}`, node }
    places.push(agentPlace)
    targets.set(agentPlace.hostId, target)
  }
  if (otherNodes.length) emit({ type: 'note', level: 'info', message: `the other end: ${backends.map((b) => `${b.namespace}/${b.name}`).join(', ')} on ${otherNodes.join(', ')}, collected in the same rounds` })

  const executor = new KubeExecutor({ kc: loaded.kc, context: loaded.context, who, targets, templates: KUBE_TEMPLATES, signal: opts.signal })

  const flow: Flow = {
    source: { pod: `${r.pod.namespace}/${r.pod.name}`, ip: r.pod.ip ?? '', ...(r.pod.node ? { node: r.pod.node } : {}) },
    destination: r.destination,
  }
  const proto: Protocol = r.destination.protocol
  const destText = `${r.destination.service ?? r.destination.pod ?? r.destination.ip}${r.destination.port ? `:${r.destination.port}` : ''}/${proto}`
  const capture = await collectCapture({
    places,
    executor,
    flow,
    cluster: { name: loaded.cluster.name, cni: r.cni, ...(r.config ? { config: r.config } : {}) },
    title: opts.title ?? `${loaded.context}: ${flow.source.pod} to ${destText}`,
    onProgress: emit,
    templates: KUBE_TEMPLATES,
    addresses: backends.map((b) => b.ip).filter((ip): ip is string => ip !== undefined),
    ...(opts.probe ? { probe: { hostId: podPlace.hostId, argv: probeArgv(r.destination) } } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    extra: {
      collector: 'kubernetes',
      context: loaded.context,
      ...(checked.debugImage ? { debugContainer: podContainer } : {}),
      ...(shell ? { nodeShell: `${shell.namespace}/${shell.pod}` } : {}),
    },
  })
  errors.push(...runProblems(capture, targets, !checked.debugImage))
  const notes = Array.isArray(capture.notes) ? (capture.notes as unknown[]).filter((n): n is string => typeof n === 'string') : []
  for (const n of notes) if (!errors.includes(n)) errors.push(n)
  if (errors.length) capture.notes = errors
  return { capture, errors }
}
