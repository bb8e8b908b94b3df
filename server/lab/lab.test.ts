/**
 * The lab end to end on the real kernel (root only; CI runs as root): up → probe → capture →
 * down, asserting that the capture holds the real evidence of each hop and that the machine's
 * root network namespace is exactly as it was. Uses its own prefix and state dir, so a lab a
 * developer has up (`pw-…`) is left alone.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Capture } from '@/lib/model/capture'
import { validateCapture } from '@/lib/formats/capture-schema'
import { parseIpAddr, parseTcFilter } from '@/lib/parsers'
import { listNetns } from '@/server/collect/netns'
import { runArgv } from '@/server/collect/process'
import { captureLab, down, probe, readState, status, up, type LabOptions } from '@/server/lab/lab'
import { labNames } from '@/server/lab/topology'

const isRoot = process.getuid?.() === 0

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

describe.skipIf(!isRoot)('lab on the real kernel (root)', () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'pw-lab-test-'))
  const o: LabOptions = { prefix: 'pwt', stateDir, serverLifetimeSec: 120 }
  const names = labNames('pwt')
  let before: Record<string, string>
  let capture: Capture
  let serverPid: number | undefined

  beforeAll(async () => {
    before = await rootSnapshot()
    const r = await up(o)
    expect(r.alreadyUp).toBe(false)
    serverPid = readState(path.join(stateDir, 'pwt.state.json'))?.server?.pid
    capture = (await captureLab(o)).capture
  }, 60_000)

  afterAll(async () => {
    await down(o)
    rmSync(stateDir, { recursive: true, force: true })
  }, 30_000)

  const run = (hostId: string, command: string) => {
    const r = capture.hosts[hostId]?.runs.find((x) => x.command === command)
    if (!r) throw new Error(`${hostId}: no run of ${command}`)
    return r
  }

  it('is up, and a second up changes nothing', async () => {
    expect((await status(o)).up).toBe(true)
    expect((await up(o)).alreadyUp).toBe(true)
  })

  it('the probe really crosses the masquerade: TCP echo and ping answered', async () => {
    const p = await probe(o)
    expect(p.tcp.exitCode).toBe(0)
    expect(p.tcp.stdout).toMatch(/^connected 10\.244\.0\.213:\d+ -> 198\.51\.100\.80:80, echoed 17 bytes\n$/)
    expect(p.ping.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss')
  })

  it('writes a valid capture with the three places', () => {
    expect(validateCapture(capture).ok).toBe(true)
    expect(Object.keys(capture.hosts).sort()).toEqual(['cilium-agent', 'client', 'pwt-node'])
    expect(capture.flow.source.ip).toBe('10.244.0.213')
    expect(capture.cluster.cni).toBe('cilium')
  })

  it("pairs the pod's eth0@ifN with the node's lxc device", () => {
    const eth0 = parseIpAddr(run('client', 'ip addr').stdout).records.find((i) => i.name === 'eth0')
    expect(eth0).toMatchObject({ ifindex: 24, peerIfindex: 25 })
    expect(eth0?.addresses.map((a) => `${a.ip}/${a.prefixLength}`)).toContain('10.244.0.213/32')
    const lxc = parseIpAddr(run('pwt-node', 'ip -d link').stdout).records.find((i) => i.ifindex === 25)
    expect(lxc).toMatchObject({ name: names.lxc, peerIfindex: 24, linkKind: 'veth' })
    // the pod's gateway MAC is the lxc MAC (proxy ARP answering like Cilium's ARP responder)
    expect(run('client', 'ip neigh').stdout).toContain(`10.244.0.201 dev eth0 lladdr ${lxc?.mac}`)
  })

  it('shows bpf_lxc.o:[from-container] on the lxc ingress, in tc and in bpftool', () => {
    const tc = run('pwt-node', `tc filter show dev ${names.lxc} ingress`)
    const f = parseTcFilter(tc.stdout).records.find((x) => x.object === 'bpf_lxc.o')
    expect(f).toMatchObject({ program: 'from-container', directAction: true, jited: true, pref: 1, handle: '0x1' })
    expect(f?.id).toBeGreaterThan(0)
    expect(f?.tag).toMatch(/^[0-9a-f]{16}$/)
    expect(run('cilium-agent', 'bpftool net show').stdout).toMatch(new RegExp(`${names.lxc}\\(25\\) clsact/ingress bpf_lxc\\.o:\\[from-container\\] id \\d+`))
    expect(run('pwt-node', 'tc filter show dev eth0 egress')).toMatchObject({ stdout: '', exitCode: 0 })
  })

  it('routes the destination out of eth0 and holds the masquerade rule', () => {
    expect(run('pwt-node', 'ip route show table all').stdout).toContain('default via 203.0.113.1 dev eth0')
    expect(run('pwt-node', 'iptables-save').stdout).toContain(
      '-A CILIUM_POST_nat -s 10.244.0.128/25 ! -d 10.244.0.0/16 ! -o cilium_+ -m comment --comment "cilium masquerade non-cluster" -j MASQUERADE',
    )
  })

  it("conntrack shows the flow masqueraded: the reply goes to the node's eth0 address", () => {
    const ct = run('pwt-node', 'conntrack -L')
    expect(ct.stdout).toMatch(
      /^tcp +6 \d+ TIME_WAIT src=10\.244\.0\.213 dst=198\.51\.100\.80 sport=(\d+) dport=80 src=198\.51\.100\.80 dst=203\.0\.113\.10 sport=80 dport=\1 \[ASSURED\]/m,
    )
    expect(ct.stdout).toMatch(/^icmp +1 \d+ src=10\.244\.0\.213 dst=198\.51\.100\.80 type=8 code=0 id=\d+ src=198\.51\.100\.80 dst=203\.0\.113\.10 type=0/m)
  })

  it('the agent has the Cilium image tools only: the cilium CLI (absent here) fails as on a real node', () => {
    // server/collect/agent-image.ts: agent commands see a PATH of the real agent image's tools
    expect(run('cilium-agent', 'cilium bpf nat list')).toMatchObject({ exitCode: 127, stdout: '', stderr: 'exec: "cilium": executable file not found in $PATH' })
    expect(run('cilium-agent', 'bpftool net show').exitCode).toBe(0)
  })

  it('down removes every lab namespace and the server, twice safely, and leaves the root namespace unchanged', async () => {
    const r = await down(o)
    expect(r.removed.sort()).toEqual([names.node, names.pod, names.priv, names.world].sort())
    expect(r.serverStopped).toBe(true)
    expect((await down(o)).removed).toEqual([])
    expect((await listNetns()).filter((n) => n.startsWith('pwt-'))).toEqual([])
    expect(serverPid).toBeGreaterThan(0)
    expect(existsSync(`/proc/${serverPid}`)).toBe(false)
    expect(await rootSnapshot()).toEqual(before)
  }, 30_000)
})
