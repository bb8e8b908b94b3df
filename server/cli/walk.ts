/**
 * `packetwalk walk <capture.json> [--json]` and `packetwalk walk --demo <name>`: reads a capture,
 * infers the walk, prints it as JSON (the walk@1 format) or as a table. Exit 0 on success,
 * 2 on a usage error or a capture that does not validate.
 */
import fs from 'node:fs'
import path from 'node:path'
import { validateCapture, type CaptureValidation } from '@/lib/formats/capture-schema'
import { inferWalk } from '@/lib/engine'
import { readCaptureFile } from './read-capture'
import { formatWalkTable } from './print-walk'

export const WALK_USAGE = `usage: packetwalk walk <capture.json> [--reply] [--json]
       packetwalk walk --demo <name> [--reply] [--json]     (demos: ${listDemos().join(', ') || 'none'})

Infers the hops of the capture's flow and prints them with the lines that prove each one.
  --reply   walk the reply of the capture's flow (from the answering side back to the client)
  --json    print the walk as packetwalk/walk@1 JSON instead of a table`

export interface CliIO {
  out: (s: string) => void
  err: (s: string) => void
}

function demoDir(): string {
  return path.resolve(__dirname, '..', '..', 'lib', 'demo')
}

/** Demo names: `seed` for seed-doks.capture.json, `lab` for lab.capture.json… */
export function listDemos(): string[] {
  try {
    return fs
      .readdirSync(demoDir())
      .filter((f) => f.endsWith('.capture.json'))
      .map((f) => f.slice(0, -'.capture.json'.length))
  } catch {
    return []
  }
}

function loadDemo(name: string): CaptureValidation {
  const names = listDemos()
  const hit = names.find((n) => n === name) ?? names.find((n) => n.startsWith(`${name}-`))
  if (!hit) return { ok: false, error: `no demo capture named "${name}" (demos: ${names.join(', ') || 'none'})` }
  const r = validateCapture(JSON.parse(fs.readFileSync(path.join(demoDir(), `${hit}.capture.json`), 'utf8')))
  return r
}

export async function runWalk(args: string[], io: CliIO): Promise<number> {
  let json = false
  let reply = false
  let demo: string | undefined
  const files: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--json') json = true
    else if (a === '--reply') reply = true
    else if (a === '--help' || a === '-h') {
      io.out(WALK_USAGE + '\n')
      return 0
    } else if (a === '--demo') {
      demo = args[++i]
      if (!demo) {
        io.err('walk: --demo needs a name (e.g. --demo seed)\n')
        return 2
      }
    } else if (a.startsWith('--demo=')) demo = a.slice('--demo='.length)
    else if (a.startsWith('-') && a !== '-') {
      io.err(`walk: unknown option ${a} (see packetwalk walk --help)\n`)
      return 2
    } else files.push(a)
  }
  if ((demo ? 1 : 0) + files.length !== 1) {
    io.err('walk: give exactly one capture file or --demo <name> (see packetwalk walk --help)\n')
    return 2
  }
  const loaded = demo ? loadDemo(demo) : await readCaptureFile(files[0] as string)
  if (!loaded.ok) {
    io.err(`${loaded.error.replace(/\s*\n\s*/g, ' ')}\n`)
    return 2
  }
  const walk = inferWalk(loaded.capture, { reply })
  io.out(json ? JSON.stringify(walk, null, 2) + '\n' : formatWalkTable(walk, process.stdout.columns ?? 110))
  return 0
}
