import { readFileSync } from 'node:fs'
import * as P from '@/lib/parsers'
const dir = 'lib/parsers/fixtures/'
const text = readFileSync(dir+'lab-bench-5000-ip-route.txt','utf8')
const big = Array(20).fill(text).join('')
function time(name: string, fn: () => unknown, reps = 15) { const ts: number[] = []; for (let i = 0; i < reps; i++) { const t0 = performance.now(); fn(); ts.push(performance.now() - t0) } ts.sort((a,b)=>a-b); console.log(name.padEnd(20), (ts[0] as number).toFixed(2), (ts[Math.floor(reps/2)] as number).toFixed(2)) }
const RE = /^(?:(local|broadcast|blackhole|unreachable|prohibit|throw|multicast|unicast|anycast|nat) +)?([0-9a-fA-F.:/]+|default)(?: +via +(?:inet6? +)?(\S+))?(?: +dev +(\S+))?(?: +table +(\S+))?(?: +proto +(\S+))?(?: +scope +(\S+))?(?: +src +(\S+))?(?: +metric +(\d+))?((?: +(?:onlink|linkdown|pervasive|offload|trap|dead|notify|rt_offload|rt_trap|pref +\w+|mtu +(?:lock +)?\d+|expires +\S+|uid +\d+))*) *$/
const RE2 = /^(\S+)(?: via (\S+))?(?: dev (\S+))?/
for (let k = 0; k < 2; k++) {
time('split', () => big.split('\n'))
time('splitLines', () => P.splitLines(big))
time('split+RE', () => { for (const l of P.splitLines(big)) RE.exec(l) })
time('split+RE2', () => { for (const l of P.splitLines(big)) RE2.exec(l) })
time('split+indexOf', () => { let c = 0; for (const l of P.splitLines(big)) c += l.indexOf(' dev ') ; return c})
time('split+normPrefix', () => { for (const l of P.splitLines(big)) P.normalisePrefix(l.slice(0, l.indexOf(' '))) })
time('parseIpRoute', () => P.parseIpRoute(big))
}
