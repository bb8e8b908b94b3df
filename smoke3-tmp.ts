import { readFileSync } from 'node:fs'
import { parseCiliumConfig } from '@/lib/parsers/cilium-config'
for (const f of ['seed-cilium-config-masq.txt','seed-cilium-config-masq-with-prompt.txt','seed-cilium-configmap-yaml.txt']) {
  const r = parseCiliumConfig(readFileSync('lib/parsers/fixtures/'+f,'utf8'))
  console.log(f, r.records.length, JSON.stringify(r.diagnostics), JSON.stringify(r.records.slice(0,6)))
  if (f.includes('yaml')) console.log(JSON.stringify(r.records.filter(x=>/masq|routing|kube-proxy|^data|metadata|labels|name$/.test(x.key))))
}
