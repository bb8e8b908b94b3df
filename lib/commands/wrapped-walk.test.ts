/**
 * The seed's outputs recorded under wrapper command lines and chains (fixtures/seed-wrapped,
 * built by make-wrapped.mjs: every stdout byte for byte the seed's) walk exactly like the seed:
 * same hops, same facts, and each hop cites the same printed lines, now inside the wrapped runs.
 * Before wrappers and chains were read, this capture's walk had 8 hops, 3 of them unproven
 * ("the neighbour table of pod was not captured", "no routing table of node-7o7xd was captured").
 */
import { describe, expect, it } from 'vitest'
import seedJson from '@/lib/demo/seed-doks.capture.json'
import { validateCapture } from '@/lib/formats/capture-schema'
import type { Capture } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'
import { inferWalk } from '@/lib/engine'
import wrappedJson from './fixtures/seed-wrapped.capture.json'
import { classifyCommand } from './classify'

function load(json: unknown): Capture {
  const r = validateCapture(structuredClone(json))
  if (!r.ok) throw new Error(r.error)
  return r.capture
}

/** Each hop with its evidence as the printed text of the cited lines (what a reader sees). */
function citedText(capture: Capture, walk: Walk) {
  return walk.hops.map((h) => ({
    kind: h.kind,
    proven: h.proven !== false,
    facts: h.facts,
    cited: h.evidence
      .flatMap((e) => {
        const run = capture.hosts[e.host]?.runs[e.run ?? -1]
        const text = (e.stream === 'stderr' ? run?.stderr : run?.stdout)?.split('\n') ?? []
        return e.lines.map((l) => `${e.host}: ${text[l - 1]}`)
      })
      .sort(),
  }))
}

describe('seed outputs under wrapper command lines', () => {
  const seed = load(seedJson)
  const wrapped = load(wrappedJson)

  it('the capture holds the seed outputs verbatim, under other command lines only', () => {
    for (const [id, host] of Object.entries(wrapped.hosts)) {
      const seedRuns = seed.hosts[id]!.runs
      for (const run of host.runs) {
        const originals = (run as { seedCommands?: string[] }).seedCommands ?? []
        expect(run.stdout).toBe(originals.map((c) => seedRuns.find((r) => r.command === c)!.stdout).join(''))
        expect(seedRuns.some((r) => r.command === run.command)).toBe(false)
        // each wrapped spelling names the same command as the seed's first original
        expect(classifyCommand(run.command).kind).toBe(classifyCommand(originals[0]!).kind)
      }
    }
  })

  it('walks like the seed: same hops, facts and proof, citing the same printed lines', () => {
    const a = inferWalk(seed)
    const b = inferWalk(wrapped)
    expect(b.hops.map((h) => h.kind)).toEqual(['route', 'neighbor', 'veth', 'bpf', 'conntrack', 'conntrack', 'route', 'nat', 'neighbor', 'egress'])
    expect(citedText(wrapped, b)).toEqual(citedText(seed, a))
    expect(b.warnings.some((w) => /was not captured/.test(w) && /(pod|routing table)/.test(w) && !/neighbour table of node/.test(w))).toBe(false)
  })

  it('the chain in the pod is cited at its own lines: route -n L3, arp -an L5 of the one run', () => {
    const b = inferWalk(wrapped)
    const chainCmd = wrapped.hosts.pod!.runs[0]!.command
    expect(b.hops[0]!.evidence).toContainEqual(expect.objectContaining({ host: 'pod', command: chainCmd, lines: [3] }))
    expect(b.hops[1]!.evidence).toContainEqual(expect.objectContaining({ host: 'pod', command: chainCmd, lines: [5] }))
  })

  it('a chain whose outputs cannot be told apart: one warning, and nothing of it is read', () => {
    const c = structuredClone(wrapped)
    const pod = c.hosts.pod!
    // two outputs of one shape (the pod's and the node's routing tables), no echoed prompt between
    pod.runs[0] = { ...pod.runs[0]!, command: 'route -n; nsenter -t 1 -n route -n', stdout: seed.hosts.pod!.runs[0]!.stdout + seed.hosts['node-7o7xd']!.runs[3]!.stdout }
    const w = inferWalk(c)
    const chainWarnings = w.warnings.filter((x) => x.includes('cannot be told apart'))
    expect(chainWarnings).toEqual([
      expect.stringMatching(/^`route -n; nsenter -t 1 -n route -n` on pod ran 2 commands whose outputs cannot be told apart \(line 3 could be the output of command 1 \(`route -n`\) or command 2 \(`route -n`\) \(same shape\)\): none of them is read\./),
    ])
    expect(w.hops[0]).toMatchObject({ kind: 'route', proven: false })
  })
})
