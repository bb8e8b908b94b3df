/**
 * One command in one container, the `kubectl exec` way: client-node's Exec over the API server's
 * exec WebSocket (channel.k8s.io protocols), with an argument vector (no shell), a time bound and
 * an output cap. The transport is ours so that a refused upgrade (401/403/404) keeps the
 * apiserver's Status message and a stopped stream cannot touch this process's stdout.
 */
import { Writable } from 'node:stream'
import WebSocket from 'ws'
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node'
import type { ExecResult } from '@/server/collect/types'
import { LineFilter } from '@/server/collect/line-filter'
import { KubeError, errorFromNetwork, errorFromResponse, errorMessage } from './errors'

export interface ExecTarget {
  namespace: string
  pod: string
  container: string
}

export interface ExecBounds {
  timeoutMs: number
  maxBytes: number
  /** a stream stopped on purpose at timeoutMs (cilium monitor): exit code 0, timedOut set */
  bounded?: boolean
  /** keep only the stdout lines naming one of these addresses, scanned as they stream in */
  filter?: string[]
}

/** Exit code recorded for a command stopped at its time bound, as timeout(1) does. */
export const TIMEOUT_EXIT_CODE = 124
/** Exit code recorded when the runtime could not find the executable, as a shell does. */
export const NOT_FOUND_EXIT_CODE = 127

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']
const STATUS_STREAM = 3
const CLOSE_STREAM = 255

/** Keeps the first `max` bytes and says when more came. */
class CappedSink extends Writable {
  private chunks: Buffer[] = []
  private size = 0
  truncated = false

  constructor(
    private readonly max: number,
    private readonly onOverflow: () => void,
  ) {
    super()
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    const room = this.max - this.size
    if (chunk.length > room) {
      if (room > 0) this.chunks.push(chunk.subarray(0, room))
      this.size = this.max
      if (!this.truncated) {
        this.truncated = true
        this.onOverflow()
      }
    } else {
      this.chunks.push(chunk)
      this.size += chunk.length
    }
    cb()
  }

  text(): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(this.chunks))
  }
}

/** stdout of a big table: filtered line by line as it streams (server/collect/line-filter.ts). */
class FilterSink extends Writable {
  readonly filter: LineFilter
  constructor(needles: string[], max: number) {
    super()
    this.filter = new LineFilter(needles, max)
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.filter.push(chunk)
    cb()
  }

  text(): string {
    this.filter.end()
    return this.filter.text()
  }

  get truncated(): boolean {
    return false
  }
}

/**
 * The WebSocket transport handed to client-node's Exec. It reads the body of a refused upgrade,
 * so a 403 says which permission is missing.
 */
class ExecSocket {
  current?: WebSocket
  constructor(
    private readonly kc: KubeConfig,
    private readonly context: string,
    private readonly what: string,
    private readonly handshakeTimeoutMs: number,
  ) {}

  async connect(
    path: string,
    _textHandler: ((text: string) => boolean) | null,
    binaryHandler: ((stream: number, buff: Buffer) => boolean) | null,
  ): Promise<WebSocket> {
    const cluster = this.kc.getCurrentCluster()
    if (!cluster) throw new KubeError('bad-kubeconfig', `context "${this.context}" has no cluster`)
    const server = cluster.server.replace(/\/+$/, '')
    const uri = server.replace(/^http/, 'ws') + path
    const opts: WebSocket.ClientOptions = {}
    try {
      await this.kc.applyToHTTPSOptions(opts)
    } catch (e) {
      throw new KubeError('unauthorized', `cannot get credentials for context "${this.context}": ${errorMessage(e).split('\n')[0]}`)
    }
    return new Promise<WebSocket>((resolve, reject) => {
      let opened = false
      const ws = new WebSocket(uri, PROTOCOLS, { ...opts, handshakeTimeout: this.handshakeTimeoutMs })
      this.current = ws
      ws.on('unexpected-response', (req, res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          reject(errorFromResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), this.what, this.context))
          req.destroy()
        })
        res.on('error', () => reject(errorFromResponse(res.statusCode ?? 0, '', this.what, this.context)))
      })
      ws.on('open', () => {
        opened = true
        resolve(ws)
      })
      ws.on('error', (e) => {
        if (!opened) reject(errorFromNetwork(e, server, this.context))
      })
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary || !binaryHandler || data.length < 1) return
        const stream = data.readUInt8(0)
        if (stream === CLOSE_STREAM) return
        let keep = true
        try {
          keep = binaryHandler(stream, data.subarray(1))
        } catch {
          // channel.k8s.io v1–v3 write plain text on the status channel: keep it as the error
          if (stream === STATUS_STREAM) this.plainStatus = data.subarray(1).toString('utf8')
          keep = false
        }
        if (!keep) ws.close()
      })
    })
  }

  plainStatus?: string
}

function exitFromStatus(s: V1Status): { exitCode: number; message?: string; notFound?: boolean; error?: string } {
  if (s.status === 'Success') return { exitCode: 0 }
  const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode')
  if (s.reason === 'NonZeroExitCode' && cause?.message && /^\d+$/.test(cause.message)) return { exitCode: Number(cause.message) }
  const message = s.message ?? 'the command failed without a message'
  // containerd / CRI-O / dockershim: the process never started because the binary is not in the image
  if (/executable file not found|no such file or directory|not found in \$PATH/i.test(message)) {
    return { exitCode: NOT_FOUND_EXIT_CODE, message, notFound: true }
  }
  if (/permission denied/i.test(message)) return { exitCode: 126, message }
  return { exitCode: -1, message, error: message }
}

/** Runs argv in the container. Never throws: API and network failures come back in `error`. */
export async function execInContainer(
  kc: KubeConfig,
  context: string,
  target: ExecTarget,
  argv: readonly string[],
  bounds: ExecBounds,
): Promise<ExecResult> {
  const started = Date.now()
  // no program name here: the same refusal for every command of a place reads as one message
  const what = `exec in pod ${target.namespace}/${target.pod} (container ${target.container})`
  const socket = new ExecSocket(kc, context, what, bounds.timeoutMs)
  let timedOut = false
  let ended = false
  const stop = () => socket.current?.terminate()
  const out = bounds.filter ? new FilterSink(bounds.filter, bounds.maxBytes) : new CappedSink(bounds.maxBytes, stop)
  const err = new CappedSink(bounds.maxBytes, stop)
  let status: V1Status | undefined
  const timer = setTimeout(() => {
    if (ended) return
    timedOut = true
    stop()
  }, bounds.timeoutMs)

  const result = (extra: Omit<ExecResult, 'stdout' | 'stderr' | 'durationMs'> & { stderrTail?: string }): ExecResult => {
    ended = true
    clearTimeout(timer)
    const { stderrTail, ...rest } = extra
    let stderr = err.text()
    if (stderrTail) stderr = stderr ? `${stderr.replace(/\n?$/, '\n')}${stderrTail}` : stderrTail
    const r: ExecResult = { stdout: out.text(), stderr, durationMs: Date.now() - started, ...rest }
    if (out instanceof FilterSink) {
      r.filtered = out.filter.note()
      if (r.filtered.truncated) r.truncated = true
    }
    if (out.truncated || err.truncated) r.truncated = true
    return r
  }

  let ws: WebSocket
  try {
    const exec = new Exec(kc, socket)
    ws = (await exec.exec(target.namespace, target.pod, target.container, [...argv], out, err, null, false, (s) => {
      status = s
    })) as unknown as WebSocket
  } catch (e) {
    if (timedOut) return result({ exitCode: bounds.bounded ? 0 : TIMEOUT_EXIT_CODE, timedOut: true, error: bounds.bounded ? undefined : `no answer within ${bounds.timeoutMs} ms (${what})` })
    const message = e instanceof KubeError ? e.message : errorMessage(e)
    return result({ exitCode: -1, error: message })
  }

  await new Promise<void>((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve()
    ws.on('close', () => resolve())
  })

  if (status) {
    const x = exitFromStatus(status)
    const r = result({ exitCode: x.exitCode, stderrTail: x.message, error: x.error })
    if (timedOut) r.timedOut = true
    return r
  }
  if (timedOut) {
    return bounds.bounded ? result({ exitCode: 0, timedOut: true }) : result({ exitCode: TIMEOUT_EXIT_CODE, timedOut: true, stderrTail: `packetwalk: stopped after ${bounds.timeoutMs} ms` })
  }
  if (out.truncated || err.truncated) return result({ exitCode: 0 })
  if (socket.plainStatus) return result({ exitCode: -1, error: socket.plainStatus.trim(), stderrTail: socket.plainStatus.trim() })
  return result({ exitCode: -1, error: `the connection closed before the command reported its exit status (${what})` })
}

/** true when an exec result says the program is not in the container's image. */
export function isNotFound(r: ExecResult): boolean {
  return r.exitCode === NOT_FOUND_EXIT_CODE || /executable file not found|command not found|not found in \$PATH/i.test(r.stderr)
}
