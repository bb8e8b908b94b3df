/**
 * Runs one argument vector as a child process with hard bounds: a wall-clock timeout (the child
 * is killed, SIGTERM then SIGKILL) and a byte cap per stream (the child is killed once its output
 * is over the cap, the kept part is marked truncated). Never a shell: `execFile`-style argv only.
 *
 * A bounded stream (`cilium monitor`) is stopped on purpose at the timeout: what it printed until
 * then is the result, and the stop is not a failure (exit code 0, `timedOut` set).
 */
import { spawn } from 'node:child_process'
import type { ExecResult } from '@/server/collect/types'
import { LineFilter } from './line-filter'

export interface RunOptions {
  timeoutMs: number
  maxBytes: number
  bounded?: boolean
  /** written to the child's stdin, then stdin is closed */
  stdin?: string
  /** keep only the stdout lines naming one of these addresses (see line-filter.ts) */
  filter?: string[]
  /** grace between SIGTERM and SIGKILL */
  killGraceMs?: number
}

/** Exit code recorded for a command killed at its timeout, as timeout(1) does. */
export const TIMEOUT_EXIT_CODE = 124

class BoundedBuffer {
  private chunks: Buffer[] = []
  private size = 0
  truncated = false

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    if (this.size >= this.max) {
      this.truncated = true
      return
    }
    const room = this.max - this.size
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room))
      this.size = this.max
      this.truncated = true
    } else {
      this.chunks.push(chunk)
      this.size += chunk.length
    }
  }

  text(): string {
    // a cut in the middle of a UTF-8 sequence becomes U+FFFD rather than an exception
    return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(this.chunks))
  }
}

export function runArgv(argv: readonly string[], opts: RunOptions): Promise<ExecResult> {
  const started = Date.now()
  const [file, ...args] = argv
  if (!file) return Promise.resolve({ stdout: '', stderr: '', exitCode: -1, durationMs: 0, error: 'empty argument vector' })
  return new Promise((resolve) => {
    const filter = opts.filter ? new LineFilter(opts.filter, opts.maxBytes) : undefined
    const out = new BoundedBuffer(filter ? 0 : opts.maxBytes)
    const err = new BoundedBuffer(opts.maxBytes)
    let timedOut = false
    let settled = false
    let killTimer: NodeJS.Timeout | undefined
    const child = spawn(file, args, { stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], shell: false })

    const stop = () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 1000)
      killTimer.unref()
    }
    const timer = setTimeout(() => {
      timedOut = true
      stop()
    }, opts.timeoutMs)

    child.stdout?.on('data', (c: Buffer) => {
      if (filter) return filter.push(c)
      out.push(c)
      if (out.truncated) stop()
    })
    child.stderr?.on('data', (c: Buffer) => {
      err.push(c)
      if (err.truncated) stop()
    })
    if (opts.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => {}) // the child may exit before reading it all
      child.stdin.end(opts.stdin)
    }

    const finish = (r: Omit<ExecResult, 'durationMs' | 'stdout' | 'stderr'>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      filter?.end()
      const result: ExecResult = { stdout: filter ? filter.text() : out.text(), stderr: err.text(), durationMs: Date.now() - started, ...r }
      if (filter) result.filtered = filter.note()
      if (out.truncated || err.truncated || result.filtered?.truncated) result.truncated = true
      resolve(result)
    }

    child.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code === 'ENOENT' ? 127 : -1
      finish({ exitCode: code, error: `${file}: ${e.message}` })
    })
    child.on('close', (code, signal) => {
      if (timedOut) {
        finish(opts.bounded ? { exitCode: 0, timedOut: true } : { exitCode: TIMEOUT_EXIT_CODE, timedOut: true })
      } else if (code !== null) {
        finish({ exitCode: code })
      } else {
        // killed because its output went over the cap, or by someone else
        finish({ exitCode: out.truncated || err.truncated ? 0 : 128 + signalNumber(signal) })
      }
    })
  })
}

function signalNumber(signal: NodeJS.Signals | null): number {
  switch (signal) {
    case 'SIGKILL':
      return 9
    case 'SIGTERM':
      return 15
    case 'SIGINT':
      return 2
    default:
      return 0
  }
}
