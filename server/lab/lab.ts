/**
 * The lab's life cycle: up (namespaces, veths, routes, sysctls, iptables and the BPF program, all
 * inside namespaces named `<prefix>-…`, plus a TCP server in the "internet" namespace), probe
 * (real traffic from the pod), capture (the shared plan over those namespaces) and down, which
 * removes exactly what up recorded in its state file, and is safe to run twice.
 *
 * Every process is spawned with an argv (no shell) and a time bound. Nothing is created in, or
 * changed in, the machine's root network namespace.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Capture } from '@/lib/model/capture'
import { captureFromNetns, listNetns } from '@/server/collect/netns'
import { runArgv } from '@/server/collect/process'
import type { ExecResult, Progress } from '@/server/collect/types'
import { buildBpfObject } from '@/server/lab/bpf'
import { labNamespaces, upSteps } from '@/server/lab/steps'
import { ADDR, DEFAULT_PREFIX, labNames, type LabNames } from '@/server/lab/topology'

export interface LabOptions {
  prefix?: string
  /** where the state file and the built BPF object go (git-ignored `.lab/` by default) */
  stateDir?: string
  /** seconds the lab's TCP server lives before exiting on its own */
  serverLifetimeSec?: number
  log?: (line: string) => void
}

export interface LabState {
  version: 1
  prefix: string
  createdAt: string
  /** namespaces this lab created, in creation order */
  netns: string[]
  lxc: string
  bpfObject?: string
  server?: { pid: number; script: string }
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
  const names = labNames(o.prefix ?? DEFAULT_PREFIX)
  const stateDir = o.stateDir ?? process.env.PW_LAB_DIR ?? path.join(root, '.lab')
  return {
    root,
    names,
    stateDir,
    stateFile: path.join(stateDir, `${names.prefix}.state.json`),
    log: o.log ?? (() => {}),
    echoScript: path.join(root, 'server/lab/tcp-echo.mjs'),
    probeScript: path.join(root, 'server/lab/tcp-probe.mjs'),
    bpfSource: path.join(root, 'server/lab/bpf/bpf_lxc.c'),
  }
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (network namespaces, iptables, tc): run it with sudo')
}

export function readState(stateFile: string): LabState | undefined {
  if (!existsSync(stateFile)) return undefined
  try {
    const s = JSON.parse(readFileSync(stateFile, 'utf8')) as LabState
    return s.version === 1 && Array.isArray(s.netns) ? s : undefined
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

async function step(argv: string[], why: string, log: (l: string) => void): Promise<ExecResult> {
  log(`  ${argv.join(' ')}`)
  const r = await runArgv(argv, { timeoutMs: STEP_TIMEOUT_MS, maxBytes: MAX_OUTPUT })
  if (r.exitCode !== 0) {
    const detail = (r.error ?? r.stderr).trim() || (r.timedOut ? `timed out after ${STEP_TIMEOUT_MS} ms` : `exit ${r.exitCode}`)
    throw new Error(`${why}: ${argv.join(' ')} failed: ${detail}`)
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

/** Starts the TCP server inside the world namespace, detached, and waits for it to listen. */
async function startServer(names: LabNames, script: string, lifetimeSec: number): Promise<number> {
  const argv = ['ip', 'netns', 'exec', names.world, process.execPath, script, ADDR.destinationIp, String(ADDR.destinationPort), String(lifetimeSec)]
  // `ip netns exec` execs the command in place, so the child's pid is the server's
  const child = spawn(argv[0] as string, argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'ignore'] })
  const pid = child.pid
  if (pid === undefined) throw new Error('could not start the TCP server')
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('the TCP server did not listen within 5 s'))
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
      reject(new Error(`the TCP server exited (code ${code}) before listening`))
    })
  })
  child.removeAllListeners('exit')
  child.stdout?.destroy()
  child.unref()
  return pid
}

async function stopServer(server: NonNullable<LabState['server']>, log: (l: string) => void): Promise<void> {
  const cmd = cmdlineOf(server.pid)
  // only a process that is still our script: a recycled pid belongs to someone else
  if (!cmd || !cmd.includes(server.script)) return
  log(`  kill ${server.pid} (${path.basename(server.script)})`)
  process.kill(server.pid, 'SIGTERM')
  for (let i = 0; i < 30; i++) {
    if (!cmdlineOf(server.pid)) return
    await new Promise((r) => setTimeout(r, 100))
  }
  if (cmdlineOf(server.pid)?.includes(server.script)) process.kill(server.pid, 'SIGKILL')
}

export interface UpResult {
  alreadyUp: boolean
  names: LabNames
  steps: number
  durationMs: number
}

export async function up(o: LabOptions = {}): Promise<UpResult> {
  requireRoot()
  const started = Date.now()
  const r = resolved(o)
  const { names, log } = r
  const namespaces = labNamespaces(names)
  const existing = await listNetns()
  const prior = readState(r.stateFile)
  if (prior) {
    if (prior.complete && prior.netns.every((n) => existing.includes(n))) return { alreadyUp: true, names, steps: 0, durationMs: 0 }
    throw new Error(`a previous lab (${r.stateFile}) is only partly there: run \`npm run lab -- down\` first`)
  }
  const clash = namespaces.filter((n) => existing.includes(n))
  if (clash.length) throw new Error(`network namespace ${clash.join(', ')} already exists and was not made by this lab; choose another --prefix`)

  log('building bpf_lxc.o')
  const bpfObject = await buildBpfObject(r.bpfSource, r.stateDir)
  const state: LabState = { version: 1, prefix: names.prefix, createdAt: new Date().toISOString(), netns: [], lxc: names.lxc, bpfObject, complete: false }
  writeState(r.stateFile, state)
  const steps = upSteps(names, bpfObject)
  try {
    for (const ns of namespaces) {
      // recorded before it exists, so a crash in between still leaves down something to remove
      state.netns.push(ns)
      writeState(r.stateFile, state)
      await step(['ip', 'netns', 'add', ns], `namespace ${ns}`, log)
    }
    for (const s of steps) await step(s.argv, s.why, log)
    const lifetime = o.serverLifetimeSec ?? 1800
    log(`  ip netns exec ${names.world} node server/lab/tcp-echo.mjs ${ADDR.destinationIp} ${ADDR.destinationPort} ${lifetime}`)
    const pid = await startServer(names, r.echoScript, lifetime)
    state.server = { pid, script: r.echoScript }
    state.complete = true
    writeState(r.stateFile, state)
  } catch (e) {
    log('up failed; removing what was made')
    await down(o)
    throw e
  }
  return { alreadyUp: false, names, steps: namespaces.length + steps.length + 1, durationMs: Date.now() - started }
}

export interface DownResult {
  removed: string[]
  serverStopped: boolean
}

export async function down(o: LabOptions = {}): Promise<DownResult> {
  requireRoot()
  const r = resolved(o)
  const state = readState(r.stateFile)
  if (!state) return { removed: [], serverStopped: false }
  let serverStopped = false
  if (state.server) {
    await stopServer(state.server, r.log)
    serverStopped = true
  }
  const existing = await listNetns()
  const removed: string[] = []
  for (const ns of [...state.netns].reverse()) {
    if (!existing.includes(ns)) continue
    await step(['ip', 'netns', 'del', ns], `remove ${ns}`, r.log)
    removed.push(ns)
  }
  rmSync(r.stateFile, { force: true })
  return { removed, serverStopped }
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
  const namespaces = labNamespaces(r.names).map((name) => ({ name, exists: existing.includes(name) }))
  const serverRunning = !!state?.server && !!cmdlineOf(state.server.pid)?.includes(state.server.script)
  const up = !!state?.complete && namespaces.every((n) => n.exists) && serverRunning
  return { up, state, namespaces, serverRunning }
}

export interface ProbeResult {
  tcp: ExecResult
  ping: ExecResult
}

/** Real traffic from the pod: a TCP exchange with the destination, then two pings. */
export async function probe(o: LabOptions = {}): Promise<ProbeResult> {
  requireRoot()
  const r = resolved(o)
  const s = await status(o)
  if (!s.up) throw new Error('the lab is not up: run `npm run lab -- up` first')
  const dst = ADDR.destinationIp
  const tcp = await runArgv(['ip', 'netns', 'exec', r.names.pod, process.execPath, r.probeScript, dst, String(ADDR.destinationPort)], {
    timeoutMs: 10_000,
    maxBytes: MAX_OUTPUT,
  })
  const ping = await runArgv(['ip', 'netns', 'exec', r.names.pod, 'ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', dst], {
    timeoutMs: 6000,
    maxBytes: MAX_OUTPUT,
  })
  return { tcp, ping }
}

/** Probe, then the shared plan over the lab's namespaces (the agent's place is the node's). */
export async function captureLab(o: LabOptions & { onProgress?: (p: Progress) => void } = {}): Promise<{ capture: Capture; probe: ProbeResult }> {
  const r = resolved(o)
  const p = await probe(o)
  if (p.tcp.exitCode !== 0) throw new Error(`the probe's TCP connection failed: ${(p.tcp.error ?? p.tcp.stderr).trim()}`)
  const capture = await captureFromNetns({
    podNetns: r.names.pod,
    nodeNetns: r.names.node,
    agentNetns: r.names.node,
    from: 'default/client',
    clusterName: 'packetwalk-lab',
    to: { ip: ADDR.destinationIp, port: ADDR.destinationPort, protocol: 'tcp' },
    title: `packetwalk lab: Cilium-style node in network namespaces, pod to ${ADDR.destinationIp}:${ADDR.destinationPort}`,
    onProgress: o.onProgress,
    extra: {
      lab: {
        note:
          'Built by `npm run lab -- up`: Linux network namespaces on a real kernel that reproduce the seed DOKS node ' +
          '(lxc veth with a BPF from-container program, cilium_host, iptables masquerade). No Kubernetes and no Cilium agent: ' +
          'cilium commands fail with "not found".',
        probe: { tcp: p.tcp.stdout.trim(), ping: p.ping.stdout.trim().split('\n').slice(-2).join(' | ') },
      },
    },
  })
  return { capture, probe: p }
}
