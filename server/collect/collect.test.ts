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
import { PLAN_TEMPLATES, parseTemplate } from '@/server/security/allowlist'

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
  // the lab recording without its BPF listing: the walk of round 1 then needs tc on the pod's veth peer
  const withoutBpftool = () => Object.fromEntries(Object.entries(runsOf(lab)).map(([id, runs]) => [id, runs.filter((r) => !r.command.startsWith('bpftool'))]))

  it('runs round 1 everywhere, then what the traffic left behind and the commands the walk of round 1 needs', async () => {
    const ex = new Replay(withoutBpftool())
    const asked: ExecRequest[] = []
    const recording: Executor = { exec: (p, req) => (asked.push(req), ex.exec(p, req)) }
    const events: Progress[] = []
    const c = await collectCapture({ places, executor: recording, flow, cluster: { cni: 'cilium' }, onProgress: (p) => events.push(p) })
    expect(validateCapture(c).ok).toBe(true)
    expect(c.flow.source.ip).toBe('10.244.0.213')
    // round 2 on the node: the kernel's conntrack table, and tc on the veth the engine paired (eth0@if25 ↔ 25: lxca4ffc802dbcd)
    expect(c.hosts['pw-node']?.runs.map((r) => r.command).slice(6)).toEqual(['cat /proc/net/nf_conntrack', 'tc filter show dev lxca4ffc802dbcd ingress'])
    expect(c.hosts['cilium-agent']?.runs.map((r) => r.command).slice(-3)).toEqual([
      'cilium bpf ct list global',
      'cilium bpf nat list',
      'hubble observe --last 1000 -o json --ip 10.244.0.213',
    ])
    // no monitor without a probe: nothing to watch
    expect(ex.asked.some((a) => a.argv.includes('monitor'))).toBe(false)
    // the big tables are filtered to the flow's addresses while they stream; nothing else is
    const filtered = asked.filter((r) => r.filter).map((r) => r.argv.join(' '))
    expect(filtered.sort()).toEqual(['cat /proc/net/nf_conntrack', 'cilium bpf ct list global', 'cilium bpf nat list'])
    expect(asked.find((r) => r.filter)?.filter).toEqual(['10.244.0.213', '198.51.100.80'])
    // runs in plan order with the recorded outputs, whatever order they finished in
    expect(c.hosts.client?.runs.map((r) => r.command)).toEqual(['ip addr', 'ip route show table all', 'ip rule', 'ip neigh'])
    const recorded = withoutBpftool()
    for (const [hostId, host] of Object.entries(c.hosts)) {
      for (const r of host.runs) {
        const rec = recorded[hostId]?.find((x) => x.command === r.command)
        if (rec) expect([r.stdout, r.exitCode]).toEqual([rec.stdout, rec.exitCode])
      }
    }
    // one start and one end per command
    const starts = events.filter((e) => e.type === 'start').length
    expect(starts).toBe(ex.asked.length)
    expect(events.filter((e) => e.type === 'end').length).toBe(starts)
  })

  it('refuses a hostile device name in a need and never runs it', async () => {
    const ex = new Replay(runsOf(lab))
    const events: Progress[] = []
    const c = await collectCapture({
      places, executor: ex, flow, cluster: { cni: 'cilium' }, onProgress: (p) => events.push(p),
      // what a compromised node printing `25: lxc$(reboot)@if24:` would make a walk ask for
      needs: () => [{ host: 'pw-node', command: 'tc filter show dev lxc$(reboot) ingress' }, { host: 'pw-node', command: 'tc filter show dev eth0 egress' }],
    })
    expect(ex.asked.some((a) => a.argv.some((w) => w.includes('$(')))).toBe(false)
    expect(c.hosts['pw-node']?.runs.map((r) => r.command).filter((x) => x.startsWith('tc '))).toEqual(['tc filter show dev eth0 egress'])
    expect(events).toContainEqual({ type: 'note', level: 'info', message: 'not run: `tc filter show dev lxc$(reboot) ingress` on pw-node (not in the allowlist)' })
  })

  it('maps needs to places: a capture host id, an agent by its node, and the agent image spelling of conntrack', async () => {
    const ex = new Replay(runsOf(lab))
    const c = await collectCapture({
      places, executor: ex, flow, cluster: { cni: 'cilium' },
      needs: () => [
        { host: 'pw-node', role: 'agent', node: 'pw-node', command: 'cilium-dbg service list' },
        { host: 'pw-node', command: 'conntrack -L -s 10.244.0.213' },
        { host: 'elsewhere', role: 'node', node: 'other-node', command: 'ip -d link' },
        { host: 'cilium-agent', command: 'bpftool net show dev lxca4ffc802dbcd' },
      ],
    })
    // service list already ran in round 1; conntrack -L becomes the kernel's file (already planned); other-node is not in this capture
    expect(c.hosts['cilium-agent']?.runs.filter((r) => r.command === 'cilium service list')).toHaveLength(1)
    expect(c.hosts['pw-node']?.runs.filter((r) => r.command.includes('conntrack')).map((r) => r.command)).toEqual(['cat /proc/net/nf_conntrack'])
    expect(c.hosts['cilium-agent']?.runs.map((r) => r.command)).toContain('bpftool net show dev lxca4ffc802dbcd')
    expect(ex.asked.filter((a) => a.argv[0] === 'ip' && a.argv[1] === '-d')).toHaveLength(1)
  })

  it("falls back to the kernel's files when the pod has no iproute2; the walk pairs the veth by iflink", async () => {
    const runs = { ...withoutBpftool(), client: noIproute.runs }
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

  it('with a probe, starts a timeout-bounded monitor on every agent before the probe, and reads the tables after it', async () => {
    const order: string[] = []
    const ex: Executor = {
      exec: async (p, req) => {
        const line = req.argv.join(' ')
        order.push(`start ${p.hostId}: ${line}`)
        await new Promise((r) => setTimeout(r, line.startsWith('timeout') ? 30 : 5))
        order.push(`end ${p.hostId}: ${line}`)
        return { stdout: '', stderr: '', exitCode: 0, durationMs: 1 }
      },
    }
    const c = await collectCapture({
      places, executor: ex, flow: { ...flow, source: { ...flow.source, ip: '10.244.0.213' } }, cluster: { cni: 'cilium' },
      templates: [...PLAN_TEMPLATES, parseTemplate('nc -z -w 3 {ip} {port}')],
      probe: { hostId: 'client', argv: ['nc', '-z', '-w', '3', '198.51.100.80', '80'] },
      monitorLeadMs: 10,
      needs: () => [],
    })
    const at = (s: string) => order.findIndex((o) => o.startsWith(s))
    expect(at('start cilium-agent: timeout 5 cilium monitor')).toBeGreaterThanOrEqual(0)
    expect(at('start cilium-agent: timeout 5 cilium monitor')).toBeLessThan(at('start client: nc -z'))
    expect(at('end client: nc -z')).toBeLessThan(at('start cilium-agent: cilium bpf ct list global'))
    expect(at('end client: nc -z')).toBeLessThan(at('start pw-node: cat /proc/net/nf_conntrack'))
    expect(c.hosts.client?.runs[0]).toMatchObject({ command: 'nc -z -w 3 198.51.100.80 80', probe: true })
    expect(c.hosts['cilium-agent']?.runs.find((r) => r.command === 'timeout 5 cilium monitor')).toMatchObject({ bounded: true })
  })

  it('records what a place could not run, and still returns a capture', async () => {
    const failing: Executor = {
      exec: async () => ({ stdout: '', stderr: '', exitCode: -1, durationMs: 0, error: 'the test executor refuses everything' }),
    }
    const c = await collectCapture({ places, executor: failing, flow: { ...flow, source: { ...flow.source, ip: '10.244.0.213' } }, cluster: { cni: 'unknown' } })
    expect(c.hosts.client?.runs[0]).toMatchObject({ command: 'ip addr', exitCode: -1, error: 'the test executor refuses everything' })
    expect(Object.values(c.hosts).every((h) => h.runs.length > 0 && h.runs.every((r) => r.error === 'the test executor refuses everything'))).toBe(true)
    expect(validateCapture(c).ok).toBe(true)
  })

  it('says clearly when the kernel hides its conntrack table', async () => {
    const ex: Executor = {
      exec: async (_p, req) =>
        req.argv.join(' ') === 'cat /proc/net/nf_conntrack'
          ? { stdout: '', stderr: 'cat: /proc/net/nf_conntrack: No such file or directory\n', exitCode: 1, durationMs: 1 }
          : { stdout: '', stderr: '', exitCode: 0, durationMs: 1 },
    }
    const c = await collectCapture({ places, executor: ex, flow: { ...flow, source: { ...flow.source, ip: '10.244.0.213' } }, cluster: { cni: 'cilium' }, needs: () => [] })
    expect(c.notes).toContainEqual(expect.stringMatching(/^pw-node: the node's kernel does not expose \/proc\/net\/nf_conntrack .*cannot be proven through the agent$/))
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
