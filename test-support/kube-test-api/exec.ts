/**
 * The pods/exec subresource over WebSocket, as kubelet streams it: binary frames whose first byte
 * is the channel (0 stdin, 1 stdout, 2 stderr, 3 error/status, 255 v5 close), an empty frame on the
 * lowest output channel once the stream is up, then the output as it comes, then the status.
 *
 * A "container" is a network namespace of the lab: argv runs as `ip netns exec <netns> <argv…>`
 * through spawn (an argument vector, never a shell line).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { WebSocket } from 'ws'
import { agentToolPath, findAgentTool } from '@/server/collect/agent-image'
import { execNonZeroExit, execNotFound, execSuccess, internalError, type Status } from './status'

export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'] as const
export type ExecProtocol = (typeof PROTOCOLS)[number] | ''

export const STDIN = 0
export const STDOUT = 1
export const STDERR = 2
export const ERROR = 3
export const CLOSE = 255

/** What the container's PATH would be; the lab's namespaces share this machine's file system. */
const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

const IP_BINARY = findExecutable('ip') ?? '/usr/sbin/ip'

export interface ExecStreams {
  stdin: boolean
  stdout: boolean
  stderr: boolean
}

export interface ExecOutcome {
  /** ran: the process ran and exited; not-found: missing binary; refused: the double's argv check said no */
  outcome: 'ran' | 'not-found' | 'refused' | 'killed' | 'error'
  exitCode?: number
  durationMs: number
}

/** Looks the binary up like execvp would in a container of a full image (this machine's tools). */
export function findExecutable(name: string): string | undefined {
  const candidates = name.includes('/') ? [name] : CONTAINER_PATH.split(':').map((d) => path.join(d, name))
  for (const c of candidates) {
    try {
      const st = fs.statSync(c)
      if (st.isFile()) {
        fs.accessSync(c, fs.constants.X_OK)
        return c
      }
    } catch {
      // not here: try the next directory
    }
  }
  return undefined
}

function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data
  const out = Buffer.allocUnsafe(body.length + 1)
  out[0] = channel
  body.copy(out, 1)
  return out
}

/** The error channel as the negotiated protocol wants it: JSON Status from v4 on, plain text before. */
function writeStatus(ws: WebSocket, protocol: ExecProtocol, status: Status): void {
  if (protocol === 'v4.channel.k8s.io' || protocol === 'v5.channel.k8s.io') {
    ws.send(frame(ERROR, JSON.stringify(status)))
  } else if (status.status === 'Failure') {
    ws.send(frame(ERROR, status.message ?? 'error'))
  }
}

/** SIGKILL → 137, as the runtime reports a killed process. */
function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code
  const n = signal ? ({ SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGPIPE: 13 } as Record<string, number>)[signal] : undefined
  return 128 + (n ?? 0)
}

export interface RunExecOptions {
  ws: WebSocket
  protocol: ExecProtocol
  netns: string
  argv: string[]
  streams: ExecStreams
  /** kill the process after this long (the double's bound; a real cluster has only an idle timeout) */
  maxExecMs: number
  /** refuses argv the project's allowlist would refuse; returns the reason */
  refuse?: (argv: string[]) => string | undefined
  /**
   * the container runs the Cilium agent image: its PATH holds only that image's tools
   * (server/collect/agent-image.ts), so a tool the real image lacks is "not found" here too
   */
  agentImage?: boolean
  /** every running child, so the server can kill them when it stops */
  children: Set<ChildProcess>
}

export function runExec(o: RunExecOptions): Promise<ExecOutcome> {
  const started = Date.now()
  const { ws, protocol } = o
  const done = (outcome: ExecOutcome['outcome'], status: Status, exitCode?: number): ExecOutcome => {
    if (ws.readyState === ws.OPEN) {
      writeStatus(ws, protocol, status)
      ws.close(1000)
    }
    return { outcome, exitCode, durationMs: Date.now() - started }
  }

  // kubelet signals "stream ready" with an empty frame on the lowest output channel
  ws.send(Buffer.from([o.streams.stdout ? STDOUT : o.streams.stderr ? STDERR : ERROR]))

  const reason = o.refuse?.(o.argv)
  if (reason !== undefined) {
    return Promise.resolve(done('refused', internalError(`error executing command in container: refused by the test API server: ${reason}`)))
  }
  const binary = o.argv[0] ?? ''
  const containerPath = o.agentImage ? agentToolPath() : CONTAINER_PATH
  if (!(o.agentImage ? findAgentTool(binary) : findExecutable(binary))) {
    return Promise.resolve(done('not-found', execNotFound(binary, randomBytes(32).toString('hex')), 127))
  }

  return new Promise((resolve) => {
    let child: ChildProcess
    try {
      // ip by its full path: the container's PATH may not hold it
      child = spawn(IP_BINARY, ['netns', 'exec', o.netns, ...o.argv], {
        stdio: [o.streams.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        // the container's environment, not ours (no NODE_ENV, no KUBECONFIG…)
        env: Object.assign({} as NodeJS.ProcessEnv, { PATH: containerPath, HOME: '/root' }),
      })
    } catch (e) {
      resolve(done('error', internalError(`error executing command in container: ${e instanceof Error ? e.message : String(e)}`)))
      return
    }
    o.children.add(child)
    let killed = false
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) {
        killed = true
        child.kill('SIGKILL')
      }
    }
    const timer = setTimeout(kill, o.maxExecMs)

    child.stdout?.on('data', (d: Buffer) => {
      if (o.streams.stdout && ws.readyState === ws.OPEN) ws.send(frame(STDOUT, d))
    })
    child.stderr?.on('data', (d: Buffer) => {
      if (o.streams.stderr && ws.readyState === ws.OPEN) ws.send(frame(STDERR, d))
    })
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary || data.length === 0) return
      const ch = data[0]
      if (ch === STDIN && child.stdin?.writable) child.stdin.write(data.subarray(1))
      // v5: the client half-closes stdin with [255, 0]
      if (ch === CLOSE && protocol === 'v5.channel.k8s.io' && data[1] === STDIN) child.stdin?.end()
    })
    // a client that hangs up (a bounded `cilium monitor`) ends the process with it
    ws.on('close', kill)
    child.on('error', (e) => {
      clearTimeout(timer)
      o.children.delete(child)
      resolve(done('error', internalError(`error executing command in container: ${e.message}`)))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      o.children.delete(child)
      const exitCode = exitCodeOf(code, signal)
      const status = exitCode === 0 ? execSuccess() : execNonZeroExit(o.argv, exitCode)
      resolve(done(killed ? 'killed' : 'ran', status, exitCode))
    })
  })
}
