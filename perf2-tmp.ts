import { readFileSync } from 'node:fs'
import * as P from '@/lib/parsers'
const dir = 'lib/parsers/fixtures/'
function rep(f: string, n: number) { const t = readFileSync(dir+f,'utf8'); const lines = t.split('\n').filter(Boolean); const out: string[] = []; while (out.length < n) out.push(...lines); return out.slice(0,n).join('\n')+'\n' }
const text = rep('lab-node-ip-route-table-all.txt', 100000)
function time(name: string, fn: () => unknown, reps = 9) { const ts: number[] = []; for (let i = 0; i < reps; i++) { const t0 = performance.now(); fn(); ts.push(performance.now() - t0) } ts.sort((a,b)=>a-b); console.log(name, (ts[Math.floor(reps/2)] as number).toFixed(2)) }
time('splitLines', () => P.splitLines(text))
time('split+stripAnsi', () => P.splitLines(text).map(P.stripAnsi))
time('split+words', () => { for (const l of P.splitLines(text)) P.words(l) })
time('split+regexsplit', () => { for (const l of P.splitLines(text)) l.split(' ') })
time('split+1regex', () => { const re = /^(?:(\w+) )?(\S+)(?: via (\S+))?(?: dev (\S+))?/; for (const l of P.splitLines(text)) re.exec(l) })
time('split+parsePrefix', () => { for (const l of P.splitLines(text)) P.parsePrefix(l.slice(0, l.indexOf(' '))) })
time('split+obj', () => { const out = []; for (const l of P.splitLines(text)) out.push({ line: 1, destination: l.slice(0, 10), table: 'main' }); return out })
time('parseIpRoute', () => P.parseIpRoute(text))
