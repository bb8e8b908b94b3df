/**
 * Builds the lab's stand-in for Cilium's bpf_lxc.o from server/lab/bpf/bpf_lxc.c with clang.
 * The object is named bpf_lxc.o because tc prints the object's file name: `tc filter show` then
 * reads `bpf_lxc.o:[from-container] direct-action …` exactly as on the seed's node.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { arch } from 'node:os'
import path from 'node:path'
import { runArgv } from '@/server/collect/process'

/** Debian's multiarch include dir, where asm/types.h lives for the host architecture. */
function multiarchInclude(): string {
  const triple = arch() === 'arm64' ? 'aarch64-linux-gnu' : arch() === 'x64' ? 'x86_64-linux-gnu' : `${arch()}-linux-gnu`
  return `/usr/include/${triple}`
}

export async function buildBpfObject(source: string, outDir: string): Promise<string> {
  mkdirSync(outDir, { recursive: true })
  const out = path.join(outDir, 'bpf_lxc.o')
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) return out
  const r = await runArgv(['clang', '-O2', '-g', '-target', 'bpf', `-I${multiarchInclude()}`, '-c', source, '-o', out], {
    timeoutMs: 60_000,
    maxBytes: 1024 * 1024,
  })
  if (r.exitCode !== 0) throw new Error(`clang failed (exit ${r.exitCode}): ${(r.error ?? r.stderr).trim().slice(0, 2000)}`)
  return out
}
