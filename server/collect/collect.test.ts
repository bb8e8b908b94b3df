/**
 * collectCapture over a replaying Executor fed with real outputs of the lab (lib/demo/lab.capture.json,
 * recorded by `npm run lab -- capture`, and fixtures/lab-pod-without-iproute2.json). The replay
 * answers by host and command line, and records every argv it is asked to run.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Capture, Run } from '@/lib/model/capture'
import { validateCapture } from '@/lib/formats/capture-schema'
import { collectCapture } from '@/server/collect/collect'
import type { ExecRequest, ExecResult, Executor, Place, Progress } from '@/server/collect/types'

const root = path.resolve(__dirname, '../..')
const lab = JSON.parse(readFileSync(path.join(root, 'lib/demo/lab.capture.json'), 'utf8')) as Capture
const noIproute = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/lab-pod-without-iproute2.json'), 'utf8')) as { runs: Run[] }

class Replay implements Executor {
  asked: { hostId: string; argv: string[] }[] = []
  constructor(private readonly runs: Record<string, Run[]>) {}
  async exec(place: Place, req: ExecRequest): Promise<ExecResult> {
    this.asked.push({ hostId: place.hostId, argv: req.argv })
    const run = this.runs[place.hostId]?.find((r) => r.command === req.argv.join(' '))
    if (!run) return { stdout: '', stderr: '', exitCode: -1, durationMs: 0, error: 'not in the recording' }
    return { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode, durationMs: 1 }
  }
}

const places: Place[] = [
  { hostId: 'client', role: 'pod', name: 'default/client', node: 'pw-node' },
  { hostId: 'pw-node', role: 'node', name: 'pw-node' },
  { hostId: 'cilium-agent', role: 'agent', name: 'netns/pw-node', node: 'pw-node' },
]
const flow = { source: { ip: '', pod: 'default/client', node: 'pw-node' }, destination: { ip: '198.51.100.80', port: 80, protocol: 'tcp' as const } }
const runsOf = (c: Capture) => Object.fromEntries(Object.entries(c.hosts).map(([id, h]) => [id, h.runs]))

describe('collectCapture', () => {
  it('runs round 1 everywhere, then tc on the pod veth peer and the egress device found in the outputs', async () => {
    const ex = new Replay(runsOf(lab))
    const events: Progress[] = []
    const c = await collectCapture({ places, executor: ex, flow, cluster: { cni: 'cilium' }, onProgress: (p) => events.push(p) })
    expect(validateCapture(c).ok).toBe(true)
    // the pod's eth0@if25 pairs with the node's 25: lxca4ffc802dbcd; 198.51.100.80 leaves by the default route on eth0
    expect(c.hosts['pw-node']?.runs.map((r) => r.command).slice(-3)).toEqual([
      'tc filter show dev lxca4ffc802dbcd ingress',
      'tc filter show dev lxca4ffc802dbcd egress',
      'tc filter show dev eth0 egress',
    ])
    expect(c.flow.source.ip).toBe('10.244.0.213')
    // runs in plan order with the recorded outputs, whatever order they finished in
    expect(c.hosts.client?.runs.map((r) => r.command)).toEqual(['ip addr', 'ip route show table all', 'ip rule', 'ip neigh'])
    for (const [hostId, host] of Object.entries(c.hosts)) {
      expect(host.runs.map((r) => [r.command, r.stdout, r.exitCode])).toEqual(lab.hosts[hostId]?.runs.map((r) => [r.command, r.stdout, r.exitCode]))
    }
    // one start and one end per command
    const starts = events.filter((e) => e.type === 'start').length
    expect(starts).toBe(ex.asked.length)
    expect(events.filter((e) => e.type === 'end').length).toBe(starts)
    expect(c.notes).toBeUndefined()
  })

  it('refuses a hostile device name read from an output and never runs it', async () => {
    const runs = structuredClone(runsOf(lab))
    const link = runs['pw-node']?.find((r) => r.command === 'ip -d link')
    expect(link?.stdout).toContain('25: lxca4ffc802dbcd@if24:')
    // the name a compromised node could print instead of its lxc device
    if (link) link.stdout = link.stdout.replace('25: lxca4ffc802dbcd@if24:', '25: lxc$(reboot)@if24:')
    const ex = new Replay(runs)
    const events: Progress[] = []
    const c = await collectCapture({ places, executor: ex, flow, cluster: { cni: 'cilium' }, onProgress: (p) => events.push(p) })
    expect(ex.asked.some((a) => a.argv.some((w) => w.includes('$(')))).toBe(false)
    expect(c.hosts['pw-node']?.runs.map((r) => r.command).filter((x) => x.startsWith('tc '))).toEqual(['tc filter show dev eth0 egress'])
    const notes = c.notes as string[] | undefined
    expect(notes).toEqual([`pw-node: the pod's veth peer was not found (device name "lxc$(reboot)" refused); tc on it is not run`])
    expect(events).toContainEqual({ type: 'note', level: 'warning', message: notes?.[0] })
  })

  it("falls back to the kernel's files when the pod has no iproute2, and pairs the veth by iflink", async () => {
    const runs = { ...runsOf(lab), client: noIproute.runs }
    const ex = new Replay(runs)
    const c = await collectCapture({ places, executor: ex, flow: { ...flow, source: { ...flow.source, ip: '10.244.0.213' } }, cluster: { cni: 'cilium' } })
    expect(c.hosts.client?.runs.map((r) => `${r.command} → ${r.exitCode}`)).toEqual([
      'ip addr → 1',
      'ip route show table all → 1',
      'ip rule → 1',
      'ip neigh → 1',
      'cat /proc/net/route → 0',
      'cat /proc/net/arp → 0',
      'cat /sys/class/net/eth0/iflink → 0',
    ])
    expect(c.hosts.client?.runs[0]?.stderr).toBe('exec of "ip" failed: No such file or directory\n')
    expect(c.hosts['pw-node']?.runs.map((r) => r.command)).toContain('tc filter show dev lxca4ffc802dbcd ingress')
  })

  it('records what a place could not run, and still returns a capture', async () => {
    const failing: Executor = {
      exec: async () => ({ stdout: '', stderr: '', exitCode: -1, durationMs: 0, error: 'the test executor refuses everything' }),
    }
    const c = await collectCapture({ places, executor: failing, flow: { ...flow, source: { ...flow.source, ip: '10.244.0.213' } }, cluster: { cni: 'unknown' } })
    expect(c.hosts.client?.runs[0]).toMatchObject({ command: 'ip addr', exitCode: -1, error: 'the test executor refuses everything' })
    expect((c.notes as string[] | undefined)?.some((n) => n.includes('veth peer was not found'))).toBe(true)
    expect(validateCapture(c).ok).toBe(true)
  })

  it('records earlier attempts an executor made (cilium-dbg before cilium) ahead of the run', async () => {
    const ex: Executor = {
      exec: async (_p, req) =>
        req.argv[0] === 'cilium'
          ? {
              stdout: '', stderr: '', exitCode: 1, durationMs: 2,
              command: req.argv.join(' '),
              attempts: [{ command: ['cilium-dbg', ...req.argv.slice(1)].join(' '), stdout: '', stderr: '', exitCode: 1, durationMs: 1 }],
            }
          : { stdout: '', stderr: '', exitCode: 0, durationMs: 1 },
    }
    const c = await collectCapture({ places: [places[2] as Place], executor: ex, flow: { ...flow, source: { ...flow.source, ip: '10.244.0.213' } }, cluster: { cni: 'cilium' } })
    const cmds = c.hosts['cilium-agent']?.runs.map((r) => r.command) ?? []
    expect(cmds.slice(0, 2)).toEqual(['cilium-dbg status --verbose', 'cilium status --verbose'])
  })
})
