/**
 * collectCapture: drives the plan (lib/collect/plan.ts) over any Executor and returns a
 * `packetwalk/capture@1`. Places run in parallel and the commands of one place run concurrently;
 * runs are recorded in plan order whatever order they finish in, so two captures of the same
 * machine diff cleanly.
 *
 * Two exec rounds, whatever the number of nodes:
 *   1. every place answers ROUND1; with a probe, a `timeout`-bounded monitor starts on every agent
 *      just before the probe traffic, and the probe runs alongside.
 *   2. after the traffic: the tables it left behind (netfilter and Cilium conntrack, the NAT map,
 *      filtered to the flow's addresses while they stream), Hubble's last flows, and the commands
 *      the engine's walk of round 1 `needs` (tc on the devices it found), each in its place and
 *      through the allowlist.
 */
import { MONITOR, POD_FALLBACKS, ROUND1, afterTraffic, commandLine, type PlannedCommand } from '@/lib/collect/plan'
import { CAPTURE_FORMAT, type Capture, type CaptureHost, type Flow, type Run } from '@/lib/model/capture'
import { findPodIp } from '@/server/collect/devices'
import { needArgv, placeOf, walkNeeds, type NeedLike } from '@/server/collect/needs'
import { runProblem } from '@/server/collect/problems'
import type { ExecResult, Executor, Place, Progress } from '@/server/collect/types'
import { checkArgv, type ArgvTemplate, PLAN_TEMPLATES } from '@/server/security/allowlist'

export interface ProbeRequest {
  /** the pod place the traffic leaves from */
  hostId: string
  argv: string[]
  timeoutMs?: number
}

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
  /** traffic to send during round 1 (a bounded monitor starts on every agent just before it) */
  probe?: ProbeRequest
  /** more addresses of the flow (a service's backend): big tables keep their lines too */
  addresses?: string[]
  /** what round 2 runs besides the plan; defaults to the engine's needs for the round-1 capture */
  needs?: (round1: Capture) => NeedLike[]
  /** ms between starting the monitor and starting the probe (the exec must be open first) */
  monitorLeadMs?: number
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024
const MONITOR_LEAD_MS = 400

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

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export async function collectCapture(opts: CollectOptions): Promise<Capture> {
  const emit = opts.onProgress ?? (() => {})
  const templates = opts.templates ?? PLAN_TEMPLATES
  const notes: string[] = []
  const note = (level: 'info' | 'warning' | 'error', message: string) => {
    if (level !== 'info') notes.push(message)
    emit({ type: 'note', level, message })
  }

  const runOne = async (place: Place, cmd: PlannedCommand, filter?: string[]): Promise<DoneRun | undefined> => {
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
        ...(cmd.filterToFlow && filter?.length ? { filter } : {}),
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
    if (result.filtered) run.filtered = result.filtered
    if (result.error) run.error = result.error
    const before = result.attempts?.map((a): Run => ({ ...a }))
    return before?.length ? { cmd, run, result, before } : { cmd, run, result }
  }

  const runAll = async (place: Place, cmds: PlannedCommand[], filter?: string[]): Promise<DoneRun[]> => {
    const done = await Promise.all(cmds.map((c) => runOne(place, c, filter)))
    return done.filter((d): d is DoneRun => d !== undefined)
  }

  const runPod = async (place: Place): Promise<DoneRun[]> => {
    const first = await runAll(place, ROUND1.pod)
    const ipMissing = first.some((d) => d.cmd.argv[0] === 'ip' && isToolMissing('ip', d.result))
    if (!ipMissing) return first
    note('info', `${place.hostId}: no iproute2 in the pod, reading the kernel's files instead`)
    return [...first, ...(await runAll(place, POD_FALLBACKS.filter((c) => c.fallbackFor === 'ip')))]
  }

  const flow: Flow = structuredClone(opts.flow)
  const places = opts.places
  const agents = places.filter((p) => p.role === 'agent')

  // round 1, with the monitor opened before the probe's first packet
  const monitors = opts.probe ? agents.map((a) => runOne(a, MONITOR).then((d) => [a.hostId, d] as const)) : []
  const probePlace = opts.probe ? places.find((p) => p.hostId === opts.probe?.hostId) : undefined
  const probeDone = opts.probe && probePlace
    ? (async () => {
        if (monitors.length) await sleep(opts.monitorLeadMs ?? MONITOR_LEAD_MS)
        const probe = opts.probe as ProbeRequest
        return runOne(probePlace, { argv: probe.argv, purpose: 'probe traffic', timeoutMs: probe.timeoutMs ?? 8000, maxBytes: 64 * 1024 })
      })()
    : Promise.resolve(undefined)
  const round1 = new Map<string, DoneRun[]>()
  await Promise.all(
    places.map(async (p) => {
      round1.set(p.hostId, p.role === 'pod' ? await runPod(p) : await runAll(p, ROUND1[p.role]))
    }),
  )
  const probeRun = await probeDone

  const hostsOf = (runsOf: (p: Place) => Run[]): Record<string, CaptureHost> => {
    const hosts: Record<string, CaptureHost> = {}
    for (const place of places) {
      const host: CaptureHost = { role: place.role, name: place.name, runs: runsOf(place) }
      if (place.node) host.node = place.node
      hosts[place.hostId] = host
    }
    return hosts
  }
  const runsOf = (done: DoneRun[] | undefined) => (done ?? []).flatMap((d) => [...(d.before ?? []), d.run])

  if (!flow.source.ip) {
    const firstPod = places.find((p) => p.role === 'pod')
    const found = firstPod ? findPodIp(runsOf(round1.get(firstPod.hostId))) : undefined
    if (found) flow.source.ip = found.ip
    else note('warning', "the pod's address was not found in its outputs; flow.source.ip is unknown")
  }
  const addresses = [...new Set([flow.source.ip, flow.destination.ip, ...(opts.addresses ?? [])].filter((a) => a !== ''))]

  // round 2: after the traffic, plus what the walk of round 1 needs
  const round1Capture: Capture = { format: CAPTURE_FORMAT, capturedAt: new Date(0).toISOString(), cluster: opts.cluster, flow, hosts: hostsOf((p) => runsOf(round1.get(p.hostId))) }
  const sourceNode = places.find((p) => p.hostId === opts.probe?.hostId)?.node ?? places.find((p) => p.role === 'pod')?.node ?? flow.source.node
  // Hubble is asked about the source pod on its node, about the destination on the other end
  const observeIp = (p: Place) => (p.node !== undefined && sourceNode !== undefined && p.node !== sourceNode ? flow.destination.ip : flow.source.ip)
  const plan2 = new Map(places.map((p) => [p.hostId, afterTraffic(p.role, observeIp(p) || undefined)] as const))
  for (const need of (opts.needs ?? walkNeeds)(round1Capture)) {
    const argv = needArgv(need)
    const place = placeOf(need, places)
    if (!argv || !place) {
      note('info', `not run: \`${need.command}\` on ${need.host} (${!argv ? 'not a single command' : 'no such place in this capture'})`)
      continue
    }
    const line = commandLine(argv)
    const list = plan2.get(place.hostId) ?? []
    const done = (round1.get(place.hostId) ?? []).some((d) => commandLine(d.cmd.argv) === line)
    if (done || list.some((c) => commandLine(c.argv) === line)) continue
    if (!checkArgv(argv, templates).ok) {
      note('info', `not run: \`${need.command}\` on ${place.hostId} (not in the allowlist)`)
      continue
    }
    list.push({ argv, purpose: 'asked by the walk of round 1 (needs)' })
    plan2.set(place.hostId, list)
  }
  const round2 = new Map<string, DoneRun[]>()
  await Promise.all(
    places.map(async (p) => {
      round2.set(p.hostId, await runAll(p, plan2.get(p.hostId) ?? [], addresses))
    }),
  )
  const monitorRuns = new Map((await Promise.all(monitors)).map(([id, d]) => [id, d] as const))

  const hosts = hostsOf((p) => [
    ...(probeRun && p.hostId === opts.probe?.hostId ? [{ ...probeRun.run, probe: true }] : []),
    ...runsOf(round1.get(p.hostId)),
    ...runsOf(monitorRuns.get(p.hostId) ? [monitorRuns.get(p.hostId) as DoneRun] : []),
    ...runsOf(round2.get(p.hostId)),
  ])
  for (const [hostId, host] of Object.entries(hosts)) {
    for (const r of host.runs) {
      const problem = runProblem(host.role, r)
      if (problem) note('warning', `${hostId}: ${problem}`)
    }
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
