/**
 * `needs` on real captures: every entry names a place a collector can find (a host id of the
 * capture, or the pod's/node's name with its role), follows the hops it would prove, and is
 * asked once.
 */
import { describe, expect, it } from 'vitest'
import { validateCapture } from '@/lib/formats/capture-schema'
import { validateWalk } from '@/lib/formats/walk-schema'
import type { Capture } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'
import { inferWalk } from './walk'
import { commandArgv } from './needs'
import seed from '@/lib/demo/seed-doks.capture.json'
import g1 from './fixtures/captures/g1-arthurchiao-cilium18-service.capture.json'
import g11 from './fixtures/captures/g11-kwx-cilium1175-native-tcx.capture.json'
import g14 from './fixtures/captures/g14-kwx-cilium1181-native-endpoint-routes.capture.json'
import g7 from './fixtures/captures/g7-tkng-kubeproxy-iptables-service.capture.json'

function load(json: unknown): Capture {
  const r = validateCapture(structuredClone(json))
  if (!r.ok) throw new Error(r.error)
  return r.capture
}

function walked(json: unknown): { capture: Capture; walk: Walk } {
  const capture = load(json)
  const walk = inferWalk(capture)
  const v = validateWalk(JSON.parse(JSON.stringify(walk)))
  if (!v.ok) throw new Error(v.error)
  return { capture, walk }
}

/** The names a collector can resolve: host ids, and the pods' and nodes' names the capture gives. */
function resolvable(capture: Capture, need: NonNullable<Walk['needs']>[number]): boolean {
  if (need.inCapture) return capture.hosts[need.host]?.role === need.role
  if (need.role === 'pod' && need.ip) return need.ip === need.host && [capture.flow.source.ip, capture.flow.destination.ip].includes(need.ip)
  const names = new Set<string>()
  const { source, destination } = capture.flow
  for (const n of [source.node, destination.node, source.pod, destination.pod]) if (n) names.add(n)
  for (const h of Object.values(capture.hosts)) {
    names.add(h.name)
    if (h.node) names.add(h.node)
  }
  return names.has(need.host)
}

describe('walk needs', () => {
  for (const [name, json] of [['seed', seed], ['g1', g1], ['g7', g7], ['g11', g11], ['g14', g14]] as const) {
    it(`${name}: one need per unproven place and command, each resolvable, in hop order`, () => {
      const { capture, walk } = walked(json)
      const needs = walk.needs ?? []
      const unproven = walk.hops.filter((h) => !h.proven)
      expect(needs.length).toBeGreaterThan(0)
      expect(needs.length).toBeLessThanOrEqual(unproven.length)
      for (const n of needs) {
        expect(resolvable(capture, n), `${n.role} ${n.host}`).toBe(true)
        expect(n.host).not.toMatch(/cilium agent on/)
        expect(n.argv.join(' ')).toBe(n.command)
        expect(n.command).not.toContain('|')
        for (const i of n.hops) expect(walk.hops[i]?.proven).toBe(false)
      }
      const keys = needs.map((n) => `${n.role} ${n.host} ${n.command}`)
      expect(new Set(keys).size).toBe(keys.length)
      const firsts = needs.map((n) => Math.min(...n.hops))
      expect([...firsts].sort((a, b) => a - b)).toEqual(firsts)
      // every unproven hop is covered by some need
      const covered = new Set(needs.flatMap((n) => n.hops))
      unproven.forEach((h) => expect(covered.has(walk.hops.indexOf(h)), `${h.kind}@${h.host}`).toBe(true))
    })
  }

  it('seed: the node neighbour table is the one thing missing', () => {
    const { walk } = walked(seed)
    expect(walk.needs).toEqual([{ host: 'node-7o7xd', role: 'node', node: 'node-7o7xd', inCapture: true, command: 'ip neigh', argv: ['ip', 'neigh'], hops: [8] }])
  })

  it('g14: an agent absent from the capture is named by its node, with the agent role', () => {
    const { walk } = walked(g14)
    const ct = walk.needs?.find((n) => n.command === 'cilium bpf ct list global')
    expect(ct).toMatchObject({ host: 'k8s-ctr', role: 'agent', node: 'k8s-ctr', inCapture: false })
    expect(walk.warnings.some((w) => w.includes('on the Cilium agent of k8s-ctr'))).toBe(true)
  })

  it('g11: `ip route` is not asked next to `ip route show table all` on the same node', () => {
    const { walk } = walked(g11)
    const node = (walk.needs ?? []).filter((n) => n.role === 'node' && n.host === 'k8s-ctr').map((n) => n.command)
    expect(node).toContain('ip route show table all')
    expect(node).not.toContain('ip route')
  })

  it('commandArgv keeps the command before a filter', () => {
    expect(commandArgv('cilium bpf ct list global | grep 10.0.0.1')).toEqual(['cilium', 'bpf', 'ct', 'list', 'global'])
    expect(commandArgv("tc filter show dev 'lxc1' ingress")).toEqual(['tc', 'filter', 'show', 'dev', 'lxc1', 'ingress'])
  })
})
