/**
 * Builds the lab's two small C programs (server/lab/tools/tcp_echo.c, tcp_probe.c) with clang for
 * this machine, once per source version (`.lab/bin/<hash>/<name>`). They replace node scripts:
 * a probe or a server then starts in a millisecond instead of a few hundred ms of CPU, which is
 * most of what a capture cost on a loaded 2-core machine.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import path from 'node:path'
import { runArgv } from '@/server/collect/process'

export type LabTool = 'tcp_echo' | 'tcp_probe'

export async function buildTool(srcDir: string, name: LabTool, outDir: string): Promise<string> {
  const source = path.join(srcDir, `${name}.c`)
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16)
  const out = path.join(outDir, 'bin', hash, name)
  if (existsSync(out)) return out
  mkdirSync(path.dirname(out), { recursive: true })
  const tmp = `${out}.${process.pid}.tmp`
  const r = await runArgv(['clang', '-O2', '-Wall', '-Wextra', '-Werror', source, '-o', tmp], { timeoutMs: 60_000, maxBytes: 1024 * 1024 })
  if (r.exitCode !== 0) throw new Error(`clang ${name}.c failed (exit ${r.exitCode}): ${(r.error ?? r.stderr).trim().slice(0, 2000)}`)
  renameSync(tmp, out)
  return out
}
