import { readFileSync, readdirSync } from 'node:fs'
import * as P from '@/lib/parsers'
const dir = 'lib/parsers/fixtures/'
const pick = (f: string) => f.includes('proc-net-route') ? P.parseProcNetRoute : f.includes('proc-net-arp') ? P.parseProcNetArp : f.includes('iflink') ? P.parseIflink : f.includes('ip-route') || f.includes('route-get') || f.includes('ip-c-route') ? P.parseIpRoute : f.includes('route-n') ? P.parseRouteN : f.includes('ip-rule') ? P.parseIpRule : f.includes('neigh') ? P.parseIpNeigh : f.includes('arp') ? P.parseArp : f.includes('ifconfig') ? P.parseIfconfig : f.match(/ip-|ip-a|ip-d-a|addr/) ? P.parseIpAddr : undefined
for (const f of readdirSync(dir).filter(f=>f.startsWith(process.argv[2] ?? 'lab-')).sort()) {
  const fn = pick(f); if (!fn) { console.log('SKIP', f); continue }
  const r = fn(readFileSync(dir+f,'utf8'))
  console.log('=====', f, fn.name, r.records.length); if (!f.includes('bench')) console.log(JSON.stringify(r.records).slice(0,1200)); if (r.diagnostics.length) console.log('DIAG', JSON.stringify(r.diagnostics.slice(0,5)))
}
