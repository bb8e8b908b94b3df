import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { LineFilter } from './line-filter'

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../lib/parsers/fixtures', name), 'utf8')

/** Feeds text in chunks of `size` bytes, cutting lines anywhere, as a stream does. */
function run(text: string, needles: string[], size: number, maxBytes = 1 << 20) {
  const f = new LineFilter(needles, maxBytes)
  const b = Buffer.from(text)
  for (let i = 0; i < b.length; i += size) f.push(b.subarray(i, i + size))
  f.end()
  return { text: f.text(), note: f.note() }
}

describe('LineFilter', () => {
  // three real CT outputs one after the other: several addresses, a prompt line, no trailing rules
  const ct = ['arthurchiao-cheatsheet-minikube15__cilium-bpf-ct-list-global.txt', 'seed-cilium-ct-grep.txt', 'tanjunchen-kind-cilium-kpr__agent-cilium-bpf-ct-list-global-grep.txt'].map(fixture).join('')
  const lines = ct.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '')

  it('keeps exactly the lines naming an address, with their line numbers in the full output, whatever the chunking', () => {
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(fixture('seed-cilium-ct-grep.txt'))?.[1] as string
    const want = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => new RegExp(`(^|[^\\d.])${ip.replace(/\./g, '\\.')}(?![\\d]|\\.\\d)`).test(l))
    expect(want.length).toBeGreaterThan(0)
    expect(want.length).toBeLessThan(lines.length)
    for (const size of [1, 7, 64, 4096, 1 << 20]) {
      const { text, note } = run(ct, [ip], size)
      expect(text.split('\n').filter(Boolean)).toEqual(want.map(([l]) => l))
      expect(note.lineNumbers).toEqual(want.map(([, n]) => n))
      expect(note).toMatchObject({ totalLines: lines.length, keptLines: want.length, needles: [ip] })
    }
  })

  it('does not match an address inside a longer one', () => {
    const { note } = run('a 10.0.0.12:80\nb 110.0.0.1:80\nc 10.0.0.1.5\nd 10.0.0.1:80\ne src=10.0.0.1 dst=x\n', ['10.0.0.1'], 5)
    expect(note.lineNumbers).toEqual([4, 5])
  })

  it('counts a last line without a newline and stops keeping at the byte cap, saying so', () => {
    const { note } = run('x 1.2.3.4\ny\nz 1.2.3.4', ['1.2.3.4'], 3)
    expect(note).toMatchObject({ totalLines: 3, lineNumbers: [1, 3] })
    const capped = run('1.2.3.4 aaaa\n1.2.3.4 bbbb\n', ['1.2.3.4'], 4, 14)
    expect(capped.note).toMatchObject({ keptLines: 1, truncated: true, totalLines: 2 })
  })
})
