import { readFileSync } from 'node:fs'
import { splitLines } from '@/lib/parsers/common'
import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
const F = 'lib/parsers/fixtures/'
function rep(lines: string[], n: number) { const out: string[] = []; let i = 0; while (out.length < n) out.push(lines[i++ % lines.length] as string); return out.join('\n') + '\n' }
const ct = readFileSync(F + 'lab-netns-proc-net-nf_conntrack.txt', 'utf8').trim().split('\n')
const text = rep(ct, 200000)
function t(name: string, fn: () => unknown) { for (let k = 0; k < 3; k++) { const s = performance.now(); fn(); console.log(name, (performance.now() - s).toFixed(0)) } }
t('splitLines', () => splitLines(text))
t('split+trim', () => splitLines(text).map((l) => l.trim()))
t('split+indexOf', () => { let c = 0; for (const l of splitLines(text)) c += l.indexOf('src=') ; return c })
t('split+objects', () => splitLines(text).map((l, i) => ({ line: i, text: l, a: { src: '', dst: '' }, b: { src: '', dst: '' }, flags: [] as string[] })))
t('split+slices', () => { const out: string[] = []; for (const l of splitLines(text)) { out.push(l.slice(20, 29), l.slice(34, 43)) } return out })
t('parse', () => parseNfConntrack(text))
