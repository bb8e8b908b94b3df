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

function defaultSink(line: string): void {
  const file = process.env.PACKETWALK_LOG
  if (file) {
    try {
      fs.appendFileSync(file, line + '\n', { mode: 0o600 })
      return
    } catch (e) {
      process.stderr.write(`packetwalk: cannot write the command log ${file}: ${(e as Error).message}\n`)
    }
  }
  process.stderr.write(line + '\n')
}

let sink: AuditSink = defaultSink

export function setAuditSink(s: AuditSink | undefined): void {
  sink = s ?? defaultSink
}

export function audit(who: Requester, e: AuditEvent): void {
  sink(JSON.stringify({ time: new Date().toISOString(), who, ...e }))
}
