import { describe, expect, it } from 'vitest'
import { parseNfConntrack } from './nf-conntrack'
import { HOSTILE_INPUTS } from './hostile-inputs'
// The seed lab: `grep 1.0.0.1 /proc/net/nf_conntrack` on node-7o7xd (seed lines 92-93).
import seedEntry from './fixtures/seed-nf-conntrack-grep.txt?raw'
import seedWithPrompt from './fixtures/seed-nf-conntrack-grep-with-prompt.txt?raw'
// Corpus: netstat in the pod, then conntrack -L | grep on the node, with the conntrack-tools trailer.
import kubeproxyGrep from './fixtures/tanjunchen-kind-kubeproxy__node-conntrack-L-grep.txt?raw'
// Captured in a throw-away netns (fixtures/capture-netns-netfilter.sh): udp [UNREPLIED], icmp, tcp TIME_WAIT.
import netnsConntrackL from './fixtures/lab-netns-conntrack-L.txt?raw'
import netnsProc from './fixtures/lab-netns-proc-net-nf_conntrack.txt?raw'

/** A record as a plain object of all its fields (own and read-on-access), as JSON.stringify gives it. */
const fields = (r: object): unknown => JSON.parse(JSON.stringify(r))

describe('parseNfConntrack', () => {
  it('reads the seed entry: the reply goes to the node address, i.e. the pod was masqueraded', () => {
    const { records, diagnostics } = parseNfConntrack(seedEntry)
    expect(diagnostics).toEqual([])
    // records read some fields on first access: compare every field through the record's JSON form
    expect(records.map(fields)).toEqual([
      {
        line: 1,
        text: 'ipv4 2 tcp 6 117 TIME_WAIT src=10.244.0.213 dst=1.0.0.1 sport=41708 dport=80 src=1.0.0.1 dst=164.92.138.123 sport=80 dport=41708 [ASSURED] mark=0 zone=0 use=2',
        family: 'ipv4',
        protocol: 'tcp',
        protocolNumber: 6,
        timeout: 117,
        state: 'TIME_WAIT',
        original: { src: '10.244.0.213', dst: '1.0.0.1', sport: 41708, dport: 80 },
        reply: { src: '1.0.0.1', dst: '164.92.138.123', sport: 80, dport: 41708 },
        flags: ['ASSURED'],
        mark: 0,
        zone: 0,
        use: 2,
      },
    ])
    const prompted = parseNfConntrack(seedWithPrompt)
    expect(prompted.records.map((r) => r.line)).toEqual([2])
    expect(prompted.diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('reads conntrack -L between netstat/kubectl lines: DNAT to the backend shows in the reply tuple', () => {
    const { records, diagnostics } = parseNfConntrack(kubeproxyGrep)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({
      line: 4,
      protocol: 'tcp',
      protocolNumber: 6,
      timeout: 86374,
      state: 'ESTABLISHED',
      original: { src: '10.244.0.13', dst: '10.96.72.53', sport: 52372, dport: 80 },
      reply: { src: '10.244.0.6', dst: '10.244.0.13', sport: 80, dport: 52372 },
      flags: ['ASSURED'],
      mark: 0,
      use: 1,
    })
    expect(records[0]?.family).toBeUndefined()
    // prompt lines 1 and 3 and the pod's netstat line 2; the trailer (line 5) is skipped silently
    expect(diagnostics.map((d) => d.line)).toEqual([1, 2, 3])
  })

  it('reads udp [UNREPLIED], icmp type/code/id and tcp entries of conntrack -L and /proc/net/nf_conntrack alike', () => {
    const cli = parseNfConntrack(netnsConntrackL)
    expect(cli.diagnostics).toEqual([])
    expect(cli.records.map((r) => [r.line, r.protocol, r.state, r.flags])).toEqual([
      [2, 'udp', undefined, ['UNREPLIED']],
      [3, 'icmp', undefined, []],
      [4, 'udp', undefined, ['UNREPLIED']],
      [5, 'tcp', 'TIME_WAIT', ['ASSURED']],
      [6, 'icmp', undefined, []],
    ])
    expect(cli.records[1]?.original).toEqual({ src: '127.0.0.1', dst: '127.0.0.1', type: 8, code: 0, id: 19145 })
    expect(cli.records[1]?.reply).toEqual({ src: '127.0.0.1', dst: '127.0.0.1', type: 0, code: 0, id: 19145 })
    expect(cli.records[0]?.reply).toEqual({ src: '127.0.0.2', dst: '127.0.0.1', sport: 9, dport: 33887 })

    const proc = parseNfConntrack(netnsProc)
    expect(proc.records.map((r) => [r.line, r.family, r.protocol, r.timeout, r.zone])).toEqual([
      [1, 'ipv4', 'udp', 18, 0],
      [2, 'ipv4', 'icmp', 29, 0],
      [3, 'ipv4', 'udp', 29, 0],
      [4, 'ipv4', 'tcp', 119, 0],
      [5, 'ipv4', 'icmp', 18, 0],
    ])
    // same connections, same tuples in both spellings
    expect(proc.records.map((r) => [r.original, r.reply])).toEqual(cli.records.map((r) => [r.original, r.reply]))
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    const r = parseNfConntrack(text)
    expect(Array.isArray(r.records)).toBe(true)
  })
})
