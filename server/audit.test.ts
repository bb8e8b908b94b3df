/** The command log (issue 10): every field bounded, the file rotated at a size. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { audit, LOG_GENERATIONS, MAX_FIELD_CHARS, setAuditSink } from './audit'

const saved = { log: process.env.PACKETWALK_LOG, max: process.env.PACKETWALK_LOG_MAX_MB }
afterEach(() => {
  setAuditSink(undefined)
  for (const [k, v] of [['PACKETWALK_LOG', saved.log], ['PACKETWALK_LOG_MAX_MB', saved.max]] as const) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

describe('command log', () => {
  it('bounds every field: a huge user agent, reason or argv gives a short line', () => {
    const lines: string[] = []
    setAuditSink((l) => lines.push(l))
    const huge = 'A'.repeat(1_000_000)
    audit({ remote: huge, userAgent: huge, tokenId: 'none' }, { event: 'refused', context: huge, target: huge, argv: Array.from({ length: 10_000 }, () => huge), reason: huge })
    expect(lines).toHaveLength(1)
    const line = lines[0] as string
    expect(line.length).toBeLessThan(64 * (MAX_FIELD_CHARS + 30) + 4000)
    const e = JSON.parse(line) as { argv: string[]; who: { remote: string } }
    expect(e.argv.length).toBe(65)
    expect(e.who.remote.length).toBeLessThan(MAX_FIELD_CHARS + 30)
  })

  it('rotates the file past PACKETWALK_LOG_MAX_MB and keeps a bounded number of generations', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-log-'))
    try {
      const file = path.join(dir, 'commands.log')
      process.env.PACKETWALK_LOG = file
      process.env.PACKETWALK_LOG_MAX_MB = String(20_000 / (1024 * 1024))
      for (let i = 0; i < 400; i++) audit({ remote: '127.0.0.1', tokenId: 'none' }, { event: 'denied', path: '/api/captures', reason: 'x'.repeat(250) })
      const files = fs.readdirSync(dir).sort()
      expect(files).toEqual(['commands.log', ...Array.from({ length: LOG_GENERATIONS }, (_, i) => `commands.log.${i + 1}`)])
      for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(20_000)
      expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
