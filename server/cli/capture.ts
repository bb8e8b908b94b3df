/**
 * `packetwalk capture`: takes a capture and writes it (stdout, or -o file). With --netns-* it
 * collects from Linux network namespaces of this machine (root), running the shared plan with
 * `ip netns exec`; without them it is the live-cluster collector's job.
 *
 *   capture --netns-pod pw-pod --netns-node pw-node [--netns-agent pw-node]
 *           --from default/client --to 198.51.100.80:80/tcp [-o file.json]
 */
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Capture, Protocol } from '@/lib/model/capture'
import { validateCapture } from '@/lib/formats/capture-schema'
import { captureFromNetns } from '@/server/collect/netns'
import type { Progress } from '@/server/collect/types'
import { isIpAddress, isNetnsName, isPodRef, isPort } from '@/server/security/names'

export interface Destination {
  ip: string
  port?: number
  protocol: Protocol
}

/**
 * `198.51.100.80:80/tcp`, `1.0.0.1`, `1.0.0.1/icmp`, `10.96.0.10:53/udp`. Without a protocol:
 * tcp when a port is given, icmp otherwise.
 */
export function parseDestination(text: string): Destination | { error: string } {
  const m = /^([0-9.]+)(?::([0-9]+))?(?:\/(tcp|udp|icmp))?$/.exec(text)
  if (!m || !isIpAddress(m[1] ?? '')) return { error: `--to ${JSON.stringify(text)}: expected ip[:port][/tcp|udp|icmp], e.g. 198.51.100.80:80/tcp` }
  const ip = m[1] as string
  const portText = m[2]
  if (portText !== undefined && !isPort(portText)) return { error: `--to: port ${portText} is not 1–65535` }
  const protocol = (m[3] as Protocol | undefined) ?? (portText !== undefined ? 'tcp' : 'icmp')
  if (protocol === 'icmp' && portText !== undefined) return { error: '--to: icmp has no port' }
  return portText !== undefined ? { ip, port: Number(portText), protocol } : { ip, protocol }
}

interface Args {
  netnsPod?: string
  netnsNode?: string
  netnsAgent?: string
  from?: string
  to?: string
  out?: string
  title?: string
  nodeName?: string
  quiet: boolean
}

const VALUE_FLAGS: Record<string, keyof Args> = {
  '--netns-pod': 'netnsPod',
  '--netns-node': 'netnsNode',
  '--netns-agent': 'netnsAgent',
  '--from': 'from',
  '--to': 'to',
  '-o': 'out',
  '--output': 'out',
  '--title': 'title',
  '--node-name': 'nodeName',
}

function parseArgs(args: string[]): Args | { error: string } {
  const a: Args = { quiet: false }
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] as string
    if (flag === '-q' || flag === '--quiet') {
      a.quiet = true
      continue
    }
    const eq = flag.indexOf('=')
    const name = eq > 0 && flag.startsWith('--') ? flag.slice(0, eq) : flag
    const key = VALUE_FLAGS[name]
    if (!key) return { error: `unknown option ${JSON.stringify(flag)}` }
    const value = eq > 0 && flag.startsWith('--') ? flag.slice(eq + 1) : args[++i]
    if (value === undefined || value === '') return { error: `${name} needs a value` }
    ;(a as unknown as Record<string, string>)[key] = value
  }
  return a
}

const USAGE =
  'usage: packetwalk capture --netns-pod <netns> --netns-node <netns> [--netns-agent <netns>] --from <ns/pod> --to <ip[:port][/proto]> [-o file.json]\n' +
  '       packetwalk capture --from <ns/pod> --to <ip[:port][/proto]> [--context <kube-context>] [-o file.json]'

/** Writes the capture after validating it against the format's schema. */
export function writeCapture(capture: Capture, out: string | undefined): { ok: true } | { ok: false; error: string } {
  const v = validateCapture(capture)
  if (!v.ok) return { ok: false, error: `the collected capture does not validate (${v.error}); not written` }
  const text = JSON.stringify(capture, null, 2) + '\n'
  if (out) writeFileSync(out, text)
  else process.stdout.write(text)
  return { ok: true }
}

export function progressPrinter(stream: NodeJS.WritableStream): (p: Progress) => void {
  return (p) => {
    if (p.type === 'end') {
      const flags = [p.timedOut ? 'stopped at time bound' : '', p.truncated ? 'truncated' : '', p.error ?? ''].filter(Boolean).join(', ')
      stream.write(`  ${p.hostId}: ${p.command} → exit ${p.exitCode} (${p.durationMs} ms)${flags ? ` [${flags}]` : ''}\n`)
    } else if (p.type === 'note') {
      stream.write(`  ${p.level}: ${p.message}\n`)
    }
  }
}

async function runNetnsCapture(a: Args): Promise<number> {
  if (!a.netnsPod || !a.netnsNode) return fail('--netns-pod and --netns-node are both needed for a network-namespace capture')
  for (const [flag, v] of [['--netns-pod', a.netnsPod], ['--netns-node', a.netnsNode], ['--netns-agent', a.netnsAgent]] as const) {
    if (v !== undefined && !isNetnsName(v)) return fail(`${flag} ${JSON.stringify(v)}: expected a network namespace name (DNS-1123 label)`)
  }
  if (!a.from || !isPodRef(a.from)) return fail(`--from ${JSON.stringify(a.from ?? '')}: expected <namespace>/<pod>`)
  if (!a.to) return fail('--to is required')
  const to = parseDestination(a.to)
  if ('error' in to) return fail(to.error)
  if (a.nodeName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(a.nodeName)) return fail('--node-name: expected a node name')
  if (process.getuid?.() !== 0) return fail('a network-namespace capture needs root (ip netns exec)')
  try {
    const capture = await captureFromNetns({
      podNetns: a.netnsPod,
      nodeNetns: a.netnsNode,
      agentNetns: a.netnsAgent,
      from: a.from,
      to,
      nodeName: a.nodeName,
      title: a.title,
      onProgress: a.quiet ? undefined : progressPrinter(process.stderr),
    })
    const w = writeCapture(capture, a.out)
    if (!w.ok) return fail(w.error, 1)
    if (a.out && !a.quiet) process.stderr.write(`capture written to ${a.out}\n`)
    return 0
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e), 1)
  }
}

function fail(message: string, code = 2): number {
  process.stderr.write(`packetwalk capture: ${message}\n`)
  return code
}

/** Entry point of the `capture` verb: returns the exit code. */
export async function runCapture(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  const netnsMode = args.some((x) => x.startsWith('--netns-'))
  if (!netnsMode) return runLiveCapture(args)
  const a = parseArgs(args)
  if ('error' in a) return fail(`${a.error}\n${USAGE}`)
  return runNetnsCapture(a)
}

/**
 * The live-cluster collector (kubeconfig) lives in its own module, server/cli/capture-live.ts,
 * exporting `runLiveCapture(args)`; it is loaded only when asked for.
 */
async function runLiveCapture(args: string[]): Promise<number> {
  const file = ['capture-live.ts', 'capture-live.js'].map((f) => path.join(__dirname, f)).find((f) => existsSync(f))
  if (file) {
    const mod = (await import(pathToFileURL(file).href)) as { runLiveCapture?: (args: string[]) => Promise<number> }
    if (typeof mod.runLiveCapture === 'function') return mod.runLiveCapture(args)
  }
  return fail('live-cluster capture is not available in this build; use --netns-pod/--netns-node for network namespaces')
}
