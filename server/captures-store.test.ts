/**
 * The capture store on disk (issue 10): uploads survive a restart (a new store on the same
 * folder), eviction is oldest-first within count and bytes limits, never touches the demos, and
 * an evicted id is answered 410 with when and why.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CaptureStore, captureStore, defaultDataDir, readLines } from './captures'

const demoDir = path.join(__dirname, '..', 'lib', 'demo')
const seedText = fs.readFileSync(path.join(demoDir, 'seed-doks.capture.json'), 'utf8')
/** The seed lab under another title: the same real outputs, a different file (and id). */
const variant = (title: string) => new TextEncoder().encode(JSON.stringify({ ...JSON.parse(seedText), title }))

const dirs: string[] = []
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-store-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('capture store on disk', () => {
  it('keeps an upload across a restart: a new store on the same folder lists and serves it', async () => {
    const dir = tmp()
    const a = new CaptureStore(dir, demoDir)
    const r = a.add(variant('kept'), 'kept.json')
    expect(r.ok).toBe(true)
    await a.flush()
    const id = r.ok ? r.stored.summary.id : ''
    const b = new CaptureStore(dir, demoDir)
    expect(b.list().map((c) => c.id)).toContain(id)
    const again = b.lookup(id)
    expect(again.found && again.stored.summary.title).toBe('kept')
    expect(again.found && again.stored.capture.hosts).toEqual(r.ok && r.stored.capture.hosts)
  })

  it('evicts oldest first past the count limit, never a demo, and says why (410)', async () => {
    const s = new CaptureStore(tmp(), demoDir, { count: 2, bytes: 1 << 30 })
    const ids = ['one', 'two', 'three'].map((t) => {
      const r = s.add(variant(t), `${t}.json`)
      if (!r.ok) throw new Error(r.error)
      return { id: r.stored.summary.id, evicted: r.evicted }
    })
    expect(ids[2]?.evicted).toEqual([ids[0]?.id])
    const gone = s.lookup(ids[0]!.id)
    expect(gone).toMatchObject({ found: false, status: 410 })
    expect(!gone.found && gone.error).toMatch(/was removed from the server at .* to make room for newer uploads \(it keeps the 2 most recent/)
    expect(s.lookup('seed-doks').found).toBe(true)
    expect(s.list().filter((c) => c.embedded).length).toBe(s.embeddedCaptures().length)
    // reopening a file makes it the newest: "two" survives the next upload, "three" goes
    s.add(variant('two'), 'two.json')
    s.add(variant('four'), 'four.json')
    expect(s.lookup(ids[1]!.id).found).toBe(true)
    expect(s.lookup(ids[2]!.id)).toMatchObject({ found: false, status: 410 })
    await s.flush()
  })

  it('evicts by bytes: the total on disk stays under the byte limit', async () => {
    const one = variant('a').byteLength
    const s = new CaptureStore(tmp(), demoDir, { count: 100, bytes: Math.floor(one * 2.5) })
    for (const t of ['a', 'b', 'c', 'd']) {
      s.add(variant(t), t)
      await s.flush()
    }
    expect(s.usage().count).toBe(2)
    expect(s.usage().bytes).toBeLessThanOrEqual(one * 2.5)
    const files = fs.readdirSync(path.join(s.dir, 'captures')).filter((f) => f.endsWith('.capture.json'))
    expect(files).toHaveLength(2)
  })

  it('unknown and hostile ids are a 404, never a throw', () => {
    const s = new CaptureStore(tmp(), demoDir)
    for (const id of ['__proto__', 'constructor', 'toString', '%ff%fe', '\u00ff\u00fe', '../../etc/passwd', 'u-../../x', 'x'.repeat(5000)]) {
      expect(s.lookup(id)).toMatchObject({ found: false, status: 404 })
    }
  })

  it('a damaged index or stray files do not stop the store; strays are removed', () => {
    const dir = tmp()
    fs.mkdirSync(path.join(dir, 'captures'), { recursive: true })
    fs.writeFileSync(path.join(dir, 'captures', 'index.json'), '{not json')
    fs.writeFileSync(path.join(dir, 'captures', 'u-0000000000000000.capture.json'), 'junk')
    const s = new CaptureStore(dir, demoDir)
    expect(s.usage().count).toBe(0)
    expect(fs.existsSync(path.join(dir, 'captures', 'u-0000000000000000.capture.json'))).toBe(false)
  })

  it('host names that are object keys are not hosts (no 500 for lines?host=__proto__)', () => {
    const stored = new CaptureStore(tmp(), demoDir).lookup('seed-doks')
    if (!stored.found) throw new Error('no seed')
    for (const host of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(readLines(stored.stored, { host, run: 0, stream: 'stdout', from: 1, count: 10 })).toMatchObject({ ok: false, status: 404 })
    }
    expect(readLines(stored.stored, { host: 'node-7o7xd', run: 1e9, stream: 'stdout', from: 1, count: 1 })).toMatchObject({ ok: false, status: 404 })
  })

  it('one store per process, in PACKETWALK_DATA; the default is under the user cache dir', () => {
    expect(captureStore()).toBe(captureStore())
    expect(captureStore().dir).toBe(path.resolve(process.env.PACKETWALK_DATA as string))
    expect(defaultDataDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/packetwalk')
    expect(defaultDataDir({})).toBe(path.join(os.homedir(), '.cache', 'packetwalk'))
  })
})
