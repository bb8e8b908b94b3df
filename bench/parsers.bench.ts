/**
 * Parser throughput on large, scaled real inputs, beside a baseline that only splits the same
 * text into lines (the parsers' own splitLines, and the native String#split) in the same process.
 * Target: each parser within 4× of the splitLines baseline.
 */
import { splitLines } from '@/lib/parsers/common'
import { parseCiliumCt } from '@/lib/parsers/cilium-ct'
import { parseIptablesSave } from '@/lib/parsers/iptables-save'
import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
import { parseIpRoute } from '@/lib/parsers/ip-route'
import { parseRouteN } from '@/lib/parsers/route-n'
import { parseProcNetRoute } from '@/lib/parsers/proc-net-route'
import { mb, table, timeMedian } from './measure'
import { routes5000, scaledCiliumCt, scaledIptablesSave, scaledNfConntrack } from './scale'

export const TARGET_RATIO = 4

export interface ParserCase {
  name: string
  input: string
  parse: (text: string) => { records: unknown[] }
  expectRecords: number
}

export function parserCases(): ParserCase[] {
  return [
    { name: 'parseCiliumCt (100k entries)', input: scaledCiliumCt(100_000), parse: parseCiliumCt, expectRecords: 100_000 },
    { name: 'parseIptablesSave (20k rules)', input: scaledIptablesSave(20_000), parse: parseIptablesSave, expectRecords: 20_000 },
    { name: 'parseNfConntrack (200k lines)', input: scaledNfConntrack(200_000), parse: parseNfConntrack, expectRecords: 200_000 },
    { name: 'parseIpRoute (5k routes + default)', input: routes5000.ipRoute(), parse: parseIpRoute, expectRecords: 5_001 },
    { name: 'parseRouteN (5k routes + default)', input: routes5000.routeN(), parse: parseRouteN, expectRecords: 5_001 },
    { name: 'parseProcNetRoute (5k routes + default)', input: routes5000.procNetRoute(), parse: parseProcNetRoute, expectRecords: 5_001 },
  ]
}

export default async function run(): Promise<void> {
  const rows: (string | number)[][] = []
  const misses: string[] = []
  for (const c of parserCases()) {
    const size = mb(c.input.length)
    const got = c.parse(c.input).records.length
    const runs = c.input.length > 1_000_000 ? 5 : 15
    const tParse = timeMedian(() => c.parse(c.input), runs)
    const tSplit = timeMedian(() => splitLines(c.input), runs)
    const tNative = timeMedian(() => c.input.split('\n'), runs)
    const ratio = tParse / tSplit
    rows.push([
      c.name,
      size.toFixed(1),
      got === c.expectRecords ? String(got) : `${got}≠${c.expectRecords}`,
      (size / (tParse / 1000)).toFixed(0),
      (size / (tSplit / 1000)).toFixed(0),
      (size / (tNative / 1000)).toFixed(0),
      `${ratio.toFixed(1)}×`,
      ratio <= TARGET_RATIO ? 'ok' : 'MISS',
    ])
    if (ratio > TARGET_RATIO) misses.push(`${c.name}: ${ratio.toFixed(1)}× the line-split baseline (target ≤ ${TARGET_RATIO}×, ${((ratio / TARGET_RATIO - 1) * 100).toFixed(0)}% over)`)
  }
  console.log('parsers (median of ≥5 runs, MB/s; baseline = splitLines on the same text, native = String#split)')
  console.log(table(['parser', 'MB', 'records', 'parse', 'splitLines', 'native', 'ratio', 'target'], rows))
  if (misses.length) console.log(`missed: ${misses.join('; ')}`)
  console.log('')
}
