/**
 * The command log: one JSON line per command packetwalk runs (or refuses) in a cluster, with who
 * asked for it. Written to the file named by PACKETWALK_LOG (appended, created 0600), else to
 * stderr. Tokens are never logged, only a short fingerprint that tells tokens apart.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'

/** Who asked: the HTTP client of a live request, or the local user of the CLI. */
export interface Requester {
  /** remote address as the server saw it (x-forwarded-for as set by the Next server), or "cli" */
  remote: string
  userAgent?: string
  /** sha256 fingerprint of the token used, first 12 hex digits; "none" without a token */
  tokenId: string
  /** local account, for the CLI */
  user?: string
}

export type AuditEvent =
  | {
      event: 'exec'
      context: string
      target: string
      argv: readonly string[]
      exitCode: number
      durationMs: number
      truncated?: boolean
      timedOut?: boolean
      error?: string
    }
  | { event: 'refused'; context: string; target: string; argv: readonly string[]; reason: string }
  | { event: 'create'; context: string; target: string; what: string; detail: string }
  | { event: 'denied'; path: string; reason: string }

export function tokenFingerprint(token: string | undefined): string {
  if (!token) return 'none'
  return crypto.createHash('sha256').update(token).digest('hex').slice(0, 12)
}

export function cliRequester(): Requester {
  let user = 'unknown'
  try {
    user = os.userInfo().username
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return { remote: 'cli', tokenId: 'none', user }
}

/** Where lines go; replaced in tests. */
export type AuditSink = (line: string) => void

/** The log file is rotated past this size (PACKETWALK_LOG_MAX_MB), keeping LOG_GENERATIONS old files. */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024
export const LOG_GENERATIONS = 3

function logMaxBytes(): number {
  const v = Number(process.env.PACKETWALK_LOG_MAX_MB)
  return Number.isFinite(v) && v > 0 ? Math.floor(v * 1024 * 1024) : DEFAULT_LOG_MAX_BYTES
}

/** file → its size as last known, so rotation needs no stat per line */
const sizes = new Map<string, number>()

/** file → file.1 → file.2 …; the oldest generation is dropped. */
export function rotateLog(file: string): void {
  for (let i = LOG_GENERATIONS - 1; i >= 1; i--) {
    try {
      fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`)
    } catch {
      // that generation does not exist yet
    }
  }
  fs.renameSync(file, `${file}.1`)
  fs.rmSync(`${file}.${LOG_GENERATIONS + 1}`, { force: true })
  sizes.set(file, 0)
}

function appendToLog(file: string, line: string): void {
  let size = sizes.get(file)
  if (size === undefined) {
    try {
      size = fs.statSync(file).size
    } catch {
      size = 0
    }
  }
  const bytes = Buffer.byteLength(line) + 1
  if (size > 0 && size + bytes > logMaxBytes()) {
    rotateLog(file)
    size = 0
  }
  fs.appendFileSync(file, line + '\n', { mode: 0o600 })
  sizes.set(file, size + bytes)
}

function defaultSink(line: string): void {
  const file = process.env.PACKETWALK_LOG
  if (file) {
    try {
      appendToLog(file, line)
      return
    } catch (e) {
      process.stderr.write(`packetwalk: cannot write the command log ${file}: ${(e as Error).message}\n`)
    }
  }
  process.stderr.write(line + '\n')
}

/** Longest string kept in a log field, most array items; a line is never more than a few KB. */
export const MAX_FIELD_CHARS = 300
export const MAX_ARGV_ITEMS = 64

/** Every string cut to MAX_FIELD_CHARS, every array to MAX_ARGV_ITEMS: no client can make a line long. */
export function bounded(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return v.length > MAX_FIELD_CHARS ? `${v.slice(0, MAX_FIELD_CHARS)}…(${v.length} chars)` : v
  if (depth > 4 || v === null || typeof v !== 'object') return typeof v === 'object' && v !== null ? '…' : v
  if (Array.isArray(v)) {
    const items = v.slice(0, MAX_ARGV_ITEMS).map((x) => bounded(x, depth + 1))
    return v.length > MAX_ARGV_ITEMS ? [...items, `…(${v.length - MAX_ARGV_ITEMS} more)`] : items
  }
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v).slice(0, 32)) out[k.slice(0, 40)] = bounded(x, depth + 1)
  return out
}

let sink: AuditSink = defaultSink

export function setAuditSink(s: AuditSink | undefined): void {
  sink = s ?? defaultSink
}

export function audit(who: Requester, e: AuditEvent): void {
  sink(JSON.stringify(bounded({ time: new Date().toISOString(), who, ...e })))
}
