import { readFileSync } from 'node:fs'
import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
const F = 'lib/parsers/fixtures/'
function rep(lines: string[], n: number) { const out: string[] = []; let i = 0; while (out.length < n) out.push(lines[i++ % lines.length] as string); return out.join('\n') + '\n' }
const ct = readFileSync(F + 'lab-netns-proc-net-nf_conntrack.txt', 'utf8').trim().split('\n')
const text = rep(ct, 200000)
for (let i = 0; i < 4; i++) parseNfConntrack(text)
