/**
 * The engine as a hostile new user drives it: hosts missing, commands run twice, failed or empty
 * runs, IPv6 and non-addresses, a source no output knows, a destination on the same node, grep'd
 * outputs. Every capture starts from real outputs (the lab capture of lib/demo, the G14 corpus
 * capture); the changes are to the frame, to exit codes, or a real grep applied to a real output.
 * Every case: no exception, a walk that validates, and the specific sentence or hop expected.
 */
import { describe, expect, it } from 'vitest'
import labJson from '@/lib/demo/lab.capture.json'
import { validateCapture } from '@/lib/formats/capture-schema'
import { validateWalk } from '@/lib/formats/walk-schema'
import type { Capture, Run } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'
import { inferWalk } from './walk'
import g14 from './fixtures/captures/g14-kwx-cilium1181-native-endpoint-routes.capture.json'

function load(json: unknown): Capture {
  const r = validateCapture(structuredClone(json))
  if (!r.ok) throw new Error(r.error)
  return r.capture
}

function walk(c: Capture): Walk {
  const w = inferWalk(c)
  const v = validateWalk(JSON.parse(JSON.stringify(w)))
  expect(v.ok ? 'ok' : v.error).toBe('ok')
  return w
}

const lab = () => load(labJson)
const hostOf = (c: Capture, role: 'pod' | 'node' | 'agent') => Object.keys(c.hosts).find((h) => c.hosts[h]?.role === role) as string
const runOf = (c: Capture, host: string, command: string): Run => {
  const r = c.hosts[host]?.runs.find((x) => x.command === command)
  if (!r) throw new Error(`no ${command} on ${host}`)
  return r
}
/** What `<command> | grep <word>` prints, from the real output: the lines holding the word. */
const grep = (text: string, word: string) => text.split('\n').filter((l) => l.includes(word)).join('\n') + '\n'

describe('hosts missing', () => {
  it('a pod host only: the pod half is proven, the node half names its commands', () => {
    const c = lab()
    const pod = hostOf(c, 'pod')
    c.hosts = { [pod]: c.hosts[pod]! }
    const w = walk(c)
    expect(w.hops.map((h) => `${h.kind}:${h.proven}`).slice(0, 3)).toEqual(['route:true', 'neighbor:true', 'veth:false'])
    expect(w.hops.find((h) => h.kind === 'veth')?.prove?.why).toMatch(/node's interfaces were not captured/)
    expect(w.hops.find((h) => h.kind === 'route' && h.host === 'pw-node')?.prove?.command).toBe('ip route show table all')
  })
  it('no host at all: every hop unproven, still a valid walk', () => {
    const c = lab()
    c.hosts = {}
    const w = walk(c)
    expect(w.hops.length).toBeGreaterThan(0)
    expect(w.hops.every((h) => !h.proven)).toBe(true)
  })
})

describe('runs repeated, failed, empty', () => {
  it('the same commands twice: the same hops, evidence from the first run', () => {
    const c = lab()
    const node = hostOf(c, 'node')
    const before = walk(lab())
    c.hosts[node]!.runs.push(structuredClone(runOf(c, node, 'ip route show table all')), structuredClone(runOf(c, node, 'ip neigh')))
    const w = walk(c)
    expect(w.hops.map((h) => h.kind)).toEqual(before.hops.map((h) => h.kind))
    expect(w.hops.find((h) => h.kind === 'egress')?.evidence).toEqual(before.hops.find((h) => h.kind === 'egress')?.evidence)
    expect(w.warnings.some((x) => x.includes('disagree'))).toBe(false)
  })
  it('a route command that failed (exit 2, nothing printed): the route hop says it failed, not "no route"', () => {
    const c = lab()
    const node = hostOf(c, 'node')
    Object.assign(runOf(c, node, 'ip route show table all'), { stdout: '', stderr: '', exitCode: 2 })
    const w = walk(c)
    const route = w.hops.find((h) => h.kind === 'route' && h.host === node)!
    expect(route.proven).toBe(false)
    expect(route.prove?.why).toBe('`ip route show table all` failed on pw-node (exit code 2)')
  })
  it("the lab's real failures (cilium not installed: stderr only) prove nothing and say so", () => {
    const w = walk(lab())
    const ct = w.hops.find((h) => h.facts.table === 'cilium')!
    expect(ct.prove?.why).toMatch(/^`cilium bpf ct list global` failed on cilium-agent \(exec of "cilium" failed/)
  })
  it('an empty `ip neigh` (exit 0): the node neighbour is unproven, the rest of the walk stands', () => {
    const c = lab()
    const node = hostOf(c, 'node')
    runOf(c, node, 'ip neigh').stdout = ''
    const w = walk(c)
    const n = w.hops.filter((h) => h.kind === 'neighbor')[1]!
    expect(n.proven).toBe(false)
    expect(n.prove?.why).toBe('`ip neigh` on pw-node has no entry for 203.0.113.1')
    expect(w.hops.at(-1)?.kind).toBe('egress')
  })
  it('binary garbage as an output: no exception', () => {
    const c = lab()
    const node = hostOf(c, 'node')
    runOf(c, node, 'iptables-save').stdout = Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('')
    expect(() => walk(c)).not.toThrow()
  })
})

describe('flows the engine does not walk, or cannot tie to the outputs', () => {
  it('IPv6: one warning, no hop', () => {
    const c = lab()
    c.flow.destination.ip = '2606:4700:4700::1111'
    const w = walk(c)
    expect(w.hops).toEqual([])
    expect(w.warnings).toHaveLength(1)
    expect(w.warnings[0]).toMatch(/^IPv6 is not supported yet/)
  })
  it('a source that is not an address: the capture itself is invalid, naming the field', () => {
    const c = structuredClone(labJson)
    c.flow.source.ip = 'client-pod'
    expect(validateCapture(c)).toEqual({ ok: false, error: 'invalid capture: flow.source.ip: "client-pod" is not an IPv4 or IPv6 address' })
  })
  it("a source address the pod does not have: the contradiction is a warning", () => {
    const c = lab()
    c.flow.source.ip = '10.244.0.99'
    const w = walk(c)
    expect(w.warnings.some((x) => x.startsWith("The flow's source is 10.244.0.99 but the pod client has 10.244.0.213"))).toBe(true)
  })
})

describe('destinations on the same node', () => {
  it("another pod with an endpoint route (G14's 172.20.0.26): delivered via its lxc, proven by the route, no node egress", () => {
    const c = load(g14)
    c.flow.destination = { ip: '172.20.0.26', port: 80, protocol: 'tcp' }
    const w = walk(c)
    const d = w.hops.at(-1)!
    expect(d).toMatchObject({ kind: 'deliver', proven: true, facts: { device: 'lxc39bf5fcd9700', ip: '172.20.0.26' } })
    expect(d.evidence).toEqual([{ host: 'k8s-ctr', command: 'ip -c route', lines: [7], run: 1 }])
    expect(w.hops.some((h) => h.kind === 'egress' || h.kind === 'nat')).toBe(false)
    // a new frame into the pod: neither the lxc's MAC nor the pod's is in G14's outputs, so both are unknown
    expect(d.packet?.srcMac).toBeUndefined()
    expect(d.packet?.dstMac).toBeUndefined()
  })
  it("the pod's own address: the local table keeps it inside the pod", () => {
    const c = lab()
    c.flow.destination = { ip: '10.244.0.213', port: 80, protocol: 'tcp' }
    const w = walk(c)
    expect(w.hops.map((h) => h.kind)).toEqual(['route', 'deliver'])
    expect(w.hops[0]?.facts).toMatchObject({ destination: '10.244.0.213/32', table: 'local', type: 'local' })
    expect(w.hops[1]).toMatchObject({ proven: true, facts: { device: 'lo', ip: '10.244.0.213' } })
    expect(w.hops[1]?.evidence[0]?.lines).toEqual([3])
  })
})

describe("grep'd outputs: absence proves nothing", () => {
  it('`iptables-save | grep KUBE` without the Cilium rule: the nat hop is unproven, never "no masquerade"', () => {
    const c = lab()
    const node = hostOf(c, 'node')
    const save = runOf(c, node, 'iptables-save')
    save.command = 'iptables-save | grep KUBE'
    save.stdout = grep(save.stdout, 'KUBE')
    c.hosts[node]!.runs = c.hosts[node]!.runs.filter((r) => r.command !== 'conntrack -L')
    const w = walk(c)
    const nat = w.hops.find((h) => h.kind === 'nat')!
    expect(nat.proven).toBe(false)
    expect(nat.prove?.why).toBe('`iptables-save | grep KUBE` is filtered, so finding no matching rule proves nothing')
    expect(w.datapath?.basis.some((b) => b.startsWith('no masquerade'))).toBe(false)
  })
  it("`ip route … | grep default`: the route is used, with a warning that a longer prefix may be hidden", () => {
    const c = lab()
    const node = hostOf(c, 'node')
    const r = runOf(c, node, 'ip route show table all')
    r.command = 'ip route show table all | grep default'
    r.stdout = grep(r.stdout, 'default')
    const w = walk(c)
    expect(w.hops.find((h) => h.kind === 'route' && h.host === node)?.facts).toMatchObject({ destination: '0.0.0.0/0', device: 'eth0' })
    expect(w.warnings.some((x) => x.startsWith('pw-node: the route to 198.51.100.80 comes from a filtered output'))).toBe(true)
  })
  it('a grep that removed the route: unproven, and the reason says the output was filtered', () => {
    const c = lab()
    const node = hostOf(c, 'node')
    const r = runOf(c, node, 'ip route show table all')
    r.command = 'ip route show table all | grep cilium_host'
    r.stdout = grep(r.stdout, 'cilium_host')
    const w = walk(c)
    const route = w.hops.find((h) => h.kind === 'route' && h.host === node)!
    expect(route.proven).toBe(false)
    expect(route.prove?.why).toMatch(/is filtered, so the missing route proves nothing$/)
  })
})
