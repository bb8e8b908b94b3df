import { parseCiliumCt } from '@/lib/parsers/cilium-ct'
import { scaledCiliumCt } from './scale'
const t = scaledCiliumCt(100_000)
const g = (globalThis as any).gc
let keep: unknown
const hold = process.argv[2] === 'hold'
for (let i = 0; i < 12; i++) {
  g?.()
  const t0 = performance.now()
  const r = parseCiliumCt(t)
  const t1 = performance.now()
  let s = 0
  for (const x of r.records) s += (x.expires ?? 0) + (x.flags?.length ?? 0) + x.src.length
  const t2 = performance.now()
  if (hold) keep = r
  console.log('parse', (t1 - t0).toFixed(1), 'read', (t2 - t1).toFixed(1), s > 0)
}
void keep
