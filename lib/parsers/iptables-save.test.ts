import { describe, expect, it } from 'vitest'
import { parseIptablesSave, quotedWords } from './iptables-save'
import { HOSTILE_INPUTS } from './hostile-inputs'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import annotated419 from './fixtures/tanjunchen-cilium-iptables-419__node-iptables-save-annotated.txt?raw'
import ci2018 from './fixtures/gh-cilium-5384-ci2018__node-iptables-save-nat-excerpt.txt?raw'
// Captured in a throw-away netns (fixtures/capture-netns-netfilter.sh): iptables-save -c, iptables -S.
import netnsSaveC from './fixtures/lab-netns-iptables-save-c.txt?raw'
import netnsS from './fixtures/lab-netns-iptables-S-filter.txt?raw'

/** A record as a plain object of all its fields (own and read-on-access), as JSON.stringify gives it. */
const fields = (r: object | undefined): unknown => JSON.parse(JSON.stringify(r))

describe('parseIptablesSave', () => {
  it('reads the Cilium masquerade and SNAT rules of the annotated 4.19 node and ignores the author # lines', () => {
    const { records, chains, diagnostics } = parseIptablesSave(annotated419)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(70)
    expect(chains).toHaveLength(38)
    expect(new Set(records.map((r) => r.table))).toEqual(new Set(['mangle', 'raw', 'filter', 'nat']))

    const masq = records.find((r) => r.line === 142)
    // a rule reads its matches on first access: compare every field through the rule's JSON form
    expect(fields(masq)).toEqual({
      line: 142,
      table: 'nat',
      chain: 'CILIUM_POST_nat',
      text: '-A CILIUM_POST_nat -s 100.64.64.0/24 ! -d 100.64.64.0/24 ! -o cilium_+ -m comment --comment "cilium masquerade non-cluster" -j MASQUERADE',
      source: '100.64.64.0/24',
      destination: '100.64.64.0/24',
      destinationNot: true,
      outInterface: 'cilium_+',
      outInterfaceNot: true,
      comment: 'cilium masquerade non-cluster',
      otherMatches: [],
      target: 'MASQUERADE',
      targetArgs: [],
    })
    expect(records.find((r) => r.line === 146)).toMatchObject({
      chain: 'CILIUM_POST_nat',
      source: '100.64.64.0/24',
      sourceNot: true,
      destinationNot: true,
      outInterface: 'cilium_host',
      target: 'SNAT',
      targetArgs: ['--to-source', '100.64.64.84'],
      comment: 'cilium host->cluster masquerade',
    })
    // TPROXY to the DNS proxy, with its mark match kept whole
    expect(records.find((r) => r.line === 23)).toMatchObject({
      table: 'mangle',
      chain: 'CILIUM_PRE_mangle',
      protocol: 'tcp',
      otherMatches: ['-m mark --mark 0x23420200'],
      target: 'TPROXY',
      targetArgs: ['--on-port', '16931', '--on-ip', '127.0.0.1', '--tproxy-mark', '0x200/0xffffffff'],
    })
    // negated match options stay inside their -m block
    expect(records.find((r) => r.line === 92)?.otherMatches).toEqual(['-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT'])
    expect(records.filter((r) => r.chain === 'CILIUM_FORWARD').map((r) => [r.line, r.inInterface ?? r.outInterface])).toEqual([
      [74, 'cilium_host'],
      [76, 'cilium_host'],
      [78, 'lxc+'],
      [80, 'cilium_net'],
    ])
    expect(chains.find((c) => c.name === 'CILIUM_POST_nat')).toEqual({ line: 107, table: 'nat', name: 'CILIUM_POST_nat', packets: 0, bytes: 0 })
    expect(chains.find((c) => c.table === 'nat' && c.name === 'POSTROUTING')?.policy).toBe('ACCEPT')
  })

  it('reads the 2018 excerpt: rules before any *table are table "unknown", old CILIUM_POST chain name', () => {
    const { records, chains, diagnostics } = parseIptablesSave(ci2018)
    expect(records.map((r) => [r.line, r.table, r.chain, r.target])).toEqual([
      [1, 'unknown', 'POSTROUTING', 'CILIUM_POST_mangle'],
      [2, 'unknown', 'CILIUM_POST_mangle', 'MARK'],
      [32, 'nat', 'PREROUTING', 'KUBE-SERVICES'],
      [33, 'nat', 'PREROUTING', 'DOCKER'],
    ])
    expect(records[1]).toMatchObject({ outInterface: 'cilium_host', comment: 'cilium: clear masq bit for pkts to cilium_host' })
    expect(records[3]?.otherMatches).toEqual(['-m addrtype --dst-type LOCAL'])
    expect(chains.find((c) => c.name === 'CILIUM_POST')).toEqual({ line: 11, table: 'nat', name: 'CILIUM_POST', packets: 0, bytes: 0 })
    expect(chains.find((c) => c.name === 'PREROUTING')).toMatchObject({ line: 7, policy: 'ACCEPT', packets: 36, bytes: 2160 })
    expect(chains).toHaveLength(25)
    expect(diagnostics).toEqual([{ line: 1, message: 'rule before any *table line: its table is unknown' }])
  })

  it('reads [pkts:bytes] counters (iptables-save -c), --random-fully, SNAT, DNAT, -g goto and a rule without target', () => {
    const { records, chains, diagnostics } = parseIptablesSave(netnsSaveC)
    expect(diagnostics).toEqual([])
    expect(chains.map((c) => `${c.table}/${c.name}`)).toEqual([
      'filter/INPUT', 'filter/FORWARD', 'filter/OUTPUT', 'filter/CILIUM_FORWARD', 'filter/CILIUM_FORWARD_lxc',
      'nat/PREROUTING', 'nat/INPUT', 'nat/OUTPUT', 'nat/POSTROUTING', 'nat/CILIUM_POST_nat',
    ])
    expect(records.find((r) => r.line === 9)).toMatchObject({
      table: 'filter',
      chain: 'CILIUM_FORWARD',
      inInterface: 'lxc+',
      target: 'CILIUM_FORWARD_lxc',
      goto: true,
      packets: 0,
      bytes: 0,
    })
    expect(records.find((r) => r.line === 20)).toMatchObject({
      table: 'nat',
      chain: 'OUTPUT',
      destination: '10.96.0.10/32',
      protocol: 'udp',
      otherMatches: ['-m udp --dport 53'],
      target: 'DNAT',
      targetArgs: ['--to-destination', '10.244.0.55:53'],
    })
    expect(records.find((r) => r.line === 21)).toMatchObject({ chain: 'POSTROUTING', packets: 6, bytes: 348, target: 'CILIUM_POST_nat' })
    const noTarget = records.find((r) => r.line === 22)
    expect(noTarget).toMatchObject({ chain: 'POSTROUTING', outInterface: 'lo', packets: 6, bytes: 348 })
    expect(noTarget?.target).toBeUndefined()
    expect(records.find((r) => r.line === 23)).toMatchObject({
      text: '-A CILIUM_POST_nat -s 10.244.0.0/24 ! -d 10.244.0.0/16 ! -o cilium_+ -m comment --comment "cilium masquerade non-cluster" -j MASQUERADE --random-fully',
      target: 'MASQUERADE',
      targetArgs: ['--random-fully'],
      comment: 'cilium masquerade non-cluster',
    })
    expect(records.find((r) => r.line === 24)).toMatchObject({ source: '10.244.0.0/24', sourceNot: true, target: 'SNAT', targetArgs: ['--to-source', '10.244.0.201'] })
  })

  it('reads the iptables -S spelling: -P and -N declare chains', () => {
    const { records, chains } = parseIptablesSave(netnsS)
    expect(chains.map((c) => [c.line, c.name, c.policy])).toEqual([
      [1, 'INPUT', 'ACCEPT'],
      [2, 'FORWARD', 'ACCEPT'],
      [3, 'OUTPUT', 'ACCEPT'],
      [4, 'CILIUM_FORWARD', undefined],
      [5, 'CILIUM_FORWARD_lxc', undefined],
    ])
    expect(records.map((r) => [r.line, r.chain, r.target, r.goto ?? false])).toEqual([
      [6, 'FORWARD', 'CILIUM_FORWARD', false],
      [7, 'CILIUM_FORWARD', 'CILIUM_FORWARD_lxc', true],
      [8, 'CILIUM_FORWARD_lxc', 'ACCEPT', false],
    ])
  })

  it('unquotes iptables-save strings and their escapes', () => {
    expect(quotedWords('-m comment --comment "a \\"b\\" c" -j X')).toEqual(['-m', 'comment', '--comment', 'a "b" c', '-j', 'X'])
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    const r = parseIptablesSave(text)
    expect(Array.isArray(r.records)).toBe(true)
    expect(Array.isArray(r.chains)).toBe(true)
  })
})
