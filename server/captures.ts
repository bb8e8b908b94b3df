/**
 * Where captures come from on the server: the embedded demos in lib/demo/*.capture.json (read
 * once), and files users open (uploads and the live page's captures), validated with
 * parseCaptureText and kept on disk under the data folder keyed by a hash of their content.
 *
 * One store per process: Next bundles the page and each route handler separately, so a plain
 * module-level Map would exist once per bundle (an upload made through /api/captures was then
 * invisible to the page). The store lives on globalThis under a registered symbol instead.
 *
 * Limits (docs/security.md): at most MAX_STORED uploads and MAX_STORED_BYTES on disk; when an
 * upload goes past either, the oldest uploads go first (the demos are never evicted), and a
 * request for an evicted capture is told when and why it went (410). Parsed captures are kept in
 * memory for the most recent ones only (MAX_PARSED_BYTES); the others are re-read from disk.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
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

const SUFFIX = '.capture.json'
/** Uploaded captures kept on disk; past either limit the oldest go first. */
export const MAX_STORED = 50
export const MAX_STORED_BYTES = 1024 * 1024 * 1024
/** Parsed uploads kept in memory (the most recently used); the rest are re-read from disk. */
const MAX_PARSED_BYTES = 256 * 1024 * 1024
/** Evicted ids remembered, so their owners are told what happened rather than "unknown". */
const MAX_TOMBSTONES = 500
/** The most lines one request for more output may return. */
export const MAX_LINES_PER_REQUEST = 500
/** Ids of uploads: `u-` and 16 hex digits of the content's SHA-256. */
const UPLOAD_ID = /^u-[0-9a-f]{16}$/

interface UploadEntry {
  id: string
  title: string
  capturedAt: string
  bytes: number
  /** ms since the epoch of the last time the file was opened (the eviction order) */
  addedAt: number
}

interface Tombstone {
  id: string
  title: string
  evictedAt: string
}

interface IndexFile {
  uploads: UploadEntry[]
  evicted: Tombstone[]
}

/** The default data folder: $XDG_CACHE_HOME/packetwalk, else ~/.cache/packetwalk. */
export function defaultDataDir(env: Record<string, string | undefined> = process.env): string {
  const cache = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache')
  return path.join(cache, 'packetwalk')
}

export function dataDir(env: Record<string, string | undefined> = process.env): string {
  return env.PACKETWALK_DATA ? path.resolve(env.PACKETWALK_DATA) : defaultDataDir(env)
}

export type Lookup =
  | { found: true; stored: StoredCapture }
  | { found: false; status: 404 | 410; error: string; evicted?: Tombstone }

export type UploadResult = { ok: true; stored: StoredCapture; evicted: string[] } | { ok: false; error: string }

/** Time spent in each stage of opening a file, in ms (sent back as a Server-Timing header). */
export type Timings = Record<string, number>

function store(summary: Omit<CaptureSummary, 'capturedAt'>, capture: Capture, bytes: number): StoredCapture {
  return { summary: { ...summary, capturedAt: capture.capturedAt }, capture, bytes, lineIndex: new Map() }
}

/** The limits in force: PACKETWALK_MAX_CAPTURES and PACKETWALK_MAX_STORE_MB (set by --max-captures, --max-store-mb) or the defaults. */
export function storeLimits(env: Record<string, string | undefined> = process.env): { count: number; bytes: number } {
  const n = (v: string | undefined) => (v && /^\d+(?:\.\d+)?$/.test(v) && Number(v) > 0 ? Number(v) : undefined)
  const count = n(env.PACKETWALK_MAX_CAPTURES)
  const megs = n(env.PACKETWALK_MAX_STORE_MB)
  return { count: count ? Math.floor(count) : MAX_STORED, bytes: megs ? Math.floor(megs * 1024 * 1024) : MAX_STORED_BYTES }
}

const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`

export class CaptureStore {
  private readonly embedded = new Map<string, StoredCapture>()
  private embeddedLoaded = false
  private readonly uploads = new Map<string, UploadEntry>()
  private readonly tombstones = new Map<string, Tombstone>()
  /** Parsed uploads, least recently used first. */
  private readonly parsed = new Map<string, StoredCapture>()
  private readonly capturesDir: string

  constructor(
    readonly dir: string,
    private readonly demoDir = path.join(process.cwd(), 'lib', 'demo'),
    readonly limits = storeLimits(),
  ) {
    this.capturesDir = path.join(dir, 'captures')
    this.loadIndex()
  }

  private indexPath(): string {
    return path.join(this.capturesDir, 'index.json')
  }

  private filePath(id: string): string {
    return path.join(this.capturesDir, id + SUFFIX)
  }

  /** Reads the index and keeps only entries whose file is there; stray files are removed. */
  private loadIndex(): void {
    let idx: IndexFile = { uploads: [], evicted: [] }
    try {
      const raw = JSON.parse(fs.readFileSync(this.indexPath(), 'utf8')) as Partial<IndexFile>
      idx = { uploads: Array.isArray(raw.uploads) ? raw.uploads : [], evicted: Array.isArray(raw.evicted) ? raw.evicted : [] }
    } catch {
      // no index yet (first start) or a damaged one: start empty, the files are cleaned below
    }
    for (const t of idx.evicted) if (t && typeof t.id === 'string' && UPLOAD_ID.test(t.id)) this.tombstones.set(t.id, t)
    const entries = idx.uploads.filter((u) => u && typeof u.id === 'string' && UPLOAD_ID.test(u.id) && typeof u.bytes === 'number')
    entries.sort((a, b) => a.addedAt - b.addedAt)
    for (const u of entries) {
      try {
        if (fs.statSync(this.filePath(u.id)).size === u.bytes) this.uploads.set(u.id, u)
      } catch {
        // the file is gone: forget the entry
      }
    }
    let files: string[] = []
    try {
      files = fs.readdirSync(this.capturesDir)
    } catch {
      return
    }
    for (const f of files) {
      const id = f.endsWith(SUFFIX) ? f.slice(0, -SUFFIX.length) : ''
      if (f !== 'index.json' && !this.uploads.has(id)) fs.rmSync(path.join(this.capturesDir, f), { force: true })
    }
  }

  /** Written to a temporary file then renamed, so a crash never leaves half an index. */
  private saveIndex(): void {
    fs.mkdirSync(this.capturesDir, { recursive: true, mode: 0o700 })
    const idx: IndexFile = { uploads: [...this.uploads.values()], evicted: [...this.tombstones.values()] }
    const tmp = `${this.indexPath()}.${process.pid}.tmp`
    fs.writeFileSync(tmp, JSON.stringify(idx), { mode: 0o600 })
    fs.renameSync(tmp, this.indexPath())
  }

  /** Embedded demo captures, the seed lab first. An invalid demo file is a build error: it throws. */
  embeddedCaptures(): StoredCapture[] {
    if (!this.embeddedLoaded) {
      const files = fs.existsSync(this.demoDir) ? fs.readdirSync(this.demoDir).filter((f) => f.endsWith(SUFFIX)).sort() : []
      for (const file of files) {
        const text = fs.readFileSync(path.join(this.demoDir, file), 'utf8')
        const r = parseCaptureText(text)
        if (!r.ok) throw new Error(`lib/demo/${file}: ${r.error}`)
        const id = file.slice(0, -SUFFIX.length)
        this.embedded.set(id, store({ id, title: r.capture.title ?? id, embedded: true }, r.capture, text.length))
      }
      this.embeddedLoaded = true
    }
    return [...this.embedded.values()].sort((a, b) => Number(b.summary.id.startsWith('seed')) - Number(a.summary.id.startsWith('seed')))
  }

  /** Summaries of every capture the picker can offer; uploads only when the asker may see them. */
  list(withUploads = true): CaptureSummary[] {
    const demos = this.embeddedCaptures().map((c) => c.summary)
    if (!withUploads) return demos
    const ups = [...this.uploads.values()].reverse().map((u): CaptureSummary => ({ id: u.id, title: u.title, embedded: false, capturedAt: u.capturedAt }))
    return [...demos, ...ups]
  }

  isUpload(id: string): boolean {
    return UPLOAD_ID.test(id)
  }

  /** A capture by id: a demo, an upload (parsed from disk when not in memory), or why it is not there. */
  lookup(id: string): Lookup {
    this.embeddedCaptures()
    const demo = this.embedded.get(id)
    if (demo) return { found: true, stored: demo }
    const entry = UPLOAD_ID.test(id) ? this.uploads.get(id) : undefined
    if (!entry) {
      const t = this.tombstones.get(id)
      if (t) {
        return {
          found: false,
          status: 410,
          evicted: t,
          error: `capture ${id} ("${t.title}") was removed from the server at ${t.evictedAt} to make room for newer uploads (it keeps the ${this.limits.count} most recent, ${mb(this.limits.bytes)} in all); open the file again to see it`,
        }
      }
      return { found: false, status: 404, error: `unknown capture ${JSON.stringify(id.slice(0, 80))}` }
    }
    let stored = this.parsed.get(id)
    if (stored) {
      this.parsed.delete(id)
      this.parsed.set(id, stored)
      return { found: true, stored }
    }
    let text: string
    try {
      text = fs.readFileSync(this.filePath(id), 'utf8')
    } catch {
      this.forget(id)
      return { found: false, status: 404, error: `capture ${id} is no longer on the server's disk` }
    }
    const r = parseCaptureText(text)
    if (!r.ok) {
      this.forget(id)
      return { found: false, status: 404, error: `capture ${id} on the server's disk is damaged: ${r.error}` }
    }
    stored = store({ id, title: entry.title, embedded: false }, r.capture, entry.bytes)
    this.remember(stored)
    return { found: true, stored }
  }

  get(id: string): StoredCapture | undefined {
    const r = this.lookup(id)
    return r.found ? r.stored : undefined
  }

  private remember(stored: StoredCapture): void {
    this.parsed.set(stored.summary.id, stored)
    let total = [...this.parsed.values()].reduce((s, c) => s + c.bytes, 0)
    for (const [id, c] of this.parsed) {
      if (total <= MAX_PARSED_BYTES || this.parsed.size <= 1) break
      if (this.writing.has(id)) continue // not on disk yet: memory is its only copy
      this.parsed.delete(id)
      total -= c.bytes
    }
  }

  private forget(id: string): void {
    this.uploads.delete(id)
    this.parsed.delete(id)
    fs.rmSync(this.filePath(id), { force: true })
    this.saveIndex()
  }

  /**
   * Validates and keeps an opened file. The id is a hash of the bytes (hashing bytes avoids
   * re-encoding a 50 MB string), so re-opening the same file is a cache hit that also makes it
   * the newest. Returns the ids the upload pushed out.
   */
  add(bytes: Uint8Array, fileName?: string, timings: Timings = {}): UploadResult {
    let t = performance.now()
    const lap = (name: string) => {
      const now = performance.now()
      timings[name] = now - t
      t = now
    }
    const id = 'u-' + crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16)
    lap('hash')
    const known = this.uploads.get(id)
    if (known) {
      const r = this.lookup(id)
      if (r.found) {
        this.uploads.delete(id)
        this.uploads.set(id, { ...known, addedAt: Date.now() })
        this.saveIndex()
        return { ok: true, stored: r.stored, evicted: [] }
      }
    }
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
    lap('decode')
    const r = parseCaptureText(text)
    lap('validate')
    if (!r.ok) return r
    const title = (r.capture.title ?? fileName ?? id).slice(0, 200)
    const stored = store({ id, title, embedded: false }, r.capture, bytes.byteLength)
    this.persist(id, bytes)
    this.uploads.set(id, { id, title, capturedAt: r.capture.capturedAt, bytes: bytes.byteLength, addedAt: Date.now() })
    this.tombstones.delete(id)
    this.remember(stored)
    const evicted = this.evict(id)
    this.saveIndex()
    lap('store')
    return { ok: true, stored, evicted }
  }

  /** Files being written, by id: the upload answers without waiting for the disk. */
  private readonly writing = new Map<string, Promise<void>>()

  /**
   * Writes the file in the background (a temporary name, then a rename: a half-written file
   * never carries the capture's name; the index, written at once, is checked against the size
   * at the next start).
   */
  private persist(id: string, bytes: Uint8Array): void {
    fs.mkdirSync(this.capturesDir, { recursive: true, mode: 0o700 })
    const tmp = `${this.filePath(id)}.${process.pid}.tmp`
    const done = fs.promises
      .writeFile(tmp, bytes, { mode: 0o600 })
      .then(() => fs.promises.rename(tmp, this.filePath(id)))
      .catch((e: unknown) => {
        process.stderr.write(`packetwalk: could not keep capture ${id} on disk: ${e instanceof Error ? e.message : String(e)}\n`)
        fs.rmSync(tmp, { force: true })
      })
      .finally(() => this.writing.delete(id))
    this.writing.set(id, done)
  }

  /** Resolves once every upload so far is on disk (tests, and the server before it exits). */
  async flush(): Promise<void> {
    while (this.writing.size) await Promise.all([...this.writing.values()])
  }

  /** Oldest first until both limits hold again; `keep` (the upload just made) stays. */
  private evict(keep: string): string[] {
    const gone: string[] = []
    let total = [...this.uploads.values()].reduce((s, u) => s + u.bytes, 0)
    for (const [id, u] of this.uploads) {
      if (this.uploads.size <= this.limits.count && total <= this.limits.bytes) break
      if (id === keep) continue
      this.uploads.delete(id)
      this.parsed.delete(id)
      fs.rmSync(this.filePath(id), { force: true })
      total -= u.bytes
      this.tombstones.set(id, { id, title: u.title, evictedAt: new Date().toISOString() })
      gone.push(id)
    }
    while (this.tombstones.size > MAX_TOMBSTONES) this.tombstones.delete(this.tombstones.keys().next().value as string)
    return gone
  }

  /** Bytes of uploads on disk and their count, for tests and the docs' limits. */
  usage(): { count: number; bytes: number } {
    return { count: this.uploads.size, bytes: [...this.uploads.values()].reduce((s, u) => s + u.bytes, 0) }
  }
}

const KEY = Symbol.for('packetwalk.captureStore')
type Holder = { [KEY]?: CaptureStore }

/** The process's one store, in the data folder named by PACKETWALK_DATA (else the cache dir). */
export function captureStore(): CaptureStore {
  const g = globalThis as Holder
  const dir = dataDir()
  let s = g[KEY]
  if (!s || s.dir !== dir) g[KEY] = s = new CaptureStore(dir)
  return s
}

/** Embedded demo captures, the seed lab first. */
export function embeddedCaptures(): StoredCapture[] {
  return captureStore().embeddedCaptures()
}

/** The capture the app opens on: the seed lab of the course. */
export function defaultCaptureId(): string {
  const first = embeddedCaptures()[0]
  if (!first) throw new Error('no embedded capture in lib/demo')
  return first.summary.id
}

/** Summaries of every capture the picker can offer. */
export function listCaptures(withUploads = true): CaptureSummary[] {
  return captureStore().list(withUploads)
}

export function getCapture(id: string): StoredCapture | undefined {
  return captureStore().get(id)
}

export function lookupCapture(id: string): Lookup {
  return captureStore().lookup(id)
}

export function addUploadedCapture(bytes: Uint8Array, fileName?: string, timings: Timings = {}): UploadResult {
  return captureStore().add(bytes, fileName, timings)
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
  // own keys only: a host named "__proto__" or "constructor" is simply not there
  const host = Object.hasOwn(stored.capture.hosts, q.host) ? stored.capture.hosts[q.host] : undefined
  const run = host && Number.isSafeInteger(q.run) && q.run >= 0 && q.run < host.runs.length ? host.runs[q.run] : undefined
  if (!run) return { ok: false, status: 404, error: `no run ${q.run} on host ${JSON.stringify(q.host.slice(0, 80))}` }
  const text = q.stream === 'stderr' ? run.stderr : run.stdout
  const key = `${q.host}#${q.run}#${q.stream}`
  let starts = stored.lineIndex.get(key)
  if (!starts) stored.lineIndex.set(key, (starts = lineStarts(text)))
  const from = Math.max(1, Math.min(q.from, starts.length))
  const count = Math.max(0, Math.min(q.count, MAX_LINES_PER_REQUEST))
  return { ok: true, from, lines: sliceLines(text, starts, from, count), totalLines: starts.length }
}
