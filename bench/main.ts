/**
 * `npm run bench`: runs every bench/*.bench.ts in name order; each default-exports
 * `async function run(): Promise<void>` and prints its own figures.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

async function main(): Promise<number> {
  const only = process.argv.slice(2)
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort()
  let failed = 0
  for (const f of files) {
    console.log(`== ${f}`)
    try {
      const mod = (await import(pathToFileURL(path.join(__dirname, f)).href)) as { default?: () => Promise<void> }
      const run = mod.default ?? (mod as { default?: { default?: () => Promise<void> } }).default?.default
      if (typeof run !== 'function') throw new Error('no default export run()')
      await run()
    } catch (e) {
      failed++
      console.log(`${f}: failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return failed ? 1 : 0
}

main().then((code) => {
  process.exitCode = code
})
