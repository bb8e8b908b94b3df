/**
 * The lab end to end on the real kernel (root only; CI runs as root): up of every scenario →
 * a capture of each, request and reply → walk → the golden walk of the shipped demo → down,
 * asserting the real evidence of each scenario (conntrack's original and translated tuples, the
 * tunnel's UDP flow, the BPF counters) and that the machine's root network namespace is exactly
 * as it was. Uses its own prefix (PW_LAB_PREFIX + "t") and state dir, so a lab a developer has
 * up is left alone. The time of the whole run is printed (and quoted in docs/lab.md).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inferWalk } from '@/lib/engine'
import { validateCapture } from '@/lib/formats/capture-schema'
import type { Capture } from '@/lib/model/capture'
import type { Walk } from '@/lib/model/walk'
import { parseBpftoolNet, parseIpAddr } from '@/lib/parsers'
import { listNetns } from '@/server/collect/netns'
import { runArgv } from '@/server/collect/process'
import { captureLab, down, readState, status, up, type LabOptions, type UpResult } from '@/server/lab/lab'
import { SCENARIO, SCENARIOS } from '@/server/lab/scenarios'
import { clusterSpec, labNames } from '@/server/lab/topology'
import { walkShape } from '@/server/lab/walk-compare'

const isRoot = process.getuid?.() === 0
const prefix = `${process.env.PW_LAB_PREFIX ?? 'pw'}t`.slice(0, 8)

/** What the root namespace looks like: links, routes, rules, netfilter (counters removed), sysctls. */
async function rootSnapshot(): Promise<Record<string, string>> {
  const cmds: Record<string, string[]> = {
    link: ['ip', '-d', 'link'],
    route4: ['ip', '-4', 'route', 'show', 'table', 'all'],
    route6: ['ip', '-6', 'route', 'show', 'table', 'all'],
    rule: ['ip', 'rule'],
    iptables: ['iptables-save'],
  }
  const out: Record<string, string> = {}
  for (const [k, argv] of Object.entries(cmds)) {
    const r = await runArgv(argv, { timeoutMs: 5000, maxBytes: 16 * 1024 * 1024 })
    out[k] = `${r.exitCode}\n${r.stdout}`
  }
  out.iptables = (out.iptables ?? '').replace(/^# (Generated|Completed) .*$/gm, '').replace(/\[\d+:\d+\]/g, '')
  for (const s of ['net/ipv4/ip_forward', 'net/ipv4/conf/all/proxy_arp', 'net/ipv4/conf/all/rp_filter']) out[s] = readFileSync(`/proc/sys/${s}`, 'utf8')
  return out
}

/** The golden walk of a shipped demo: its walk file when there is one, else the walk of the shipped capture. */
function golden(file: string): Walk {
  const demo = path.join(process.cwd(), 'lib/demo', file)
  const walkFile = demo.replace(/\.capture\.json$/, '.walk.json')
  if (existsSync(walkFile)) return JSON.parse(readFileSync(walkFile, 'utf8')) as Walk
  const r = validateCapture(JSON.parse(readFileSync(demo, 'utf8')))
  if (!r.ok) throw new Error(`${file}: ${r.error}`)
  return inferWalk(r.capture)
}

describe.skipIf(!isRoot)('lab scenarios on the real kernel (root)', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'pw-lab-test-'))
  const o: LabOptions = { prefix, stateDir, serverLifetimeSec: 300 }
  const names = labNames(prefix)
  let before: Record<string, string>
  let upResult: UpResult
  const captures = new Map<string, Capture>()
  const timings: string[] = []
  let started = 0
  let serverPids: number[] = []

  beforeAll(async () => {
    before = await rootSnapshot()
    started = performance.now()
    upResult = await up({ ...o, scenario: 'all' })
    timings.push(`up all: ${(performance.now() - started).toFixed(0)} ms`)
    serverPids = readState(path.join(stateDir, `${prefix}.state.json`))?.servers.map((s) => s.pid) ?? []
    for (const s of SCENARIOS) {
      if (upResult.unsupported[SCENARIO[s].routing]) continue
      for (const reply of [false, true]) {
        const t = performance.now()
        captures.set(`${s}${reply ? '-reply' : ''}`, (await captureLab({ ...o, scenario: s, reply })).capture)
        timings.push(`capture ${s}${reply ? ' --reply' : ''}: ${(performance.now() - t).toFixed(0)} ms`)
      }
    }
  }, 300_000)

  afterAll(async () => {
    await down(o)
    rmSync(stateDir, { recursive: true, force: true })
  }, 60_000)

  const cap = (key: string): Capture => {
    const c = captures.get(key)
    if (!c) throw new Error(`no capture ${key}`)
    return c
  }
  const run = (c: Capture, hostId: string, command: string) => {
    const r = c.hosts[hostId]?.runs.find((x) => x.command === command)
    if (!r) throw new Error(`${hostId}: no run of ${command}`)
    return r
  }

  it('builds every cluster this kernel can build, and a second up changes nothing', async () => {
    expect(upResult.built).toContain('native')
    expect(upResult.built).toContain('vxlan')
    // a kernel without CONFIG_GENEVE cannot make a geneve device: then the scenario is refused, clearly
    if (upResult.unsupported.geneve) {
      expect(upResult.unsupported.geneve).toMatch(/no Geneve support \(CONFIG_GENEVE/)
      await expect(up({ ...o, scenario: 'geneve' })).rejects.toThrow(/no Geneve support/)
    } else expect(upResult.built).toContain('geneve')
    expect((await status({ ...o, scenario: 'cross-node' })).up).toBe(true)
    expect((await up({ ...o, scenario: 'all' })).alreadyUp).toBe(true)
  })

  for (const s of SCENARIOS) {
    for (const reply of [false, true]) {
      const key = `${s}${reply ? '-reply' : ''}`
      it(`${key}: a valid capture of every place the packet crosses, walking to the golden walk`, (ctx) => {
        if (!captures.has(key)) {
          // only geneve, only on a kernel without it (asserted above)
          expect(upResult.unsupported[SCENARIO[s].routing]).toBeDefined()
          ctx.skip()
        }
        const c = cap(key)
        expect(validateCapture(c).ok).toBe(true)
        const sc = SCENARIO[s]
        const expected = [...sc.pods, 'lab-node-1', 'cilium-lab-node-1', ...(sc.node2 ? ['lab-node-2', 'cilium-lab-node-2'] : [])].sort()
        expect(Object.keys(c.hosts).sort()).toEqual(expected)
        expect(c.notes).toBeUndefined()
        if (sc.target.pod) expect((reply ? c.flow.source : c.flow.destination).pod).toBe(`default/${sc.target.pod}`)
        if (sc.target.service && !reply) expect(c.flow.destination.service).toBe('default/web')
        expect(walkShape(inferWalk(c))).toEqual(walkShape(golden(`lab-${key}.capture.json`)))
      })
    }
  }

  it("pairs the client's eth0@ifN with node 1's lxc and answers its ARP with the lxc MAC", () => {
    const c = cap('egress')
    const eth0 = parseIpAddr(run(c, 'client', 'ip addr').stdout).records.find((i) => i.name === 'eth0')
    expect(eth0).toMatchObject({ ifindex: 24, peerIfindex: 25, mac: '02:00:01:21:00:18' })
    const lxc = parseIpAddr(run(c, 'lab-node-1', 'ip -d link').stdout).records.find((i) => i.ifindex === 25)
    expect(lxc).toMatchObject({ name: names.lxc, peerIfindex: 24, linkKind: 'veth', mac: '02:00:01:11:00:19' })
    expect(run(c, 'client', 'ip neigh').stdout).toContain(`10.244.0.201 dev eth0 lladdr ${lxc?.mac}`)
    const net = parseBpftoolNet(run(c, 'cilium-lab-node-1', 'bpftool net show').stdout).records
    expect(net.find((x) => x.device === names.lxc && x.direction === 'ingress')).toMatchObject({ ifindex: 25, object: 'bpf_lxc.o', program: 'from-container' })
    expect(net.find((x) => x.device === 'eth0' && x.direction === 'egress')).toMatchObject({ object: 'bpf_host.o', program: 'to-netdev' })
  })

  it('masquerades the egress flow: conntrack replies to the node address', () => {
    const c = cap('egress')
    const port = c.flow.source.port
    expect(run(c, 'lab-node-1', 'cat /proc/net/nf_conntrack').stdout).toMatch(
      new RegExp(`^ipv4 +2 tcp +6 \\d+ TIME_WAIT src=10\\.244\\.0\\.213 dst=198\\.51\\.100\\.80 sport=${port} dport=80 src=198\\.51\\.100\\.80 dst=203\\.0\\.113\\.10 sport=80 dport=${port} `, 'm'),
    )
    expect(cap('egress-reply').flow).toMatchObject({ source: { ip: '198.51.100.80', port: 80 }, destination: { ip: '10.244.0.213', pod: 'default/client' } })
  })

  it('native routing: node 1 routes node 2\'s pod CIDR over eth1, and both nodes track the connection', () => {
    const c = cap('cross-node')
    expect(run(c, 'lab-node-1', 'ip route show table all').stdout).toContain('10.244.0.0/25 via 10.135.152.71 dev eth1')
    const port = c.flow.source.port
    const entry = new RegExp(`^ipv4 +2 tcp +6 \\d+ TIME_WAIT src=10\\.244\\.0\\.213 dst=10\\.244\\.0\\.45 sport=${port} dport=8080 src=10\\.244\\.0\\.45 dst=10\\.244\\.0\\.213 sport=8080 dport=${port} `, 'm')
    expect(run(c, 'lab-node-1', 'cat /proc/net/nf_conntrack').stdout).toMatch(entry)
    expect(run(c, 'lab-node-2', 'cat /proc/net/nf_conntrack').stdout).toMatch(entry)
    expect(run(c, 'cilium-lab-node-2', 'bpftool net show').stdout).toMatch(/^eth1\(3\) clsact\/ingress bpf_host\.o:\[from-netdev\] id \d+$/m)
  })

  it('ClusterIP: conntrack holds the original tuple to the service and the translated one from the backend', () => {
    const c = cap('service')
    const port = c.flow.source.port
    expect(run(c, 'lab-node-1', 'iptables-save').stdout).toMatch(/-m statistic --mode random --probability 0\.50000000000 -j KUBE-SEP-/)
    expect(run(c, 'lab-node-1', 'cat /proc/net/nf_conntrack').stdout).toMatch(
      new RegExp(`^ipv4 +2 tcp +6 \\d+ TIME_WAIT src=10\\.244\\.0\\.213 dst=10\\.245\\.0\\.50 sport=${port} dport=80 src=10\\.244\\.0\\.45 dst=10\\.244\\.0\\.213 sport=8080 dport=${port} `, 'm'),
    )
    // node 2 sees the translated connection only
    expect(run(c, 'lab-node-2', 'cat /proc/net/nf_conntrack').stdout).toMatch(new RegExp(`src=10\\.244\\.0\\.213 dst=10\\.244\\.0\\.45 sport=${port} dport=8080 `))
  })

  it('NodePort: DNAT to the backend on node 2 and SNAT to node 1\'s eth1 address', () => {
    const c = cap('nodeport')
    const port = c.flow.source.port
    const m = new RegExp(`^ipv4 +2 tcp +6 \\d+ TIME_WAIT src=198\\.51\\.100\\.80 dst=203\\.0\\.113\\.10 sport=${port} dport=30080 src=10\\.244\\.0\\.45 dst=10\\.135\\.0\\.6 sport=8080 dport=(\\d+) `, 'm').exec(
      run(c, 'lab-node-1', 'cat /proc/net/nf_conntrack').stdout,
    )
    expect(m).not.toBeNull()
    expect(run(c, 'lab-node-2', 'cat /proc/net/nf_conntrack').stdout).toContain(`src=10.135.0.6 dst=10.244.0.45 sport=${m?.[1]} dport=8080 `)
  })

  it('VXLAN: bpf_lxc encapsulates into cilium_vxlan (conntrack shows the UDP 8472 flow between the nodes), bpf_overlay counts', () => {
    const c = cap('vxlan')
    expect(run(c, 'lab-node-1', 'ip -d link').stdout).toMatch(/^6: cilium_vxlan: .*\n.*\n\s+vxlan external .*dstport 8472/m)
    expect(run(c, 'lab-node-1', 'ip route show table all').stdout).toContain('10.244.0.0/25 via 10.244.0.201 dev cilium_host mtu 1450')
    expect(run(c, 'lab-node-1', 'cat /proc/net/nf_conntrack').stdout).toMatch(/^ipv4 +2 udp +17 \d+ src=10\.135\.0\.6 dst=10\.135\.152\.71 sport=\d+ dport=8472 /m)
    expect(run(c, 'cilium-lab-node-1', 'bpftool net show').stdout).toMatch(/^cilium_vxlan\(6\) clsact\/egress bpf_overlay\.o:\[to-overlay\] id \d+$/m)
    expect(run(c, 'cilium-lab-node-2', 'bpftool net show').stdout).toMatch(/^cilium_vxlan\(6\) clsact\/ingress bpf_overlay\.o:\[from-overlay\] id \d+$/m)
    // every program on the way counted packets: its map, read back by id, is not zero
    for (const agent of ['cilium-lab-node-1', 'cilium-lab-node-2']) {
      const runs = c.hosts[agent]?.runs ?? []
      const dumps = runs.filter((r) => r.command.startsWith('bpftool map dump id '))
      expect(dumps.length).toBe(6)
      for (const d of dumps) expect(Number(/"value": (\d+)/.exec(d.stdout)?.[1])).toBeGreaterThan(0)
    }
  })

  it('down removes every lab namespace and server, twice safely, leaves the root namespace unchanged (and prints the timings)', async () => {
    const r = await down(o)
    const all = ['native', 'vxlan', 'geneve'].filter((x) => upResult.built.includes(x as never)).flatMap((x) => {
      const c = clusterSpec(prefix, x as 'native')
      return [...c.nodes.map((n) => n.netns), ...c.pods.map((p) => p.netns), ...(c.world ? [c.world] : [])]
    })
    expect(r.removed.sort()).toEqual(all.sort())
    expect(r.serversStopped).toBe(serverPids.length)
    expect((await down(o)).removed).toEqual([])
    expect((await listNetns()).filter((n) => n.startsWith(`${prefix}-`))).toEqual([])
    for (const pid of serverPids) expect(existsSync(`/proc/${pid}`)).toBe(false)
    expect(await rootSnapshot()).toEqual(before)
    timings.push(`total (up all + ${captures.size} captures + down): ${(performance.now() - started).toFixed(0)} ms`)
    console.log(`lab timings on this machine:\n  ${timings.join('\n  ')}`)
  }, 60_000)
})
