import { describe, expect, it } from 'vitest'
import type { Walk } from '@/lib/model/walk'
import { buildWalkView, mergeChunks, mergeRanges, resolveRun } from './evidence-windows'
import { seedCapture, seedWalk } from './seed-walk.fixture'
import { outputKey } from './walk-view'

const summary = { id: 'seed-doks', title: 'seed', embedded: true, capturedAt: '2024-09-11T09:30:00Z' }

describe('buildWalkView on the seed lab', () => {
  const { capture, walk } = seedWalk()
  const view = buildWalkView(capture, walk, summary)

  it('resolves every evidence entry to a run of the capture', () => {
    for (const evs of view.evidence) for (const ev of evs) expect(ev.key, ev.command).toBeDefined()
    const route = view.evidence[0]?.[0]
    expect(route).toMatchObject({ key: outputKey('pod', 0, 'stdout'), command: 'route -n', lines: [3] })
  })

  it('sends small outputs whole, as printed', () => {
    const out = view.outputs[outputKey('pod', 0, 'stdout')]
    expect(out?.totalLines).toBe(4)
    expect(out?.chunks).toEqual([
      {
        from: 1,
        lines: [
          'Kernel IP routing table',
          'Destination Gateway Genmask Flags Metric Ref Use Iface',
          '0.0.0.0 10.244.0.201 0.0.0.0 UG 0 0 0 eth0',
          '10.244.0.201 0.0.0.0 255.255.255.255 UH 0 0 0 eth0',
        ],
      },
    ])
  })

  it('keeps the stream of stderr evidence (cilium bpf nat list cannot open the SNAT map)', () => {
    const nat = view.outputs[outputKey('cilium-r7ffp', 2, 'stderr')]
    expect(nat?.stream).toBe('stderr')
    expect(nat?.chunks[0]?.lines[0]).toMatch(/^Unable to open \/sys\/fs\/bpf\/tc\/globals\/cilium_snat_v4_external/)
  })
})

describe('windows of a huge output', () => {
  // The seed's real conntrack line, repeated to the 100,000 lines of a busy node's table.
  const capture = seedCapture()
  const run = capture.hosts['node-7o7xd']!.runs[5]!
  const line = run.stdout.trim()
  run.stdout = Array.from({ length: 100_000 }, () => line).join('\n') + '\n'
  const walk: Walk = {
    format: 'packetwalk/walk@1',
    flow: capture.flow,
    warnings: [],
    hops: [
      {
        kind: 'conntrack',
        host: 'node-7o7xd',
        summary: '',
        facts: { table: 'netfilter' },
        proven: true,
        evidence: [{ host: 'node-7o7xd', command: 'grep 1.0.0.1 /proc/net/nf_conntrack', lines: [50_000, 50_003, 90_000] }],
      },
    ],
  }

  it('sends ±15 lines around each evidence line and the total count, never the whole output', () => {
    const out = buildWalkView(capture, walk, summary).outputs[outputKey('node-7o7xd', 5, 'stdout')]
    expect(out?.totalLines).toBe(100_000)
    expect(out?.chunks.map((c) => [c.from, c.lines.length])).toEqual([
      [49_985, 34],
      [89_985, 31],
    ])
    expect(out?.chunks[0]?.lines[15]).toBe(line)
  })
})

describe('helpers', () => {
  it('merges touching and overlapping ranges', () => {
    expect(mergeRanges([[10, 20], [1, 3], [4, 6], [18, 25]])).toEqual([[1, 6], [10, 25]])
  })

  it('merges a fetched chunk into the held ones', () => {
    const merged = mergeChunks([{ from: 1, lines: ['a', 'b'] }, { from: 10, lines: ['j'] }], { from: 3, lines: ['c', 'd'] })
    expect(merged).toEqual([{ from: 1, lines: ['a', 'b', 'c', 'd'] }, { from: 10, lines: ['j'] }])
  })

  it('resolves an evidence without a run index by its command', () => {
    const capture = seedCapture()
    expect(resolveRun(capture, { host: 'node-7o7xd', command: 'route -n', lines: [3] })).toBe(3)
    expect(resolveRun(capture, { host: 'node-7o7xd', command: 'ip neigh', lines: [1] })).toBeUndefined()
  })
})
