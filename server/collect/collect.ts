/**
 * collectCapture: drives the plan (lib/collect/plan.ts) over any Executor and returns a
 * `packetwalk/capture@1`. Places run in parallel and the commands of one place run concurrently;
 * runs are recorded in plan order whatever order they finish in, so two captures of the same
 * machine diff cleanly.
 *
 * Round 1 asks every place what it can answer alone. Round 2 asks the node about devices learnt
 * in round 1 (the pod's veth peer, the egress device); those names come from command outputs, so
 * they are validated (server/security) before they enter an argv, and a refused one is noted,
 * never run.
 */
import { POD_FALLBACKS, ROUND1, commandLine, round2NodeCommands, type PlannedCommand } from '@/lib/collect/plan'
import { CAPTURE_FORMAT, type Capture, type CaptureHost, type Flow, type Run } from '@/lib/model/capture'
import { findEgressDevice, findPodIp, findTunnelDevices, findVethPeer } from '@/server/collect/devices'
import type { ExecResult, Executor, Place, Progress } from '@/server/collect/types'
import { checkArgv, type ArgvTemplate, PLAN_TEMPLATES } from '@/server/security/allowlist'

export interface CollectOptions {
  places: Place[]
  executor: Executor
  /** source.ip may be empty: it is then read from the pod's `ip addr` */
  flow: Flow
  cluster: Capture['cluster']
  title?: string
  onProgress?: (p: Progress) => void
  /** default bound for commands that do not set their own */
  timeoutMs?: number
  maxBytes?: number
  /** allowlist (defaults to the plan's own templates) */
  templates?: readonly ArgvTemplate[]
  /** extra top-level fields to record (collector kind, netns names…) */
  extra?: Record<string, unknown>
  now?: () => Date
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024

/** A run of a capture plus the argv it came from (kept out of the file). */
interface DoneRun {
  cmd: PlannedCommand
  run: Run
  result: ExecResult
  /** attempts the executor made first (`cilium-dbg` not found before `cilium`), recorded before run */
  before?: Run[]
}

/**
 * True when a result says the program itself is missing (as opposed to failing). The message
 * must name the program, so `cat: /proc/net/nf_conntrack: No such file or directory` is not
 * mistaken for a missing `cat`.
 */
export function isToolMissing(program: string, r: ExecResult): boolean {
  if (r.exitCode === 0) return false
  const p = program.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const text = `${r.stderr}\n${r.error ?? ''}`
  return new RegExp(
    `exec of "${p}" failed|"${p}": executable file not found|${p}: (?:command )?not found|exec: "${p}": |spawn ${p} ENOENT|${p}: No such file or directory`,
  ).test(text) || (r.exitCode === 127 && r.stdout === '')
}

export async function collectCapture(opts: CollectOptions): Promise<Capture> {
  const emit = opts.onProgress ?? (() => {})
  const templates = opts.templates ?? PLAN_TEMPLATES
  const notes: string[] = []
  const note = (level: 'info' | 'warning' | 'error', message: string) => {
    if (level !== 'info') notes.push(message)
    emit({ type: 'note', level, message })
  }

  const runOne = async (place: Place, cmd: PlannedCommand): Promise<DoneRun | undefined> => {
    const command = commandLine(cmd.argv)
    const check = checkArgv(cmd.argv, templates)
    if (!check.ok) {
      note('warning', `${place.hostId}: not run, ${check.reason}`)
      return undefined
    }
    emit({ type: 'start', hostId: place.hostId, command })
    let result: ExecResult
    try {
      result = await opts.executor.exec(place, {
        argv: cmd.argv,
        timeoutMs: cmd.timeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBytes: cmd.maxBytes ?? opts.maxBytes ?? DEFAULT_MAX_BYTES,
        bounded: cmd.bounded,
      })
    } catch (e) {
      // an Executor should not throw; if one does, the command still shows up as not run
      result = { stdout: '', stderr: '', exitCode: -1, durationMs: 0, error: e instanceof Error ? e.message : String(e) }
    }
    const end: Progress = { type: 'end', hostId: place.hostId, command: result.command ?? command, exitCode: result.exitCode, durationMs: result.durationMs }
    if (result.truncated) end.truncated = true
    if (result.timedOut) end.timedOut = true
    if (result.error) end.error = result.error
    emit(end)
    const run: Run = { command: result.command ?? command, stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode, durationMs: result.durationMs }
    if (result.truncated) run.truncated = true
    if (result.timedOut) run.timedOut = true
    if (cmd.bounded) run.bounded = true
    if (result.error) run.error = result.error
    const before = result.attempts?.map((a): Run => ({ ...a }))
    return before?.length ? { cmd, run, result, before } : { cmd, run, result }
  }

  const runAll = async (place: Place, cmds: PlannedCommand[]): Promise<DoneRun[]> => {
    const done = await Promise.all(cmds.map((c) => runOne(place, c)))
    return done.filter((d): d is DoneRun => d !== undefined)
  }

  const runPod = async (place: Place): Promise<DoneRun[]> => {
    const first = await runAll(place, ROUND1.pod)
    const ipMissing = first.some((d) => d.cmd.argv[0] === 'ip' && isToolMissing('ip', d.result))
    if (!ipMissing) return first
    note('info', `${place.hostId}: no iproute2 in the pod, reading the kernel's files instead`)
    return [...first, ...(await runAll(place, POD_FALLBACKS.filter((c) => c.fallbackFor === 'ip')))]
  }

  const pods = opts.places.filter((p) => p.role === 'pod')
  const nodes = opts.places.filter((p) => p.role === 'node')
  const agents = opts.places.filter((p) => p.role === 'agent')
  const podRuns = new Map(pods.map((p) => [p.hostId, runPod(p)] as const))
  const flow: Flow = structuredClone(opts.flow)

  const runNode = async (place: Place): Promise<DoneRun[]> => {
    const first = await runAll(place, ROUND1.node)
    // the pods that live on this node (by name, or the only pod when there is one node and one pod)
    const named = pods.filter((p) => p.node !== undefined && p.node === place.name)
    const here = named.length ? named : pods.length === 1 && nodes.length === 1 ? pods : []
    const nodeHostRuns = first.map((d) => d.run)
    // the source pod: named by the flow, or the first pod when the flow leaves the address to the pod's outputs
    const sourcePod = flow.source.pod ? pods.find((p) => p.name === flow.source.pod) : flow.source.ip ? undefined : pods[0]
    const sourceIp = flow.source.ip || (sourcePod ? findPodIp(((await podRuns.get(sourcePod.hostId)) ?? []).map((d) => d.run))?.ip : undefined) || ''

    const cmds: PlannedCommand[] = []
    for (const pod of here) {
      const podHostRuns = ((await podRuns.get(pod.hostId)) ?? []).map((d) => d.run)
      const podIp = findPodIp(podHostRuns)?.ip
      const lxc = findVethPeer(podHostRuns, nodeHostRuns, podIp)
      if ('device' in lxc) cmds.push(...round2NodeCommands({ lxc: lxc.device }))
      else note('warning', `${place.hostId}: ${here.length > 1 ? `${pod.name}'s` : "the pod's"} veth peer was not found (${lxc.reason}); tc on it is not run`)
    }
    const devices: { egress?: string; ingress?: string; tunnels?: string[] } = { tunnels: findTunnelDevices(nodeHostRuns) }
    const egress = findEgressDevice(nodeHostRuns, flow.destination.ip)
    if ('device' in egress) devices.egress = egress.device
    else note('warning', `${place.hostId}: no egress device for ${flow.destination.ip} (${egress.reason}); tc on it is not run`)
    // where a packet from the source enters this node (the route back to it), when the source is not this node's own pod
    const sourceHere = sourcePod !== undefined && here.includes(sourcePod)
    const ingress = sourceIp && !sourceHere ? findEgressDevice(nodeHostRuns, sourceIp) : undefined
    if (ingress && 'device' in ingress) devices.ingress = ingress.device
    cmds.push(...round2NodeCommands(devices))
    const seen = new Set<string>()
    const unique = cmds.filter((c) => {
      const k = commandLine(c.argv)
      if (seen.has(k)) return false
      seen.add(k)
      return true
    })
    return [...first, ...(await runAll(place, unique))]
  }

  const [podResults, nodeResults, agentResults] = await Promise.all([
    Promise.all(pods.map(async (p) => [p, (await podRuns.get(p.hostId)) ?? []] as const)),
    Promise.all(nodes.map(async (p) => [p, await runNode(p)] as const)),
    Promise.all(agents.map(async (p) => [p, await runAll(p, ROUND1.agent)] as const)),
  ])

  const hosts: Record<string, CaptureHost> = {}
  for (const [place, done] of [...podResults, ...nodeResults, ...agentResults]) {
    const host: CaptureHost = { role: place.role, name: place.name, runs: done.flatMap((d) => [...(d.before ?? []), d.run]) }
    if (place.node) host.node = place.node
    hosts[place.hostId] = host
  }

  if (!flow.source.ip) {
    const firstPod = podResults[0]
    const found = firstPod ? findPodIp(firstPod[1].map((d) => d.run)) : undefined
    if (found) flow.source.ip = found.ip
    else note('warning', "the pod's address was not found in its outputs; flow.source.ip is unknown")
  }

  const capture: Capture = {
    format: CAPTURE_FORMAT,
    capturedAt: (opts.now ?? (() => new Date()))().toISOString(),
    ...(opts.title ? { title: opts.title } : {}),
    cluster: opts.cluster,
    flow,
    hosts,
    ...(opts.extra ?? {}),
  }
  if (notes.length) capture.notes = notes
  return capture
}
