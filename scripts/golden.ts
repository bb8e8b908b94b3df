/**
 * Golden walks: every capture file of the repository (`*.capture.json`, wherever it lives: demos,
 * engine fixtures, command fixtures, captures the lab adds) has its walk next to it as
 * `*.walk.json`, and `*.reply.walk.json` once the engine walks replies — except for a capture whose
 * flow is already a reply (the lab's `--reply` captures): the reply of a reply is the request
 * walked as an answer, which no one can review, so it has no golden. Shared by
 * `npm run golden` (scripts/update-golden.ts, rewrites them) and lib/golden/golden.test.ts
 * (compares them).
 */
import fs from 'node:fs'
import path from 'node:path'
import { flowIsReply, inferWalk } from '@/lib/engine'
import { validateCapture } from '@/lib/formats/capture-schema'
import { validateWalk } from '@/lib/formats/walk-schema'
import type { Capture } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'
import { firstDifference, goldenPathOf, goldenText } from '@/lib/golden/format'

export const ROOT = path.resolve(__dirname, '..')

/** Folders that hold build output, dependencies or scratch files, never a reviewed capture. */
const SKIP = new Set(['node_modules', '.git', '.next', 'test-results', 'playwright-report', '.lab', '.reports', 'out', 'coverage'])

/** Every `*.capture.json` under the repository, as paths relative to it, sorted. */
export function findCaptureFiles(root = ROOT): string[] {
  const found: string[] = []
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) visit(path.join(dir, e.name))
      } else if (e.isFile() && e.name.endsWith('.capture.json')) {
        found.push(path.relative(root, path.join(dir, e.name)))
      }
    }
  }
  visit(root)
  return found.sort()
}

type WalkWithOptions = (capture: Capture, opts?: { reply?: boolean }) => Walk

/**
 * The reply walk when the engine walks replies, else undefined. Detected at run time: an engine
 * that knows `{ reply: true }` marks its walk `reply: true`; one that does not ignores the option.
 */
export function replyWalkOf(capture: Capture): Walk | undefined {
  const w = (inferWalk as WalkWithOptions)(capture, { reply: true }) as Walk & { reply?: boolean }
  return w.reply === true ? w : undefined
}

export interface GoldenCase {
  capture: string
  /** the golden file and the text it must hold, or the capture's problem */
  goldens: { file: string; text: string }[]
  error?: string
}

/** What the goldens of one capture file must hold, computed by today's engine. */
export function expectedGoldens(captureFile: string, root = ROOT): GoldenCase {
  const full = path.join(root, captureFile)
  let data: unknown
  try {
    data = JSON.parse(fs.readFileSync(full, 'utf8'))
  } catch (e) {
    return { capture: captureFile, goldens: [], error: `${captureFile} is not JSON: ${e instanceof Error ? e.message : String(e)}` }
  }
  const v = validateCapture(data)
  if (!v.ok) return { capture: captureFile, goldens: [], error: `${captureFile}: ${v.error}` }
  const goldens = [{ file: goldenPathOf(captureFile, false), text: goldenText(inferWalk(v.capture)) }]
  const reply = isReplyFlow(data, v.capture) ? undefined : replyWalkOf(v.capture)
  if (reply) goldens.push({ file: goldenPathOf(captureFile, true), text: goldenText(reply) })
  return { capture: captureFile, goldens }
}

/**
 * What is wrong with one capture's goldens, one clear sentence each (empty when they match):
 * the capture is invalid, a golden is missing, is not a valid walk, or differs from today's walk
 * (naming the first differing hop).
 */
export function checkGoldens(captureFile: string, root = ROOT): string[] {
  const c = expectedGoldens(captureFile, root)
  if (c.error) return [`invalid capture ${c.error}`]
  const problems: string[] = []
  for (const g of c.goldens) {
    const full = path.join(root, g.file)
    if (!fs.existsSync(full)) {
      problems.push(`${g.file} is missing: run \`npm run golden\` and review the new file`)
      continue
    }
    const text = fs.readFileSync(full, 'utf8')
    if (text === g.text) continue
    let golden: unknown
    try {
      golden = JSON.parse(text)
    } catch (e) {
      problems.push(`${g.file} is not JSON (${e instanceof Error ? e.message : String(e)})`)
      continue
    }
    const v = validateWalk(golden)
    if (!v.ok) {
      problems.push(`${g.file} is not a valid walk: ${v.error.replace(/^invalid walk: /, '')}`)
      continue
    }
    const diff = firstDifference(golden, JSON.parse(g.text))
    problems.push(
      diff === 'no difference'
        ? `${g.file} holds this walk but not in the golden format (2-space JSON, stable key order): run \`npm run golden\``
        : `${g.file} differs from the walk of ${captureFile}: ${diff}. If the change is right, run \`npm run golden\` and review the diff`,
    )
  }
  return problems
}

/** Golden files with no capture next to them (or reply goldens the engine no longer writes). */
export function orphanGoldens(root = ROOT): string[] {
  const captures = findCaptureFiles(root)
  const replies = engineWalksReplies(captures.map((c) => path.join(root, c)))
  const expected = new Set(captures.flatMap((c) => [goldenPathOf(c, false), ...(replies && !isReplyCapture(path.join(root, c)) ? [goldenPathOf(c, true)] : [])]))
  const found: string[] = []
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !e.name.startsWith('.')) visit(path.join(dir, e.name))
      } else if (e.isFile() && e.name.endsWith('.walk.json')) {
        const rel = path.relative(root, path.join(dir, e.name))
        if (!expected.has(rel)) found.push(rel)
      }
    }
  }
  visit(root)
  return found.sort()
}

/**
 * Whether a capture's flow is itself a reply: the engine sees it in the capture's conntrack
 * entries, or the lab says so (`lab.reply`, written by `npm run lab -- capture --reply`) for a
 * tunnelled flow whose inner connection no table of the capture shows.
 */
function isReplyFlow(data: unknown, capture: Capture): boolean {
  const lab = (data as { lab?: { reply?: unknown } }).lab
  return lab?.reply === true || flowIsReply(capture)
}

/** Whether the capture file's flow is itself a reply (then it has no reply golden); false when it is not a valid capture. */
function isReplyCapture(file: string): boolean {
  try {
    const data: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
    const v = validateCapture(data)
    return v.ok && isReplyFlow(data, v.capture)
  } catch {
    return false
  }
}

/** Whether the engine walks replies, asked of the first valid capture among `files`. */
export function engineWalksReplies(files: string[]): boolean {
  for (const f of files) {
    try {
      const v = validateCapture(JSON.parse(fs.readFileSync(f, 'utf8')))
      if (v.ok) return replyWalkOf(v.capture) !== undefined
    } catch {
      // not JSON: try the next file
    }
  }
  return false
}
