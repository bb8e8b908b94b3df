/**
 * `npm run golden`: rewrites the golden walk next to every capture file (x.capture.json →
 * x.walk.json, and x.reply.walk.json when the engine walks replies), then lists what changed.
 * Review the diff before committing: a golden is the walk a person agreed with.
 */
import fs from 'node:fs'
import path from 'node:path'
import { expectedGoldens, findCaptureFiles, ROOT } from './golden'

let changed = 0
let failed = 0
const files = findCaptureFiles()
for (const capture of files) {
  const c = expectedGoldens(capture)
  if (c.error) {
    failed++
    console.error(`✗ ${c.error}`)
    continue
  }
  for (const g of c.goldens) {
    const full = path.join(ROOT, g.file)
    const before = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined
    if (before === g.text) continue
    fs.writeFileSync(full, g.text)
    changed++
    console.log(`${before === undefined ? 'new' : 'updated'} ${g.file}`)
  }
}
console.log(`${files.length} captures, ${changed} golden file(s) written${failed ? `, ${failed} capture(s) invalid` : ''}`)
process.exitCode = failed ? 1 : 0
