import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
import { splitLines } from '@/lib/parsers/common'
import { scaledNfConntrack } from './bench/scale'
const text = scaledNfConntrack(200000)
const g = (globalThis as { gc?: () => void }).gc!
g(); const m0 = process.memoryUsage().heapUsed
const lines = splitLines(text)
g(); const m1 = process.memoryUsage().heapUsed
const r = parseNfConntrack(text)
g(); const m2 = process.memoryUsage().heapUsed
console.log('lines MB', ((m1 - m0) / 1e6).toFixed(1), 'records MB', ((m2 - m1) / 1e6).toFixed(1), 'per record B', ((m2 - m1) / r.records.length).toFixed(0), lines.length)
let t = performance.now(); parseNfConntrack(text); console.log('one parse ms', (performance.now() - t).toFixed(0))
t = performance.now(); for (const l of lines) l.indexOf(' src='); console.log('indexOf per line ms', (performance.now() - t).toFixed(0))
t = performance.now(); let c = 0; for (const l of lines) for (let i = 0; i < l.length; i++) c += l.charCodeAt(i); console.log('charCodeAt all ms', (performance.now() - t).toFixed(0), c > 0)
t = performance.now(); c = 0; for (let i = 0; i < text.length; i++) c += text.charCodeAt(i); console.log('charCodeAt parent ms', (performance.now() - t).toFixed(0), c > 0)
t = performance.now(); c = 0; for (const l of lines) { const f = l + ''; for (let i = 0; i < f.length; i++) c += f.charCodeAt(i) } console.log('charCodeAt lines again ms', (performance.now() - t).toFixed(0))
