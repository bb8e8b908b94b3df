import { describe, expect, it } from 'vitest'
import { parseNfConntrack } from '@/lib/parsers/nf-conntrack'
import { parseCiliumCt } from '@/lib/parsers/cilium-ct'
import { scaledCiliumCt, scaledNfConntrack } from '@/bench/scale'
import { FOCUS_MIN_BYTES, parseFocused } from './focus'

describe('parseFocused (scaled real conntrack and CT outputs)', () => {
  it('returns exactly the full parse’s records that mention the needle, with their original line numbers', () => {
    const text = scaledNfConntrack(6000)
    expect(text.length).toBeGreaterThan(FOCUS_MIN_BYTES)
    const needle = '10.0.3.240'
    const full = parseNfConntrack(text).records.filter((r) => r.text.includes(needle))
    const focused = parseFocused(text, [needle], parseNfConntrack).records
    expect(focused.length).toBeGreaterThan(0)
    expect(focused).toEqual(full)
  })
  it('finds the seed entry on line 1 and others deep in a 100k-entry CT table', () => {
    const text = scaledCiliumCt(100_000)
    const lines = text.split('\n')
    const focused = parseFocused(text, ['10.244.0.213', '10.1.134.159'], parseCiliumCt).records
    expect(focused.slice(0, 4).map((r) => r.line)).toEqual([1, 2, 3, 4])
    for (const r of focused) expect(lines[r.line - 1]?.trim()).toBe(r.text.trim())
    expect(focused.length).toBeGreaterThan(4)
  })
  it('parses small outputs whole', () => {
    const small = 'ipv4     2 udp      17 18 src=127.0.0.1 dst=127.0.0.2 sport=33887 dport=9 [UNREPLIED] src=127.0.0.2 dst=127.0.0.1 sport=9 dport=33887 mark=0 zone=0 use=2\n'
    expect(parseFocused(small, ['10.9.9.9'], parseNfConntrack).records).toHaveLength(1)
  })
})
