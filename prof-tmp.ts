import { readFileSync } from 'node:fs'
import { parseIptablesSave } from '@/lib/parsers/iptables-save'
import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
const F = 'lib/parsers/fixtures/'
function rep(lines: string[], n: number) { const out: string[] = []; let i = 0; while (out.length < n) out.push(lines[i++ % lines.length] as string); return out.join('\n') + '\n' }
const ipt = readFileSync(F + 'tanjunchen-cilium-iptables-419__node-iptables-save-annotated.txt', 'utf8').split('\n')
const rules = ipt.filter((l) => l.startsWith('-A '))
const iptText = '*nat\n' + rep(rules, 20000)
for (let i = 0; i < 20; i++) parseIptablesSave(iptText)
