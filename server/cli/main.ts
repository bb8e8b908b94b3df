/**
 * packetwalk's command line: `walk` (capture → hops) and `capture` (cluster or netns → capture).
 * Every failure ends as one line on stderr and a non-zero exit code, never a stack trace.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { runWalk, type CliIO } from './walk'

const USAGE = `usage: packetwalk <command> [options]

commands:
  walk <capture.json> [--reply] [--json]
                                 infer the packet's hops (or its reply's) from a capture and print them
  walk --demo seed [--json]      the same on an embedded demo capture
  capture --from <ns/pod> --to <ip[:port][/proto]> [...]
                                 collect a capture (see packetwalk capture --help)

Run 'packetwalk <command> --help' for a command's options.`

const io: CliIO = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
}

async function runCaptureVerb(args: string[]): Promise<number> {
  const file = ['capture.ts', 'capture.js'].map((f) => path.join(__dirname, f)).find((f) => fs.existsSync(f))
  if (!file) {
    io.err('capture: not available\n')
    return 2
  }
  // a computed specifier: the capture verb is optional at build time
  const mod = (await import(pathToFileURL(file).href)) as { runCapture?: (a: string[]) => Promise<number> }
  if (typeof mod.runCapture !== 'function') {
    io.err('capture: not available\n')
    return 2
  }
  return mod.runCapture(args)
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv
  switch (verb) {
    case 'walk':
      return runWalk(rest, io)
    case 'capture':
      return runCaptureVerb(rest)
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE + '\n')
      return verb === undefined ? 2 : 0
    default:
      io.err(`packetwalk: unknown command "${verb}" (try packetwalk --help)\n`)
      return 2
  }
}

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e)
  return msg.split('\n')[0]?.slice(0, 500) ?? 'unknown error'
}

process.on('uncaughtException', (e) => {
  process.stderr.write(`packetwalk: internal error: ${oneLine(e)}\n`)
  process.exit(1)
})
process.on('unhandledRejection', (e) => {
  process.stderr.write(`packetwalk: internal error: ${oneLine(e)}\n`)
  process.exit(1)
})

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`packetwalk: internal error: ${oneLine(e)}\n`)
    process.exitCode = 1
  },
)
