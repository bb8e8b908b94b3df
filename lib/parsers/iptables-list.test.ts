import { describe, expect, it } from 'vitest'
import { parseIptablesList } from './iptables-list'
import { HOSTILE_INPUTS } from './hostile-inputs'
// Corpus files, verbatim (sources in /work/shared/corpus/INDEX.md).
import geneve15234 from './fixtures/gh-cilium-15234-geneve__node-iptables-nat-L-line-numbers-excerpt.txt?raw'
import ciliumPostNat from './fixtures/tkng-kind-cilium19-vxlan__node2-iptables-nat-CILIUM_POST_nat.txt?raw'
import calico from './fixtures/tkng-kind-calico-bgp__node-iptables-nat-vnL-excerpt.txt?raw'
import flannel from './fixtures/tkng-kind-flannel-vxlan__node-iptables-nat-POSTROUTING.txt?raw'
import kubePostrouting from './fixtures/tkng-kind-kubeproxy-iptables__node-iptables-nat-KUBE-POSTROUTING.txt?raw'
import kubeSep from './fixtures/tkng-kind-kubeproxy-iptables__node-iptables-nat-KUBE-SEP.txt?raw'
import kubeServicesGrep from './fixtures/tkng-kind-kubeproxy-iptables__node-iptables-nat-KUBE-SERVICES-grep.txt?raw'
import kubeSvc from './fixtures/tkng-kind-kubeproxy-iptables__node-iptables-nat-KUBE-SVC.txt?raw'
import prerouting from './fixtures/tkng-kind-kubeproxy-iptables__node-iptables-nat-PREROUTING.txt?raw'
// Captured in a throw-away netns (fixtures/capture-netns-netfilter.sh), iptables 1.8.9 nf_tables.
import netnsVnl from './fixtures/lab-netns-iptables-nat-vnL-line-numbers.txt?raw'
import netnsNl from './fixtures/lab-netns-iptables-nat-nL.txt?raw'
// haruband/codebook k8s/networkpolicy/index.md: `iptables -t filter -L` without -n (anywhere, all).
import filterL from './fixtures/haruband-codebook-argocd__node-iptables-filter-L.txt?raw'

describe('parseIptablesList', () => {
  it('reads the CILIUM_POST_nat masquerade rule (tkng, Cilium 1.9) with the table from the echoed command', () => {
    const { records, chains, diagnostics } = parseIptablesList(ciliumPostNat)
    expect(chains).toEqual([{ line: 2, table: 'nat', name: 'CILIUM_POST_nat', references: 1 }])
    expect(records).toEqual([
      {
        line: 4,
        table: 'nat',
        chain: 'CILIUM_POST_nat',
        text: '8   555 MASQUERADE  all  --  *      !cilium_+  10.0.0.0/24         !10.0.0.0/24          /* cilium masquerade non-cluster */',
        packets: 8,
        bytes: 555,
        target: 'MASQUERADE',
        outInterface: 'cilium_+',
        outInterfaceNot: true,
        source: '10.0.0.0/24',
        destination: '10.0.0.0/24',
        destinationNot: true,
        comment: 'cilium masquerade non-cluster',
        otherMatches: [],
        targetArgs: [],
      },
    ])
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('reads --line-numbers output with rounded counters, reporter comments and a grep separator (cilium#15234)', () => {
    const { records, chains, diagnostics } = parseIptablesList(geneve15234, { table: 'nat' })
    expect(chains).toEqual([
      { line: 3, table: 'nat', name: 'POSTROUTING', policy: 'ACCEPT', packets: 10, bytes: 668 },
      { line: 10, table: 'nat', name: 'CILIUM_POST_nat', references: 1 },
    ])
    expect(records.map((r) => [r.line, r.chain, r.ruleNumber, r.packets, r.target])).toEqual([
      [5, 'POSTROUTING', 1, 3010, 'CILIUM_POST_nat'],
      [6, 'POSTROUTING', 2, 988, 'KUBE-POSTROUTING'],
      [7, 'POSTROUTING', 3, 0, 'MASQUERADE'],
      [12, 'CILIUM_POST_nat', 1, 0, 'MASQUERADE'],
    ])
    expect(records[0]).toMatchObject({ bytes: 186000, countersApproximate: true, comment: 'cilium-feeder: CILIUM_POST_nat' })
    expect(records[2]).toMatchObject({ outInterface: 'docker0', outInterfaceNot: true, source: '172.17.0.0/16' })
    expect(records[3]).toMatchObject({
      outInterface: 'cilium_+',
      outInterfaceNot: true,
      source: '172.29.3.0/24',
      destination: '172.29.3.0/24',
      destinationNot: true,
      comment: 'cilium masquerade non-cluster',
    })
    // the two "# Rule N …" reporter lines are not rules
    expect(diagnostics.map((d) => d.line)).toEqual([1, 9])
  })

  it('reads Calico nat-outgoing: match-set matches, random-fully, <...> elisions skipped', () => {
    const { records, chains, diagnostics } = parseIptablesList(calico)
    expect(chains.map((c) => [c.line, c.name])).toEqual([
      [3, 'POSTROUTING'],
      [7, 'cali-POSTROUTING'],
      [12, 'cali-nat-outgoing'],
    ])
    expect(records.map((r) => [r.line, r.chain, r.target])).toEqual([
      [5, 'POSTROUTING', 'cali-POSTROUTING'],
      [9, 'cali-POSTROUTING', 'cali-fip-snat'],
      [10, 'cali-POSTROUTING', 'cali-nat-outgoing'],
      [14, 'cali-nat-outgoing', 'MASQUERADE'],
    ])
    expect(records[3]).toMatchObject({
      table: 'nat',
      packets: 1,
      bytes: 84,
      comment: 'cali:flqWnvo8yq4ULQLa',
      otherMatches: ['match-set cali40masq-ipam-pools src ! match-set cali40all-ipam-pools dst'],
      targetArgs: ['random-fully'],
    })
    expect(chains[0]).toMatchObject({ policy: 'ACCEPT', packets: 5315, bytes: 319000 })
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('reads flannel POSTROUTING without an echoed command (table unknown) and negated sources', () => {
    const { records } = parseIptablesList(flannel)
    expect(records.map((r) => [r.line, r.target, r.sourceNot ?? false, r.source, r.destinationNot ?? false, r.destination, r.targetArgs])).toEqual([
      [3, 'RETURN', false, '10.244.0.0/16', false, '10.244.0.0/16', []],
      [4, 'MASQUERADE', false, '10.244.0.0/16', true, '224.0.0.0/4', ['random-fully']],
      [5, 'RETURN', true, '10.244.0.0/16', false, '10.244.0.0/24', []],
      [6, 'MASQUERADE', true, '10.244.0.0/16', false, '10.244.0.0/16', ['random-fully']],
    ])
    expect(records.every((r) => r.table === 'unknown' && r.chain === 'POSTROUTING')).toBe(true)
  })

  it('reads the kube-proxy chain walk: KUBE-SERVICES → KUBE-SVC → KUBE-SEP DNAT, KUBE-POSTROUTING', () => {
    const services = parseIptablesList(kubeServicesGrep, { table: 'nat' })
    expect(services.records.map((r) => [r.line, r.chain, r.target, r.destination, r.otherMatches])).toEqual([
      [2, 'unknown', 'KUBE-MARK-MASQ', '10.96.94.225', ['tcp dpt:80']],
      [3, 'unknown', 'KUBE-SVC-LOLE4ISW44XBNF3G', '10.96.94.225', ['tcp dpt:80']],
    ])
    expect(services.records[0]).toMatchObject({ source: '10.244.0.0/16', sourceNot: true, protocol: 'tcp', comment: 'default/web cluster IP' })

    const svc = parseIptablesList(kubeSvc)
    expect(svc.records.map((r) => [r.line, r.target, r.otherMatches])).toEqual([
      [4, 'KUBE-SEP-MHDQ23KUGG7EGFMW', ['statistic mode random probability 0.50000000000']],
      [5, 'KUBE-SEP-ZA2JI7K7LSQNKDOS', []],
    ])

    const sep = parseIptablesList(kubeSep)
    expect(sep.records[0]).toMatchObject({ line: 4, target: 'KUBE-MARK-MASQ', source: '10.244.1.3' })
    expect(sep.records[1]).toMatchObject({
      line: 5,
      chain: 'KUBE-SEP-MHDQ23KUGG7EGFMW',
      target: 'DNAT',
      protocol: 'tcp',
      otherMatches: ['tcp'],
      targetArgs: ['to:10.244.1.3:80'],
      comment: 'default/web',
    })

    const post = parseIptablesList(kubePostrouting)
    expect(post.records.map((r) => [r.line, r.target, r.otherMatches, r.targetArgs])).toEqual([
      [4, 'RETURN', ['mark match ! 0x4000/0x4000'], []],
      [5, 'MARK', [], ['MARK', 'xor', '0x4000']],
      [6, 'MASQUERADE', [], ['random-fully']],
    ])

    const pre = parseIptablesList(prerouting)
    expect(pre.records.map((r) => [r.line, r.target, r.destination])).toEqual([
      [4, 'KUBE-SERVICES', undefined],
      [5, 'DOCKER_OUTPUT', '172.16.0.190'],
    ])
  })

  it('reads iptables-nft 1.8.9: numeric protocols, an empty target cell, `cilium_host !10…` columns', () => {
    const { records, chains } = parseIptablesList(netnsVnl, { table: 'nat' })
    expect(chains.map((c) => c.name)).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'CILIUM_POST_nat'])
    expect(records.map((r) => [r.line, r.chain, r.ruleNumber, r.target, r.protocol])).toEqual([
      [9, 'OUTPUT', 1, 'DNAT', 'udp'],
      [13, 'POSTROUTING', 1, 'CILIUM_POST_nat', undefined],
      [14, 'POSTROUTING', 2, undefined, undefined],
      [18, 'CILIUM_POST_nat', 1, 'MASQUERADE', undefined],
      [19, 'CILIUM_POST_nat', 2, 'SNAT', undefined],
    ])
    expect(records[0]).toMatchObject({ destination: '10.96.0.10', otherMatches: ['udp dpt:53'], targetArgs: ['to:10.244.0.55:53'] })
    expect(records[2]).toMatchObject({ outInterface: 'lo', packets: 6, bytes: 348 })
    expect(records[3]).toMatchObject({ outInterface: 'cilium_+', outInterfaceNot: true, destinationNot: true, targetArgs: ['random-fully'] })
    expect(records[4]).toMatchObject({ outInterface: 'cilium_host', source: '10.244.0.0/24', sourceNot: true, targetArgs: ['to:10.244.0.201'] })
  })

  it('reads the non-verbose -nL columns (no counters, no interfaces)', () => {
    const { records } = parseIptablesList(netnsNl, { table: 'nat' })
    expect(records.map((r) => [r.line, r.chain, r.target, r.source, r.sourceNot ?? false, r.destination])).toEqual([
      [9, 'OUTPUT', 'DNAT', undefined, false, '10.96.0.10'],
      [13, 'POSTROUTING', 'CILIUM_POST_nat', undefined, false, undefined],
      [14, 'POSTROUTING', undefined, undefined, false, undefined],
      [18, 'CILIUM_POST_nat', 'MASQUERADE', '10.244.0.0/24', false, '10.244.0.0/16'],
      [19, 'CILIUM_POST_nat', 'SNAT', '10.244.0.0/24', true, undefined],
    ])
    expect(records.every((r) => r.packets === undefined && r.outInterface === undefined)).toBe(true)
  })

  it('reads -L without -n: `anywhere`, comments after the matches, `MARK xset`', () => {
    const { records, chains } = parseIptablesList(filterL)
    expect(chains.map((c) => [c.line, c.table, c.name, c.policy, c.references])).toEqual([
      [2, 'filter', 'OUTPUT', 'ACCEPT', undefined],
      [7, 'filter', 'CILIUM_OUTPUT', undefined, 1],
    ])
    expect(records.map((r) => [r.line, r.chain, r.target, r.source, r.destination, r.comment])).toEqual([
      [4, 'OUTPUT', 'CILIUM_OUTPUT', undefined, undefined, 'cilium-feeder: CILIUM_OUTPUT'],
      [5, 'OUTPUT', 'KUBE-FIREWALL', undefined, undefined, undefined],
      [9, 'CILIUM_OUTPUT', 'ACCEPT', undefined, undefined, 'cilium: ACCEPT for proxy return traffic'],
      [10, 'CILIUM_OUTPUT', 'MARK', undefined, undefined, 'cilium: host->any mark as from host'],
    ])
    expect(records[2]?.otherMatches).toEqual(['mark match 0xa00/0xfffffeff'])
    expect(records[3]?.otherMatches).toEqual(['mark match ! 0xe00/0xf00 mark match ! 0xd00/0xf00 mark match ! 0xa00/0xe00'])
    expect(records[3]?.targetArgs).toEqual(['MARK', 'xset', '0xc00/0xf00'])
  })

  it.each(HOSTILE_INPUTS)('never throws on $name', ({ text }) => {
    const r = parseIptablesList(text)
    expect(Array.isArray(r.records)).toBe(true)
  })
})
