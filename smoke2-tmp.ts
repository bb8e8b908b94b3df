import { readFileSync } from 'node:fs'
import { parseIptablesSave } from '@/lib/parsers/iptables-save'
for (const f of ['tanjunchen-cilium-iptables-419__node-iptables-save-annotated.txt','gh-cilium-5384-ci2018__node-iptables-save-nat-excerpt.txt']) {
const r = parseIptablesSave(readFileSync('lib/parsers/fixtures/'+f,'utf8'))
console.log(f, r.records.length, r.chains.length, JSON.stringify(r.diagnostics))
console.log(r.chains.filter(c=>c.table==='nat').map(c=>c.line+':'+c.name).join(' '))
}
