import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { addUploadedCapture, defaultCaptureId, getCapture, MAX_LINES_PER_REQUEST, readLines } from './captures'
import { openCapture, walkViewFor } from './walk-service'

const seedText = fs.readFileSync(path.join(__dirname, '..', 'lib', 'demo', 'seed-doks.capture.json'), 'utf8')
const bytes = (s: string) => new TextEncoder().encode(s)

describe('captures on the server', () => {
  it('opens on the embedded seed lab', () => {
    expect(defaultCaptureId()).toBe('seed-doks')
    const r = walkViewFor('seed-doks')
    expect(r.ok && r.view.walk.hops[0]?.kind).toBe('route')
  })

  it('keeps an opened file under a content hash: the same bytes give the same id', () => {
    const a = addUploadedCapture(bytes(seedText), 'a.json')
    const b = addUploadedCapture(bytes(seedText), 'b.json')
    expect(a.ok && b.ok && a.stored.summary.id === b.stored.summary.id).toBe(true)
    expect(a.ok && a.stored.summary.id).toMatch(/^u-[0-9a-f]{16}$/)
  })

  it('rejects an invalid file with the path of the bad field', () => {
    const bad = JSON.parse(seedText)
    bad.hosts.pod.runs[0].exitCode = 'zero'
    const r = openCapture(bytes(JSON.stringify(bad)), 'bad.json')
    expect(r).toMatchObject({ ok: false, status: 400 })
    expect(!r.ok && r.error).toMatch(/^invalid capture: hosts\.pod\.runs\[0\]\.exitCode: /)
    expect(openCapture(bytes('{"format":'), 'x')).toMatchObject({ ok: false, status: 400 })
  })

  it('serves bounded windows of an output, numbered from 1', () => {
    const stored = getCapture('seed-doks')!
    const r = readLines(stored, { host: 'node-7o7xd', run: 3, stream: 'stdout', from: 3, count: 2 })
    expect(r).toEqual({
      ok: true,
      from: 3,
      totalLines: 10,
      lines: ['0.0.0.0 165.22.16.1 0.0.0.0 UG 0 0 0 eth0', '10.19.0.0 0.0.0.0 255.255.0.0 U 0 0 0 eth0'],
    })
    const all = readLines(stored, { host: 'node-7o7xd', run: 3, stream: 'stdout', from: 1, count: 10 ** 9 })
    expect(all.ok && all.lines.length).toBeLessThanOrEqual(MAX_LINES_PER_REQUEST)
    expect(readLines(stored, { host: 'nope', run: 0, stream: 'stdout', from: 1, count: 1 })).toMatchObject({ ok: false, status: 404 })
  })
})
