import { readFileSync } from 'node:fs'
import { splitLines } from '@/lib/parsers/common'
import { parseIptablesSave } from '@/lib/parsers/iptables-save'
import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
import { parseCiliumCt } from '@/lib/parsers/cilium-ct'
import { parseCiliumMonitor } from '@/lib/parsers/cilium-monitor'
import { parseIptablesList } from '@/lib/parsers/iptables-list'
const F = 'lib/parsers/fixtures/'
function rep(lines: string[], n: number) { const out: string[] = []; let i = 0; while (out.length < n) out.push(lines[i++ % lines.length] as string); return out.join('\n') + '\n' }
const ipt = readFileSync(F + 'tanjunchen-cilium-iptables-419__node-iptables-save-annotated.txt', 'utf8').split('\n')
const rules = ipt.filter((l) => l.startsWith('-A '))
const natHead = ['*nat', ':POSTROUTING ACCEPT [0:0]']
const iptText = natHead.join('\n') + '\n' + rep(rules.map((r, i) => `[${i}:${i * 60}] ` + r), 20000) + 'COMMIT\n'
const ct = readFileSync(F + 'lab-netns-proc-net-nf_conntrack.txt', 'utf8').trim().split('\n').concat(readFileSync(F + 'seed-nf-conntrack-grep.txt', 'utf8').trim())
const ctText = rep(ct, 200000)
const cct = readFileSync(F + 'seed-cilium-ct-grep.txt', 'utf8').trim().split('\n')
const cctText = rep(cct, 100000)
const mon = readFileSync(F + 'seed-cilium-monitor-grep.txt', 'utf8').trim().split('\n').slice(1)
const monText = rep(mon, 100000)
const lst = readFileSync(F + 'lab-netns-iptables-nat-vnL-line-numbers.txt', 'utf8').split('\n').filter(l => /^\d/.test(l))
const lstText = 'Chain X (1 references)\nnum   pkts bytes target     prot opt in     out     source               destination\n' + rep(lst, 20000)
function time(fn: () => unknown, runs = 9): number { const ts: number[] = []; for (let i = 0; i < runs; i++) { const t = process.cpuUsage(); fn(); const d = process.cpuUsage(t); ts.push((d.user + d.system) / 1000) } ts.sort((a, b) => a - b); return ts[Math.floor(runs / 2)] as number }
for (const [name, text, fn] of [
  ['iptables-save 20k rules', iptText, parseIptablesSave],
  ['iptables -vnL 20k rules', lstText, parseIptablesList],
  ['nf_conntrack 200k', ctText, parseNfConntrack],
  ['cilium ct 100k', cctText, parseCiliumCt],
  ['cilium monitor 100k', monText, parseCiliumMonitor],
] as const) {
  const base = time(() => text.split('\n'))
  const base3 = time(() => splitLines(text).map((l) => l.split(' ')))
  const base2 = time(() => splitLines(text))
  const t = time(() => (fn as (s: string) => { records: unknown[] })(text))
  const n = (fn as (s: string) => { records: unknown[]; diagnostics: unknown[] })(text)
  console.log(`${name}: ${(text.length / 1e6).toFixed(1)} MB, records ${n.records.length}, diags ${n.diagnostics.length}; split ${base.toFixed(1)} ms, splitLines ${base2.toFixed(1)} ms, parse ${t.toFixed(1)} ms splitLines+words ${base3.toFixed(1)} ms → ${(t / base).toFixed(1)}x split, ${(t / base3).toFixed(1)}x split+words, ${(t / base2).toFixed(1)}x splitLines`)
}
