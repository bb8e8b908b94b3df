/**
 * Where captures come from on the server: the embedded demos in lib/demo/*.capture.json (read
 * once), and files users open, validated with parseCaptureText and kept in memory keyed by a
 * hash of their content (opening the same file twice costs nothing). Also serves windows of raw
 * output lines so the browser never receives a whole huge output.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parseCaptureText } from '@/lib/formats/capture-schema'
import type { Capture } from '@/lib/model/capture'
import { lineStarts, sliceLines } from '@/lib/view/text-lines'
import type { CaptureSummary, Stream } from '@/lib/view/walk-view'

export interface StoredCapture {
  summary: CaptureSummary
  capture: Capture
  bytes: number
  /** Line offsets of outputs already windowed, by `host#run#stream`. */
  lineIndex: Map<string, number[]>
}

const DEMO_DIR = path.join(process.cwd(), 'lib', 'demo')
const SUFFIX = '.capture.json'
/** Uploaded captures kept in memory; the oldest goes first. Each may be tens of MB. */
const MAX_UPLOADS = 6
const MAX_UPLOAD_BYTES = 400 * 1024 * 1024
/** The most lines one request for more output may return. */
export const MAX_LINES_PER_REQUEST = 500

const embedded = new Map<string, StoredCapture>()
const uploads = new Map<string, StoredCapture>()

function store(summary: Omit<CaptureSummary, 'capturedAt'>, capture: Capture, bytes: number): StoredCapture {
  return { summary: { ...summary, capturedAt: capture.capturedAt }, capture, bytes, lineIndex: new Map() }
}

/** Embedded demo captures, the seed lab first. An invalid demo file is a build error: it throws. */
export function embeddedCaptures(): StoredCapture[] {
  if (embedded.size === 0) {
    const files = fs.existsSync(DEMO_DIR) ? fs.readdirSync(DEMO_DIR).filter((f) => f.endsWith(SUFFIX)).sort() : []
    for (const file of files) {
      const text = fs.readFileSync(path.join(DEMO_DIR, file), 'utf8')
      const r = parseCaptureText(text)
      if (!r.ok) throw new Error(`lib/demo/${file}: ${r.error}`)
      const id = file.slice(0, -SUFFIX.length)
      embedded.set(id, store({ id, title: r.capture.title ?? id, embedded: true }, r.capture, text.length))
    }
  }
  return [...embedded.values()].sort((a, b) => Number(b.summary.id.startsWith('seed')) - Number(a.summary.id.startsWith('seed')))
}

/** The capture the app opens on: the seed lab of the course. */
export function defaultCaptureId(): string {
  const first = embeddedCaptures()[0]
  if (!first) throw new Error('no embedded capture in lib/demo')
  return first.summary.id
}

/** Summaries of every capture the picker can offer. */
export function listCaptures(): CaptureSummary[] {
  return [...embeddedCaptures(), ...uploads.values()].map((c) => c.summary)
}

export function getCapture(id: string): StoredCapture | undefined {
  embeddedCaptures()
  return embedded.get(id) ?? uploads.get(id)
}

export type UploadResult = { ok: true; stored: StoredCapture } | { ok: false; error: string }

/** Time spent in each stage of opening a file, in ms (sent back as a Server-Timing header). */
export type Timings = Record<string, number>

/**
 * Validates and keeps an opened file. The id is a hash of the bytes (hashing bytes avoids
 * re-encoding a 50 MB string), so re-opening the same file is a cache hit.
 */
export function addUploadedCapture(bytes: Uint8Array, fileName?: string, timings: Timings = {}): UploadResult {
  let t = performance.now()
  const lap = (name: string) => {
    const now = performance.now()
    timings[name] = now - t
    t = now
  }
  const id = 'u-' + crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16)
  lap('hash')
  const known = uploads.get(id)
  if (known) {
    uploads.delete(id)
    uploads.set(id, known)
    return { ok: true, stored: known }
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  lap('decode')
  const r = parseCaptureText(text)
  lap('validate')
  if (!r.ok) return r
  const title = r.capture.title ?? fileName ?? id
  const stored = store({ id, title, embedded: false }, r.capture, bytes.byteLength)
  uploads.set(id, stored)
  let total = [...uploads.values()].reduce((s, c) => s + c.bytes, 0)
  for (const [old, c] of uploads) {
    if (uploads.size <= MAX_UPLOADS && total <= MAX_UPLOAD_BYTES) break
    if (old === id) continue
    uploads.delete(old)
    total -= c.bytes
  }
  return { ok: true, stored }
}

export interface LinesRequest {
  host: string
  run: number
  stream: Stream
  from: number
  count: number
}

export type LinesResult =
  | { ok: true; from: number; lines: string[]; totalLines: number }
  | { ok: false; status: number; error: string }

/** A bounded window of one output: at most MAX_LINES_PER_REQUEST lines from `from` (1-based). */
export function readLines(stored: StoredCapture, q: LinesRequest): LinesResult {
  const run = stored.capture.hosts[q.host]?.runs[q.run]
  if (!run) return { ok: false, status: 404, error: `no run ${q.run} on host ${q.host}` }
  const text = q.stream === 'stderr' ? run.stderr : run.stdout
  const key = `${q.host}#${q.run}#${q.stream}`
  let starts = stored.lineIndex.get(key)
  if (!starts) stored.lineIndex.set(key, (starts = lineStarts(text)))
  const from = Math.max(1, Math.min(q.from, starts.length))
  const count = Math.max(0, Math.min(q.count, MAX_LINES_PER_REQUEST))
  return { ok: true, from, lines: sliceLines(text, starts, from, count), totalLines: starts.length }
}
