/**
 * Splitting one run's stdout between the commands of a chain, on real outputs: the corpus
 * records two `tc filter show …; …` sessions verbatim, and real single outputs (the seed, the
 * kwx4957 G14 node) are joined as the shell prints a chain: one after the other.
 */
import { describe, expect, it } from 'vitest'
import seed from '@/lib/demo/seed-doks.capture.json'
import tc17468 from '@/lib/parsers/fixtures/gh-cilium-17468__kind-tc-filter-show-lxc.txt?raw'
import tc21345 from '@/lib/parsers/fixtures/gh-cilium-21345__node-tc-filter-show-lxc-ingress-egress.txt?raw'
import g14Addr from '@/lib/parsers/fixtures/kwx4957-cilium1181-native-wg__node-ip-addr.txt?raw'
import g14Route from '@/lib/parsers/fixtures/kwx4957-cilium1181-native-wg__node-ip-route.txt?raw'
import g14Rule from '@/lib/parsers/fixtures/kwx4957-cilium1181-native-wg__node-ip-rule-show.txt?raw'
import { parseIpRoute } from '@/lib/parsers/ip-route'
import { parseTcFilter } from '@/lib/parsers/tc-filter'
import { classifyChain } from './classify'
import { splitChainOutput, type OutputSegment } from './split-output'

const run = (host: keyof typeof seed.hosts, command: string) => {
  const r = seed.hosts[host].runs.find((x) => x.command === command)
  if (!r) throw new Error(command)
  return r.stdout
}
const split = (command: string, stdout: string) => splitChainOutput(classifyChain(command), stdout)
const segs = (command: string, stdout: string): OutputSegment[] => {
  const r = split(command, stdout)
  if (!r.ok) throw new Error(r.reason)
  return r.segments
}
const lineCount = (t: string) => t.split('\n').length - (t.endsWith('\n') ? 1 : 0)

describe('classifyChain', () => {
  it('lists every command of the line, through sh -c and wrappers', () => {
    expect(classifyChain("kubectl exec client -- sh -c 'route -n; arp -an'").map((c) => c.kind)).toEqual(['route-n', 'arp'])
    expect(classifyChain('cd /tmp && sudo ip route || echo failed').map((c) => c.kind)).toEqual(['unknown', 'ip-route', 'unknown'])
    expect(classifyChain('ip a | grep eth0; tc filter show dev eth0 ingress').map((c) => [c.kind, c.complete])).toEqual([['ip-addr', false], ['tc-filter', true]])
  })
})

describe('splitChainOutput', () => {
  it('seed pod `route -n; arp -an`: two shapes, each output on its own lines of the recorded stdout', () => {
    const routeN = run('pod', 'route -n')
    const stdout = routeN + run('pod', 'arp -an')
    const [r, a] = segs("sh -c 'route -n; arp -an'", stdout)
    expect(r?.info.kind).toBe('route-n')
    expect(r?.lines).toEqual([1, 2, 3, 4])
    expect(a?.info.kind).toBe('arp')
    expect(a?.lines).toEqual([5])
    // line numbers are kept: the arp text is blank above its line
    expect(a?.text.split('\n')[4]).toBe('? (10.244.0.201) at f6:93:7d:11:4d:37 [ether] on eth0')
    expect(a?.text.split('\n').slice(0, 4)).toEqual(['', '', '', ''])
    expect(lineCount(routeN)).toBe(4)
  })

  it('seed node: ifconfig, tc and route -n in one run, with the route table header going to route -n', () => {
    const parts = ['ifconfig cilium_host', 'tc filter show dev lxcf4cd39e34601 ingress', 'route -n'].map((c) => run('node-7o7xd', c))
    const stdout = parts.join('')
    const got = segs('ifconfig cilium_host && tc filter show dev lxcf4cd39e34601 ingress && route -n', stdout)
    const first = (k: number) => 1 + parts.slice(0, k).reduce((n, p) => n + lineCount(p), 0)
    expect(got.map((s) => [s.info.kind, s.lines[0], s.lines.at(-1)])).toEqual([
      ['ifconfig', first(0), first(1) - 1],
      ['tc-filter', first(1), first(2) - 1],
      ['route-n', first(2), first(3) - 1],
    ])
  })

  it('G14 node `ip -c addr; ip -c route; ip rule show` (outputs with their echoed command lines)', () => {
    const stdout = g14Addr + g14Route + g14Rule
    const got = segs('ip -c addr; ip -c route; ip rule show', stdout)
    expect(got.map((s) => s.info.kind)).toEqual(['ip-addr', 'ip-route', 'ip-rule'])
    // the route segment parses to exactly the routes of the route file, shifted by the addr file's lines
    const shift = lineCount(g14Addr)
    expect(parseIpRoute(got[1]!.text).records.map((r) => r.line)).toEqual(parseIpRoute(g14Route).records.map((r) => r.line + shift))
  })

  it('corpus cilium#17468 `… ingress; … egress` (verbatim session): the echoed prompts split it, egress is empty', () => {
    const got = segs('tc filter show dev lxc5869b5857a3d ingress; tc filter show dev lxc5869b5857a3d egress', tc17468)
    expect(got.map((s) => [s.info.direction, s.lines])).toEqual([
      ['ingress', [1, 2, 3]],
      ['egress', [4]],
    ])
    expect(parseTcFilter(got[0]!.text).records.map((r) => [r.line, r.program])).toEqual([[3, 'from-container']])
    expect(parseTcFilter(got[1]!.text).records).toEqual([])
  })

  it('corpus cilium#21345 `… egress; … ingress` (verbatim session): egress empty, both filters on ingress', () => {
    const got = segs('tc filter show dev lxcb187183beddd egress; tc filter show dev lxcb187183beddd ingress', tc21345)
    expect(got.map((s) => [s.info.direction, s.lines])).toEqual([
      ['egress', [1]],
      ['ingress', [2, 3, 4, 5]],
    ])
    expect(parseTcFilter(got[1]!.text).records.map((r) => r.line)).toEqual([4, 5])
  })

  it('the same outputs under other command lines cannot be told apart: a reason, never a guess', () => {
    // two outputs of one shape and no echoed prompt between them
    const twoRoutes = run('pod', 'route -n') + run('node-7o7xd', 'route -n')
    const r1 = split('route -n; nsenter -t 1 -n route -n', twoRoutes)
    expect(r1.ok ? 'split' : r1.reason).toMatch(/^line \d+ could be the output of command 1 \(`route -n`\) or command 2 \(`route -n`\) \(same shape\)$/)
    // the session's prompts name ingress first: a chain saying egress first contradicts them
    const r2 = split('tc filter show dev lxc5869b5857a3d egress; tc filter show dev lxc5869b5857a3d ingress', tc17468.split('\n').filter((l) => !l.startsWith('root@')).join('\n'))
    expect(r2.ok).toBe(false)
    // a command we do not read printed something
    const r3 = split('cat /etc/resolv.conf; route -n; arp -an', run('pod', 'route -n') + run('pod', 'arp -an'))
    expect(r3.ok ? 'split' : r3.reason).toBe('command 1 (`cat /etc/resolv.conf`) prints an output packetwalk does not read, and it could be any of the lines')
    // outputs in the other order than the chain says
    const r4 = split('arp -an; route -n', run('pod', 'route -n') + run('pod', 'arp -an'))
    expect(r4.ok).toBe(false)
  })

  it('silent commands and echo markers do not stop a split', () => {
    const stdout = run('pod', 'route -n') + run('pod', 'arp -an')
    expect(segs('cd / && route -n && arp -an', stdout).map((s) => s.info.kind)).toEqual(['route-n', 'arp'])
    // `echo TEXT` prints TEXT: its line is its own, never a record of the commands around it
    const withMarkers = `=== routes\n${run('pod', 'route -n')}=== arp\n${run('pod', 'arp -an')}`
    const got = segs("echo '=== routes'; route -n; echo '=== arp'; arp -an", withMarkers)
    expect(got.map((s) => [s.info.kind, s.lines])).toEqual([
      ['route-n', [2, 3, 4, 5]],
      ['arp', [7]],
    ])
  })
})

describe('splitChainOutput on hostile input', () => {
  it('a line of hundreds of commands is refused before any parser runs', () => {
    const stdout = seed.hosts['node-7o7xd'].runs[3]!.stdout.repeat(2000)
    const r = splitChainOutput(classifyChain(Array.from({ length: 500 }, () => 'route -n').join('; ')), stdout)
    expect(r).toEqual({ ok: false, reason: 'more than 16 commands in one line' })
  })
  it('binary and empty outputs give a reason or empty parts, never an exception', () => {
    const chain = classifyChain('route -n; arp -an')
    expect(() => splitChainOutput(chain, '\u0000\u0001\uffff'.repeat(1000))).not.toThrow()
    expect(splitChainOutput(chain, '')).toMatchObject({ ok: true })
  })
})
