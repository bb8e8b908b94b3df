import { parseIptablesSave } from '@/lib/parsers/iptables-save'
import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
import { parseCiliumCt } from '@/lib/parsers/cilium-ct'
import { splitLines } from '@/lib/parsers/common'
import { scaledIptablesSave, scaledNfConntrack, scaledCiliumCt } from './bench/scale'
const which = process.argv[2] ?? 'ipt'
const [text, fn] = which === 'ipt' ? [scaledIptablesSave(20000), parseIptablesSave] : which === 'ct' ? [scaledNfConntrack(200000), parseNfConntrack] : [scaledCiliumCt(100000), parseCiliumCt]
const cpu = (f: () => unknown) => { const t = process.cpuUsage(); f(); const d = process.cpuUsage(t); return (d.user + d.system) / 1000 }
const ps: number[] = [], bs: number[] = []
for (let i = 0; i < 25; i++) { bs.push(cpu(() => splitLines(text))); ps.push(cpu(() => (fn as (s: string) => unknown)(text))) }
ps.sort((a, b) => a - b); bs.sort((a, b) => a - b)
console.log(which, 'parse cpu ms', ps[0]?.toFixed(1), 'splitLines cpu ms', bs[0]?.toFixed(1), 'ratio', ((ps[0] as number) / (bs[0] as number)).toFixed(1))
