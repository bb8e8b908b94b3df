import { readFileSync } from 'node:fs'
import * as P from '@/lib/parsers'
const dir = 'lib/parsers/fixtures/'
function rep(f: string, n: number) { const t = readFileSync(dir+f,'utf8'); const lines = t.split('\n').filter(Boolean); const out: string[] = []; while (out.length < n) out.push(...lines); return out.slice(0,n).join('\n')+'\n' }
const cases: [string, (t:string)=>unknown, string][] = [
  ['ip route 5000', P.parseIpRoute, readFileSync(dir+'lab-bench-5000-ip-route.txt','utf8')],
  ['route -n 5000', P.parseRouteN, readFileSync(dir+'lab-bench-5000-route-n.txt','utf8')],
  ['proc route 5000', P.parseProcNetRoute, readFileSync(dir+'lab-bench-5000-proc-net-route.txt','utf8')],
  ['ip route 100k', P.parseIpRoute, rep('lab-node-ip-route-table-all.txt', 100000)],
  ['ip addr 100k', P.parseIpAddr, rep('lab-node-ip-addr.txt', 100000)],
  ['ip -d link 100k', P.parseIpAddr, rep('lab-node-ip-d-link.txt', 100000)],
  ['ifconfig 100k', P.parseIfconfig, rep('lab-node-ifconfig.txt', 100000)],
  ['ip neigh 100k', P.parseIpNeigh, rep('lab-node-ip-neigh.txt', 100000)],
  ['arp -n 100k', P.parseArp, rep('lab-node-arp-n.txt', 100000)],
  ['arp -an 100k', P.parseArp, rep('lab-node-arp-an.txt', 100000)],
  ['proc arp 100k', P.parseProcNetArp, rep('lab-node-proc-net-arp.txt', 100000)],
  ['ip rule 100k', P.parseIpRule, rep('lab-node-ip-rule.txt', 100000)],
  ['route -n 100k', P.parseRouteN, rep('lab-node-route-n.txt', 100000)],
  ['garbage 100k', P.parseIpRoute, rep('seed-pod-route-n-with-prompt.txt', 100000)],
]
function time(fn: () => unknown, reps = 15) { for (let i = 0; i < 5; i++) fn(); const ts: number[] = []; for (let i = 0; i < reps; i++) { const t0 = performance.now(); fn(); ts.push(performance.now() - t0) } ts.sort((a,b)=>a-b); return ts[0] as number }
for (const [name, fn, text] of cases) {
  const base = time(() => P.splitLines(text)); const base2 = time(() => text.split('\n')); const base3 = time(() => text.split('\n').map((l) => l.trim().split(/\s+/)))
  const t = time(() => fn(text))
  console.log(name.padEnd(18), 'parse', t.toFixed(2), 'splitLines', base.toFixed(2), 'split', base2.toFixed(2), 'ratio vs splitLines', (t/base).toFixed(1), 'vs split', (t/base2).toFixed(1), 'vs split+words', (t/base3).toFixed(1))
}
