/**
 * The lab's life cycle: up (per scenario, the two-node cluster it needs: namespaces, veths,
 * tunnel devices, routes, sysctls, iptables and BPF programs, all inside namespaces named
 * `<prefix>-…`, plus TCP servers in the internet namespace and in the server pods), probe (real
 * traffic from the scenario's client), capture (the shared plan over the places the packet
 * crosses) and down, which removes exactly what up recorded in its state file, and is safe to run
 * twice.
 *
 * Every process is spawned with an argv (no shell) and a time bound. Nothing is created in, or
 * changed in, the machine's root network namespace.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Capture, Run } from '@/lib/model/capture'
import { parseBpftoolNet } from '@/lib/parsers'
import { collectCapture } from '@/server/collect/collect'
import { NetnsExecutor, cniFromDevices, listNetns } from '@/server/collect/netns'
import { runArgv } from '@/server/collect/process'
import type { ExecResult, Place, Progress } from '@/server/collect/types'
import { PLAN_TEMPLATES, parseTemplate } from '@/server/security/allowlist'
import { buildBpfObject } from '@/server/lab/bpf'
import { buildTool } from '@/server/lab/tools'
import { INTERNET_CLIENT_IP, SCENARIO, routingsFor, scenarioFlow, type ScenarioName } from '@/server/lab/scenarios'
import { batched, clusterSteps, type NodeObjects } from '@/server/lab/steps'
import {
  ADDR,
  DEFAULT_PREFIX,
  NODE_IFINDEX,
  clusterNamespaces,
  clusterSpec,
  labNames,
  nodeOf,
  type ClusterSpec,
  type NodeSpec,
  type Routing,
} from '@/server/lab/topology'

export interface LabOptions {
  prefix?: string
  /** which scenario's cluster `up` builds (default egress); `all` builds every cluster */
  scenario?: ScenarioName | 'all'
  /** where the state file and the built BPF objects go (git-ignored `.lab/` by default) */
  stateDir?: string
  /** seconds the lab's TCP servers live before exiting on their own */
  serverLifetimeSec?: number
  log?: (line: string) => void
}

export interface ServerState {
  pid: number
  script: string
  netns: string
}

export interface LabState {
  version: 2
  prefix: string
  createdAt: string
  /** namespaces this lab created, in creation order */
  netns: string[]
  /** clusters fully built */
  clusters: Routing[]
  /** clusters this kernel cannot build (geneve without CONFIG_GENEVE), with the reason */
  unsupported?: Partial<Record<Routing, string>>
  servers: ServerState[]
  /** false while up is running or after it failed half way */
  complete: boolean
}

const STEP_TIMEOUT_MS = 5000
const MAX_OUTPUT = 1024 * 1024

/** The repository root: the nearest parent of cwd with packetwalk's package.json. */
export function repoRoot(from = process.cwd()): string {
  let dir = path.resolve(from)
  for (;;) {
    const pkg = path.join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'packetwalk') return dir
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('run the lab from inside the packetwalk repository')
    dir = parent
  }
}

function resolved(o: LabOptions) {
  const root = repoRoot()
  const prefix = o.prefix ?? DEFAULT_PREFIX
  const names = labNames(prefix)
  const stateDir = o.stateDir ?? process.env.PW_LAB_DIR ?? path.join(root, '.lab')
  return {
    root,
    prefix,
    names,
    stateDir,
    stateFile: path.join(stateDir, `${prefix}.state.json`),
    log: o.log ?? (() => {}),
    toolsDir: path.join(root, 'server/lab/tools'),
    bpfDir: path.join(root, 'server/lab/bpf'),
  }
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (network namespaces, iptables, tc): run it with sudo')
}

export function readState(stateFile: string): LabState | undefined {
  if (!existsSync(stateFile)) return undefined
  try {
    const s = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>
    if (!Array.isArray(s.netns)) return undefined
    if (s.version === 2) return s as unknown as LabState
    // a state written by the one-node lab: enough to take it down
    const server = s.server as { pid: number; script: string } | undefined
    return {
      version: 2,
      prefix: String(s.prefix),
      createdAt: String(s.createdAt),
      netns: s.netns as string[],
      clusters: [],
      servers: server ? [{ ...server, netns: '' }] : [],
      complete: false,
    }
  } catch {
    return undefined
  }
}

function writeState(stateFile: string, s: LabState): void {
  mkdirSync(path.dirname(stateFile), { recursive: true })
  const tmp = `${stateFile}.tmp`
  writeFileSync(tmp, JSON.stringify(s, null, 2) + '\n')
  renameSync(tmp, stateFile)
}

class StepError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message)
  }
}

async function step(argv: string[], why: string, log: (l: string) => void, stdin?: string): Promise<ExecResult> {
  log(`  ${argv.join(' ')}`)
  const r = await runArgv(argv, { timeoutMs: STEP_TIMEOUT_MS, maxBytes: MAX_OUTPUT, ...(stdin !== undefined ? { stdin } : {}) })
  if (r.exitCode !== 0) {
    const detail = (r.error ?? r.stderr).trim() || (r.timedOut ? `timed out after ${STEP_TIMEOUT_MS} ms` : `exit ${r.exitCode}`)
    throw new StepError(`${why}: ${argv.join(' ')} failed: ${detail}`, r.stderr)
  }
  return r
}

/** The pid's command line, if that process exists (for checking a pid is still ours). */
function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  } catch {
    return undefined
  }
}

/** Starts a TCP echo server (the tcp_echo binary) inside a namespace, detached, and waits for it to listen. */
async function startServer(netns: string, script: string, ip: string, port: number, lifetimeSec: number, label?: string): Promise<number> {
  const argv = ['ip', 'netns', 'exec', netns, script, ip, String(port), String(lifetimeSec), ...(label ? [label] : [])]
  // `ip netns exec` execs the command in place, so the child's pid is the server's
  const child = spawn(argv[0] as string, argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'ignore'] })
  const pid = child.pid
  if (pid === undefined) throw new Error('could not start the TCP server')
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the TCP server in ${netns} did not listen within 5 s`))
    }, 5000)
    let seen = ''
    child.stdout?.on('data', (c: Buffer) => {
      seen += c.toString()
      if (seen.includes('listening')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the TCP server in ${netns} exited (code ${code}) before listening`))
    })
  })
  child.removeAllListeners('exit')
  child.stdout?.destroy()
  child.unref()
  return pid
}

async function stopServer(server: ServerState, log: (l: string) => void): Promise<boolean> {
  const cmd = cmdlineOf(server.pid)
  // only a process that is still our script: a recycled pid belongs to someone else
  if (!cmd || !cmd.includes(server.script)) return false
  log(`  kill ${server.pid} (${path.basename(server.script)} in ${server.netns})`)
  process.kill(server.pid, 'SIGTERM')
  for (let i = 0; i < 30; i++) {
    if (!cmdlineOf(server.pid)) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  if (cmdlineOf(server.pid)?.includes(server.script)) process.kill(server.pid, 'SIGKILL')
  return true
}

const ipToInt = (ip: string): number => ip.split('.').reduce((a, b) => a * 256 + Number(b), 0)
const macToBig = (mac: string): bigint => BigInt(`0x${mac.replace(/:/g, '')}`)

/** The -D flags of a tunnel node's bpf_lxc.o and bpf_overlay.o: the other node, and the one local pod. */
function tunnelDefines(c: ClusterSpec, n: NodeSpec): Record<string, number | bigint> {
  const other = c.nodes[n.no === 1 ? 1 : 0]
  const local = c.pods.find((p) => p.node === n.no)
  if (!local) throw new Error(`no pod on ${n.name}`)
  const [net, len] = n.peerPodCidr.split('/') as [string, string]
  return {
    PW_TUNNEL_IFINDEX: NODE_IFINDEX.tunnel,
    PW_REMOTE_NET: ipToInt(net),
    PW_REMOTE_MASK: Number(len) === 0 ? 0 : (0xffffffff << (32 - Number(len))) >>> 0,
    PW_REMOTE_NODE_IP: ipToInt(n.peerUnderlayIp),
    PW_REMOTE_TUNNEL_MAC: macToBig(other.mac(NODE_IFINDEX.tunnel)),
    PW_LOCAL_TUNNEL_MAC: macToBig(n.mac(NODE_IFINDEX.tunnel)),
    PW_LOCAL_POD_IP: ipToInt(local.ip),
    PW_LOCAL_POD_MAC: macToBig(local.podMac),
    PW_LOCAL_LXC_MAC: macToBig(local.lxcMac),
    PW_LOCAL_LXC_IFINDEX: local.lxcIfindex,
  }
}

async function buildObjects(c: ClusterSpec, bpfDir: string, outDir: string): Promise<Record<1 | 2, NodeObjects>> {
  const host = await buildBpfObject(bpfDir, 'bpf_host', outDir)
  if (c.routing === 'native') {
    const lxc = await buildBpfObject(bpfDir, 'bpf_lxc', outDir)
    return { 1: { lxc, host }, 2: { lxc, host } }
  }
  const out: Partial<Record<1 | 2, NodeObjects>> = {}
  for (const n of c.nodes) {
    const d = tunnelDefines(c, n)
    out[n.no] = { lxc: await buildBpfObject(bpfDir, 'bpf_lxc', outDir, d), host, overlay: await buildBpfObject(bpfDir, 'bpf_overlay', outDir, d) }
  }
  return out as Record<1 | 2, NodeObjects>
}

export interface UpResult {
  alreadyUp: boolean
  built: Routing[]
  unsupported: Partial<Record<Routing, string>>
  steps: number
  durationMs: number
}

/** Builds one cluster, recording each namespace in the state before it exists. */
async function buildCluster(c: ClusterSpec, state: LabState, r: ReturnType<typeof resolved>, lifetime: number): Promise<number> {
  const objects = await buildObjects(c, r.bpfDir, r.stateDir)
  const echo = await buildTool(r.toolsDir, 'tcp_echo', r.stateDir)
  const namespaces = clusterNamespaces(c)
  for (const ns of namespaces) {
    state.netns.push(ns)
    writeState(r.stateFile, state)
    await step(['ip', 'netns', 'add', ns], `namespace ${ns}`, r.log)
  }
  const steps = batched(clusterSteps(c, objects))
  for (const s of steps) await step(s.argv, s.why, r.log, s.stdin)
  const servers: [string, string, number, string | undefined][] = []
  if (c.world) servers.push([c.world, ADDR.destinationIp, ADDR.destinationPort, undefined])
  for (const p of c.pods) if (p.serverPort) servers.push([p.netns, p.ip, p.serverPort, p.name])
  // started together (each waits for its own "listening"); a pid is recorded as soon as it listens
  const started = await Promise.allSettled(
    servers.map(async ([ns, ip, port, label]) => {
      r.log(`  ip netns exec ${ns} ${echo} ${ip} ${port} ${lifetime}${label ? ` ${label}` : ''}`)
      const pid = await startServer(ns, echo, ip, port, lifetime, label)
      state.servers.push({ pid, script: echo, netns: ns })
      writeState(r.stateFile, state)
    }),
  )
  const failed = started.find((x): x is PromiseRejectedResult => x.status === 'rejected')
  if (failed) throw failed.reason
  return namespaces.length + steps.length + servers.length
}

/** Removes what one failed cluster build made (its servers and namespaces), leaving the rest. */
async function undoCluster(c: ClusterSpec, state: LabState, r: ReturnType<typeof resolved>): Promise<void> {
  const mine = new Set(clusterNamespaces(c))
  for (const s of state.servers.filter((x) => mine.has(x.netns))) await stopServer(s, r.log)
  state.servers = state.servers.filter((x) => !mine.has(x.netns))
  const existing = await listNetns()
  for (const ns of [...state.netns].reverse()) {
    if (mine.has(ns) && existing.includes(ns)) await step(['ip', 'netns', 'del', ns], `remove ${ns}`, r.log)
  }
  state.netns = state.netns.filter((ns) => !mine.has(ns))
  writeState(r.stateFile, state)
}

export async function up(o: LabOptions = {}): Promise<UpResult> {
  requireRoot()
  const started = Date.now()
  const r = resolved(o)
  const scenario = o.scenario ?? 'egress'
  const wanted = routingsFor(scenario)
  const existing = await listNetns()
  const prior = readState(r.stateFile)
  if (prior && (!prior.complete || !prior.netns.every((n) => existing.includes(n)))) {
    throw new Error(`a previous lab (${r.stateFile}) is only partly there: run \`npm run lab -- down\` first`)
  }
  const state: LabState = prior ?? { version: 2, prefix: r.prefix, createdAt: new Date().toISOString(), netns: [], clusters: [], servers: [], complete: false }
  const todo = wanted.filter((w) => !state.clusters.includes(w) && !state.unsupported?.[w])
  if (todo.length === 0) {
    const reason = wanted.map((w) => state.unsupported?.[w]).find(Boolean)
    if (reason && scenario !== 'all') throw new Error(reason)
    return { alreadyUp: true, built: [], unsupported: state.unsupported ?? {}, steps: 0, durationMs: 0 }
  }
  const specs = todo.map((w) => clusterSpec(r.prefix, w))
  const clash = specs.flatMap(clusterNamespaces).filter((n) => existing.includes(n))
  if (clash.length) throw new Error(`network namespace ${clash.join(', ')} already exists and was not made by this lab; choose another --prefix`)
  state.complete = false
  writeState(r.stateFile, state)
  const lifetime = o.serverLifetimeSec ?? 1800
  let steps = 0
  const built: Routing[] = []
  for (const c of specs) {
    r.log(`building the ${c.routing} cluster`)
    try {
      steps += await buildCluster(c, state, r, lifetime)
      state.clusters.push(c.routing)
      built.push(c.routing)
    } catch (e) {
      r.log(`the ${c.routing} cluster failed; removing what was made for it`)
      await undoCluster(c, state, r)
      const unsupported = c.routing === 'geneve' && e instanceof StepError && /Unknown device type|not supported/i.test(e.stderr)
      if (!unsupported) {
        if (state.netns.length === 0) rmSync(r.stateFile, { force: true })
        else {
          state.complete = true
          writeState(r.stateFile, state)
        }
        throw e
      }
      const reason = 'this kernel has no Geneve support (CONFIG_GENEVE is not set: `ip link add … type geneve` says "Unknown device type"), so the geneve scenario cannot be built here'
      state.unsupported = { ...state.unsupported, geneve: reason }
      if (scenario !== 'all') {
        if (state.netns.length === 0) rmSync(r.stateFile, { force: true })
        else {
          state.complete = true
          writeState(r.stateFile, state)
        }
        throw new Error(reason)
      }
      r.log(reason)
    }
  }
  state.complete = true
  writeState(r.stateFile, state)
  return { alreadyUp: false, built, unsupported: state.unsupported ?? {}, steps, durationMs: Date.now() - started }
}

export interface DownResult {
  removed: string[]
  serverStopped: boolean
  serversStopped: number
}

export async function down(o: LabOptions = {}): Promise<DownResult> {
  requireRoot()
  const r = resolved(o)
  const state = readState(r.stateFile)
  if (!state) return { removed: [], serverStopped: false, serversStopped: 0 }
  let serversStopped = 0
  for (const s of state.servers) if (await stopServer(s, r.log)) serversStopped++
  const existing = await listNetns()
  const removed: string[] = []
  for (const ns of [...state.netns].reverse()) {
    if (!existing.includes(ns)) continue
    await step(['ip', 'netns', 'del', ns], `remove ${ns}`, r.log)
    removed.push(ns)
  }
  rmSync(r.stateFile, { force: true })
  return { removed, serverStopped: serversStopped > 0, serversStopped }
}

export interface LabStatus {
  up: boolean
  state?: LabState
  namespaces: { name: string; exists: boolean }[]
  serverRunning: boolean
}

export async function status(o: LabOptions = {}): Promise<LabStatus> {
  const r = resolved(o)
  const state = readState(r.stateFile)
  const existing = await listNetns()
  const names = state?.netns.length ? state.netns : clusterNamespaces(clusterSpec(r.prefix, 'native'))
  const namespaces = names.map((name) => ({ name, exists: existing.includes(name) }))
  const serverRunning = !!state?.servers.length && state.servers.every((s) => !!cmdlineOf(s.pid)?.includes(s.script))
  const wanted = routingsFor(o.scenario ?? 'egress')
  const up = !!state?.complete && wanted.every((w) => state.clusters.includes(w)) && namespaces.every((n) => n.exists) && serverRunning
  return { up, state, namespaces, serverRunning }
}

export interface ProbeResult {
  tcp: ExecResult
  ping: ExecResult
  /** the client's address and port of the connection the capture follows */
  local?: { ip: string; port: number }
  /** connections a service sent to its other backend, before the one the capture follows */
  retried: { local: string; answeredBy: string; conntrackDeleted: boolean }[]
}

const NOT_RUN: ExecResult = { stdout: '', stderr: '', exitCode: 0, durationMs: 0 }
const PROBE_LINE = /^connected (\d+\.\d+\.\d+\.\d+):(\d+) -> \S+, echoed \d+ bytes(?:, answered by (\S+))?$/m

/**
 * Real traffic for a scenario: a TCP exchange from its client, then two pings (not to a service:
 * kube-proxy's rules translate TCP only). A service picks one of its two backends at random
 * (statistic mode random); the probe tries again until the backend the scenario follows answers,
 * and deletes the conntrack entries of the attempts that went elsewhere, so the capture holds the
 * one connection it describes.
 */
export async function probe(o: LabOptions = {}, name: ScenarioName = scenarioOf(o)): Promise<ProbeResult> {
  requireRoot()
  const r = resolved(o)
  const s = SCENARIO[name]
  const st = await status({ ...o, scenario: name })
  if (!st.up) throw new Error(`the lab is not up for ${name}: run \`npm run lab -- up --scenario ${name}\` first`)
  const c = clusterSpec(r.prefix, s.routing)
  const clientNs = s.client === 'world' ? (c.world as string) : (c.pods.find((p) => p.key === 'client')?.netns as string)
  const local = s.client === 'world' ? [INTERNET_CLIENT_IP] : []
  const wantLabel = s.answeredBy ? c.pods.find((p) => p.key === s.answeredBy)?.name : undefined
  const retried: ProbeResult['retried'] = []
  const probeBin = await buildTool(r.toolsDir, 'tcp_probe', r.stateDir)
  let tcp: ExecResult = NOT_RUN
  for (let attempt = 0; attempt < 16; attempt++) {
    tcp = await runArgv(['ip', 'netns', 'exec', clientNs, probeBin, s.target.ip, String(s.target.port), ...local], {
      timeoutMs: 10_000,
      maxBytes: MAX_OUTPUT,
    })
    const m = PROBE_LINE.exec(tcp.stdout)
    if (tcp.exitCode !== 0 || !m || !wantLabel || m[3] === wantLabel) break
    // the other backend answered: forget that connection in node 1's conntrack and try again
    const del = await runArgv(
      ['ip', 'netns', 'exec', c.nodes[0].netns, 'conntrack', '-D', '-p', 'tcp', '--orig-src', m[1] as string, '--orig-port-src', m[2] as string],
      { timeoutMs: 5000, maxBytes: MAX_OUTPUT },
    )
    retried.push({ local: `${m[1]}:${m[2]}`, answeredBy: m[3] ?? '', conntrackDeleted: del.exitCode === 0 })
  }
  const m = PROBE_LINE.exec(tcp.stdout)
  const ping = s.ping
    ? await runArgv(['ip', 'netns', 'exec', clientNs, 'ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', s.target.ip], { timeoutMs: 6000, maxBytes: MAX_OUTPUT })
    : NOT_RUN
  return { tcp, ping, ...(m ? { local: { ip: m[1] as string, port: Number(m[2]) } } : {}), retried }
}

function scenarioOf(o: LabOptions): ScenarioName {
  const s = o.scenario ?? 'egress'
  if (s === 'all') throw new Error('name one scenario, not all')
  return s
}

/** The places a scenario's packet crosses, as collector places with their namespaces. */
function scenarioPlaces(c: ClusterSpec, name: ScenarioName): { places: Place[]; netnsOf: Record<string, string> } {
  const s = SCENARIO[name]
  const places: Place[] = []
  const netnsOf: Record<string, string> = {}
  for (const key of s.pods) {
    const p = c.pods.find((x) => x.key === key)
    if (!p) continue
    const node = nodeOf(c, p).name
    places.push({ hostId: key, role: 'pod', name: p.name, node })
    netnsOf[key] = p.netns
  }
  for (const n of s.node2 ? c.nodes : [c.nodes[0]]) {
    places.push({ hostId: n.name, role: 'node', name: n.name })
    netnsOf[n.name] = n.netns
    // a Cilium agent shares its node's network namespace
    const agent = `cilium-${n.name}`
    places.push({ hostId: agent, role: 'agent', name: `netns/${n.netns}`, node: n.name })
    netnsOf[agent] = n.netns
  }
  return { places, netnsOf }
}

/**
 * The counters of the BPF programs `bpftool net show` lists: `bpftool prog show id N` names the
 * program's map, `bpftool map dump id M` prints its count. The ids come from outputs, so each one
 * must be a plain number, and its argv is then allowed as that exact literal only (and checked
 * again by the executor).
 */
async function bpfCounterRuns(netnsOf: Record<string, string>, place: Place, netShow: Run | undefined): Promise<Run[]> {
  if (!netShow || netShow.exitCode !== 0) return []
  const ids = [...new Set(parseBpftoolNet(netShow.stdout).records.map((x) => x.id).filter((x): x is number => Number.isInteger(x)))]
  const exec = async (argv: string[]): Promise<Run> => {
    const executor = new NetnsExecutor(netnsOf, [...PLAN_TEMPLATES, parseTemplate(argv.join(' '))])
    const res = await executor.exec(place, { argv, timeoutMs: 5000, maxBytes: MAX_OUTPUT })
    return { command: argv.join(' '), stdout: res.stdout, stderr: res.stderr, exitCode: res.exitCode, durationMs: res.durationMs }
  }
  // all programs at once, then all their maps at once; recorded in the order of bpftool net show
  const progs = await Promise.all(ids.map((id) => exec(['bpftool', 'prog', 'show', 'id', String(id)])))
  const mapsOf = progs.map((p) => (/map_ids ([\d,]+)/.exec(p.stdout)?.[1] ?? '').split(',').filter((m) => /^\d{1,10}$/.test(m)))
  const dumps = await Promise.all(mapsOf.map((maps) => Promise.all(maps.map((m) => exec(['bpftool', 'map', 'dump', 'id', m])))))
  return progs.flatMap((p, i) => [p, ...(dumps[i] ?? [])])
}

/** Probe, then the shared plan over every place the scenario's packet (or its reply) crosses. */
export async function captureLab(
  o: LabOptions & { reply?: boolean; onProgress?: (p: Progress) => void } = {},
): Promise<{ capture: Capture; probe: ProbeResult }> {
  const r = resolved(o)
  const name = scenarioOf(o)
  const s = SCENARIO[name]
  const p = await probe(o, name)
  if (p.tcp.exitCode !== 0 || !p.local) throw new Error(`the probe's TCP connection failed: ${(p.tcp.error ?? p.tcp.stderr).trim() || p.tcp.stdout.trim()}`)
  const c = clusterSpec(r.prefix, s.routing)
  const { places, netnsOf } = scenarioPlaces(c, name)
  const collected = await collectCapture({
    places,
    executor: new NetnsExecutor(netnsOf),
    flow: scenarioFlow(s, c, p.local, !!o.reply),
    cluster: { name: 'packetwalk-lab', cni: 'cilium' },
    title: o.reply ? `${s.title}: the reply` : s.title,
    onProgress: o.onProgress,
    // the tables after the traffic keep the lines of these too: the answering pod (a service's
    // backend) and the nodes' underlay addresses (a NodePort's SNAT, the tunnel's outer UDP flow)
    addresses: [
      ...c.pods.filter((x) => x.key === s.answeredBy || x.key === s.target.pod).map((x) => x.ip),
      ...(s.node2 ? c.nodes.map((n) => n.underlayIp) : []),
    ],
    extra: { collector: { kind: 'netns', netns: netnsOf } },
  })
  await Promise.all(
    places
      .filter((x) => x.role === 'agent')
      .map(async (place) => {
        const host = collected.hosts[place.hostId]
        const netShow = host?.runs.find((x) => x.command === 'bpftool net show')
        if (host && netShow) host.runs.push(...(await bpfCounterRuns(netnsOf, place, netShow)))
      }),
  )
  const node1 = collected.hosts[c.nodes[0].name]
  collected.cluster.cni = cniFromDevices(node1?.runs ?? [])
  for (const [hostId, ns] of Object.entries(netnsOf)) {
    const host = collected.hosts[hostId]
    if (host) host.netns = ns
  }
  collected.lab = {
    scenario: name,
    routing: s.routing,
    reply: !!o.reply,
    note:
      'Built by `npm run lab -- up`: Linux network namespaces on a real kernel that reproduce two Cilium nodes ' +
      '(lxc veths with bpf_lxc.o, bpf_host.o on the native devices' +
      (s.routing === 'native' ? '' : `, bpf_overlay.o on cilium_${s.routing}`) +
      ', cilium_host, kube-proxy and Cilium iptables rules). No Kubernetes and no Cilium agent: cilium commands fail with "not found".',
    probe: {
      tcp: p.tcp.stdout.trim(),
      ping: p.ping.stdout.trim().split('\n').slice(-2).join(' | '),
      ...(p.retried.length
        ? {
            retried: p.retried,
            retriedNote: `default/web picks a backend at random; ${p.retried.length} earlier connection(s) went to the other backend and their conntrack entries were deleted (conntrack -D) so the table holds the connection this capture follows`,
          }
        : {}),
    },
  }
  return { capture: collected, probe: p }
}
