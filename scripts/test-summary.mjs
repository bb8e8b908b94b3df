// Prints one closing line for the whole test run, summed over the vitest and Playwright JSON
// reports: "tests: N passed, N failed" (", N skipped" when some were skipped). CI reads it.
import fs from 'node:fs'

const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : undefined)
let passed = 0
let failed = 0
let skipped = 0
const unit = read('.reports/vitest.json')
if (unit) {
  passed += unit.numPassedTests
  failed += unit.numFailedTests
  skipped += unit.numPendingTests + unit.numTodoTests
}
const e2e = read('.reports/playwright.json')
if (e2e) {
  passed += e2e.stats.expected
  failed += e2e.stats.unexpected + e2e.stats.flaky
  skipped += e2e.stats.skipped
}
if (!unit || !e2e) console.log(`note: missing report(s): ${[!unit && 'vitest', !e2e && 'playwright'].filter(Boolean).join(', ')}`)
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exitCode = failed || !unit || !e2e ? 1 : 0
