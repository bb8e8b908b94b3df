import { parseIptablesSave } from '@/lib/parsers/iptables-save'
import { splitLines } from '@/lib/parsers/common'
import { scaledIptablesSave } from './scale'
const t = scaledIptablesSave(20_000)
const g = (globalThis as any).gc
for (let i = 0; i < 15; i++) {
  g?.()
  const t0 = performance.now()
  const r = parseIptablesSave(t)
  const t1 = performance.now()
  g?.()
  const t2 = performance.now()
  const l = splitLines(t)
  const t3 = performance.now()
  console.log('parse', (t1 - t0).toFixed(2), 'split', (t3 - t2).toFixed(2), r.records.length, l.length)
}
