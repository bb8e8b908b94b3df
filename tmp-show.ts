import { inferWalk } from '@/lib/engine'
import { validateCapture } from '@/lib/formats/capture-schema'
import fs from 'node:fs'
const file = process.argv[2]!
const r = validateCapture(JSON.parse(fs.readFileSync(file, 'utf8')))
if (!r.ok) throw new Error(r.error)
const w = inferWalk(r.capture)
for (const h of w.hops) {
  console.log(`${h.kind}@${h.host} ${h.proven ? '' : '?'} ${h.summary}`)
  console.log('   facts', JSON.stringify(h.facts))
  console.log('   ev', h.evidence.map((e) => `${e.host}:${e.command}${e.stream === 'stderr' ? '[err]' : ''} L${e.lines.join(',')}`).join(' | '))
  const p = h.packet ?? {}
  console.log('   pkt', `${p.srcMac ?? '-'} > ${p.dstMac ?? '-'} ${p.srcIp}:${p.srcPort ?? ''} > ${p.dstIp}:${p.dstPort ?? ''} changed=${(p.changed ?? []).join(',')}`)
}
console.log('basis:\n  ' + (w.datapath?.basis ?? []).join('\n  '))
console.log('warnings:\n  ' + w.warnings.join('\n  '))
