import { parserCases } from './parsers.bench'
import { interleavedMedians } from './measure'
import { splitLines } from '@/lib/parsers/common'
const which = process.argv[2] ?? 'Ct'
for (const c of parserCases().filter((c) => c.name.includes(which))) {
  const reps = c.input.length < 1e6 ? 20 : 1
  const m = interleavedMedians([() => splitLines(c.input), () => c.parse(c.input), () => { const r = c.parse(c.input); return c.readAll(r.records, r) }], { runs: 11, reps })
  const [b, p, a] = m.ms as number[]
  console.log(c.name, 'base', b!.toFixed(3), 'parse', p!.toFixed(3), (p! / b!).toFixed(2) + '×', 'all', a!.toFixed(3), (a! / b!).toFixed(2) + '×')
}
