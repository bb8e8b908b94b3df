/**
 * Builds the lab's stand-ins for Cilium's BPF objects (bpf_lxc.o, bpf_host.o, bpf_overlay.o) from
 * server/lab/bpf/*.c with clang. The objects keep Cilium's file names because tc prints the
 * object's file name: `tc filter show` then reads `bpf_lxc.o:[from-container] direct-action …`
 * exactly as on the seed's node. A tunnel node's objects carry its addresses as -D flags, so each
 * build goes to a directory named by a hash of its sources and flags (built once, then reused).
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { arch } from 'node:os'
import path from 'node:path'
import { runArgv } from '@/server/collect/process'

export type BpfObjectName = 'bpf_lxc' | 'bpf_host' | 'bpf_overlay'

/** Debian's multiarch include dir, where asm/types.h lives for the host architecture. */
function multiarchInclude(): string {
  const triple = arch() === 'arm64' ? 'aarch64-linux-gnu' : arch() === 'x64' ? 'x86_64-linux-gnu' : `${arch()}-linux-gnu`
  return `/usr/include/${triple}`
}

/** `-DNAME=value` flags; values are numbers only, so nothing but a constant reaches clang. */
export function defineFlags(defines: Readonly<Record<string, number | bigint>>): string[] {
  return Object.entries(defines)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => {
      if (!/^PW_[A-Z0-9_]+$/.test(k)) throw new Error(`bpf define ${k} refused`)
      return `-D${k}=${typeof v === 'bigint' ? `0x${v.toString(16)}ULL` : `${v >>> 0}U`}`
    })
}

export async function buildBpfObject(
  srcDir: string,
  name: BpfObjectName,
  outDir: string,
  defines: Readonly<Record<string, number | bigint>> = {},
): Promise<string> {
  const source = path.join(srcDir, `${name}.c`)
  const flags = defineFlags(defines)
  const hash = createHash('sha256')
    .update(readFileSync(source))
    .update(readFileSync(path.join(srcDir, 'lab_common.h')))
    .update(flags.join(' '))
    .digest('hex')
    .slice(0, 16)
  const dir = path.join(outDir, 'bpf', hash)
  const out = path.join(dir, `${name}.o`)
  if (existsSync(out)) return out
  mkdirSync(dir, { recursive: true })
  const tmp = `${out}.${process.pid}.tmp`
  const r = await runArgv(['clang', '-O2', '-g', '-target', 'bpf', `-I${multiarchInclude()}`, ...flags, '-c', source, '-o', tmp], {
    timeoutMs: 60_000,
    maxBytes: 1024 * 1024,
  })
  if (r.exitCode !== 0) throw new Error(`clang ${name}.c failed (exit ${r.exitCode}): ${(r.error ?? r.stderr).trim().slice(0, 2000)}`)
  // tc names the object by its file name, so the final name must be exactly bpf_….o
  renameSync(tmp, out)
  return out
}
