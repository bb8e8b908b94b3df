/**
 * Garbage in, diagnostics out: no parser (nor the classifier) may throw, hang or invent line numbers,
 * whatever the bytes. Inputs are random (seeded, so a failure replays) or real fixtures mangled.
 */
import { describe, expect, it } from 'vitest'
import type { ParseResult } from '@/lib/model/records'
import { classifyCommand } from '@/lib/commands/classify'
import { parseArp } from './arp'
import { parseIfconfig } from './ifconfig'
import { parseIflink } from './iflink'
import { parseIpAddr } from './ip-addr'
import { parseIpNeigh } from './ip-neigh'
import { parseIpRoute } from './ip-route'
import { parseIpRule } from './ip-rule'
import { parseProcNetArp } from './proc-net-arp'
import { parseProcNetRoute } from './proc-net-route'
import { parseRouteN } from './route-n'
import { splitLines } from './common'
import kwxAddr from './fixtures/kwx4957-cilium1181-native-wg__node-ip-addr.txt?raw'
import labRoutes from './fixtures/lab-node-ip-route-table-all.txt?raw'
import labIfconfig from './fixtures/lab-node-ifconfig.txt?raw'
import labProcRoute from './fixtures/lab-node-proc-net-route.txt?raw'
import seedRouteN from './fixtures/seed-node-route-n.txt?raw'
import labArp from './fixtures/lab-node-arp-n.txt?raw'

const PARSERS: [string, (t: string) => ParseResult<{ line: number }>][] = [
  ['parseIpAddr', parseIpAddr],
  ['parseIfconfig', parseIfconfig],
  ['parseIpRoute', parseIpRoute],
  ['parseRouteN', parseRouteN],
  ['parseProcNetRoute', parseProcNetRoute],
  ['parseIpRule', parseIpRule],
  ['parseIpNeigh', parseIpNeigh],
  ['parseArp', parseArp],
  ['parseProcNetArp', parseProcNetArp],
  ['parseIflink', parseIflink],
]

/** mulberry32: a small seeded PRNG so every run sees the same inputs. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomBytes(r: () => number, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(r() * 256))
  return s
}

/** Real output with lines dropped, duplicated, truncated and characters flipped. */
function mangle(r: () => number, text: string): string {
  const out: string[] = []
  for (const line of splitLines(text)) {
    const x = r()
    if (x < 0.1) continue
    if (x < 0.2) out.push(line, line)
    else if (x < 0.35) out.push(line.slice(0, Math.floor(r() * line.length)))
    else if (x < 0.5) {
      const k = Math.floor(r() * line.length)
      out.push(line.slice(0, k) + String.fromCharCode(Math.floor(r() * 128)) + line.slice(k + 1))
    } else out.push(line)
  }
  return out.join(r() < 0.5 ? '\n' : '\r\n')
}

function check(name: string, parse: (t: string) => ParseResult<{ line: number }>, text: string): void {
  let result: ParseResult<{ line: number }> | undefined
  expect(() => (result = parse(text)), name).not.toThrow()
  const n = splitLines(text).length
  for (const rec of result!.records) expect(rec.line >= 1 && rec.line <= n, `${name} record line ${rec.line} of ${n}`).toBe(true)
  for (const d of result!.diagnostics) expect(d.line >= 1 && d.line <= n, `${name} diagnostic line ${d.line} of ${n}`).toBe(true)
}

describe('robustness', () => {
  it('random bytes never throw', () => {
    const r = rng(42)
    for (let round = 0; round < 40; round++) {
      const text = randomBytes(r, 1 + Math.floor(r() * 2000))
      for (const [name, parse] of PARSERS) check(name, parse, text)
      expect(() => classifyCommand(text)).not.toThrow()
    }
  })

  it('mangled real outputs never throw and keep line numbers in range', () => {
    const r = rng(7)
    const sources = [kwxAddr, labRoutes, labIfconfig, labProcRoute, seedRouteN, labArp]
    for (let round = 0; round < 30; round++) {
      for (const src of sources) {
        const text = mangle(r, src)
        for (const [name, parse] of PARSERS) check(name, parse, text)
      }
    }
  })

  it('a 1 MB line, NUL bytes, lone CRs, only newlines', () => {
    const huge = 'default via 10.0.0.1 dev eth0 ' + 'x'.repeat(1_000_000)
    const inputs = [huge, '\u0000'.repeat(10_000), '\r'.repeat(1000), '\n'.repeat(100_000), '24: eth0@if25: <' + 'A,'.repeat(50_000), ''.padEnd(5000, '\t ')]
    for (const text of inputs) {
      for (const [name, parse] of PARSERS) check(name, parse, text)
      expect(() => classifyCommand(text)).not.toThrow()
    }
  })

  it('unreadable lines become diagnostics: nothing is silently dropped', () => {
    const { records, diagnostics } = parseIpRoute('\u0000\u0001garbage\nviaaaa dev\n')
    expect(records).toEqual([])
    expect(diagnostics.map((d) => d.line)).toEqual([1, 2])
  })
})
