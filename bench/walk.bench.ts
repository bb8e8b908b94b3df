/**
 * A full walk over a capture of ~50 MB or more: the seed lab with its node and agent outputs
 * replaced by the scaled real outputs of parsers.bench (100k CT entries, 20k iptables rules,
 * 200k conntrack lines, 5k routes). Measures text → validated capture → walk, and the walk alone
 * (median of ≥5), and the memory the walk takes. Targets: walk < 1 s, memory < 4× capture size.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { parseCaptureText } from '@/lib/formats/capture-schema'
import { inferWalk } from '@/lib/engine'
import type { Capture } from '@/lib/model/capture'
import { mb, median, table } from './measure'
import { readSeed, routes5000, scaledCiliumCt, scaledIptablesSave, scaledNfConntrack } from './scale'

export function bigCaptureText(): string {
  const seed = readSeed()
  const node = seed.hosts['node-7o7xd']
  const agent = seed.hosts['cilium-r7ffp']
  if (!node || !agent) throw new Error('bench: seed hosts missing')
  const run = (command: string, stdout: string) => ({ command, stdout, stderr: '', exitCode: 0 })
  node.runs.push(run('iptables-save', scaledIptablesSave(20_000)))
  node.runs.push(run('cat /proc/net/nf_conntrack', scaledNfConntrack(200_000)))
  node.runs.push(run('ip route', routes5000.ipRoute()))
  agent.runs.push(run('cilium bpf ct list global', scaledCiliumCt(100_000)))
  return JSON.stringify(seed)
}

// a collector we can call between measurements, without asking for `node --expose-gc`
v8.setFlagsFromString('--expose-gc')
const collect = vm.runInNewContext('gc') as (() => void) | undefined

function gc(): void {
  collect?.()
}

export default async function run(): Promise<void> {
  const text = bigCaptureText()
  const size = mb(Buffer.byteLength(text))
  const full: number[] = []
  const walkOnly: number[] = []
  let capture: Capture | undefined
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now()
    const v = parseCaptureText(text)
    if (!v.ok) throw new Error(v.error)
    const t1 = performance.now()
    const walk = inferWalk(v.capture)
    const t2 = performance.now()
    if (i > 0) {
      full.push(t2 - t0)
      walkOnly.push(t2 - t1)
    }
    if (walk.hops.length < 8) throw new Error('bench: the big capture did not walk')
    capture = v.capture
  }
  if (!capture) return
  gc()
  const before = process.memoryUsage()
  const walk = inferWalk(capture)
  const after = process.memoryUsage()
  const heap = mb(after.heapUsed - before.heapUsed)
  const rss = mb(after.rss - before.rss)
  const peak = Math.max(heap, rss)
  const nat = walk.hops.find((h) => h.kind === 'nat')
  console.log(`walk over a ${size.toFixed(1)} MB capture (seed + 100k CT, 20k iptables rules, 200k conntrack, 5k routes)`)
  console.log(
    table(
      ['measure', 'value', 'target', ''],
      [
        ['text → capture → walk (median ms)', median(full).toFixed(0), '', ''],
        ['walk alone (median ms)', median(walkOnly).toFixed(0), '< 1000', median(walkOnly) < 1000 ? 'ok' : 'MISS'],
        ['walk heap delta (MB)', heap.toFixed(0), '', ''],
        ['walk rss delta (MB)', rss.toFixed(0), '', ''],
        ['memory / capture size', `${(peak / size).toFixed(2)}×`, '< 4×', peak / size < 4 ? 'ok' : 'MISS'],
      ],
    ),
  )
  console.log(`hops: ${walk.hops.map((h) => h.kind).join(' → ')}; nat rule: ${nat?.facts.rule ?? '(none)'}`)
  console.log('')
}
