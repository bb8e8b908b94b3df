/** The lab's construction plan, checked without root: every step acts inside a lab namespace. */
import { describe, expect, it } from 'vitest'
import { labNamespaces, upSteps } from '@/server/lab/steps'
import { isLabPrefix, kubeProxyHash, labNames, lxcName } from '@/server/lab/topology'

const names = labNames('pw')
const steps = upSteps(names, '/repo/.lab/bpf_lxc.o')
const mine = new Set(labNamespaces(names))

describe('upSteps', () => {
  it('names a lab namespace in every step, so nothing runs in the root namespace', () => {
    for (const { argv } of steps) {
      const ns = argv[1] === '-n' ? argv[2] : argv[1] === 'netns' && argv[2] === 'exec' ? argv[3] : undefined
      expect(argv[0], argv.join(' ')).toBe('ip')
      expect(mine.has(ns ?? ''), argv.join(' ')).toBe(true)
    }
  })

  it('creates every veth inside a lab namespace with its peer sent to a lab namespace', () => {
    const veths = steps.filter((s) => s.argv.includes('veth'))
    expect(veths).toHaveLength(4)
    for (const { argv } of veths) {
      const peerNs = argv.indexOf('netns') > 0 ? argv[argv.indexOf('netns') + 1] : argv[2]
      expect(mine.has(peerNs ?? '')).toBe(true)
    }
  })

  it('uses documentation ranges for the internet and never 192.0.2.0/24', () => {
    const text = steps.map((s) => s.argv.join(' ')).join('\n')
    expect(text).not.toMatch(/192\.0\.2\./)
    const publicAddrs = [...text.matchAll(/\b(\d+\.\d+\.\d+\.\d+)\b/g)].map((m) => m[1] as string).filter((ip) => !/^(10|127)\./.test(ip))
    for (const ip of publicAddrs) expect(ip, ip).toMatch(/^(198\.51\.100|203\.0\.113)\.\d+$|^0\./)
  })

  it('attaches from-container on the lxc ingress the way Cilium ≤1.12 did', () => {
    const tc = steps.find((s) => s.argv.includes('filter'))
    expect(tc?.argv).toEqual(['ip', 'netns', 'exec', 'pw-node', 'tc', 'filter', 'add', 'dev', names.lxc, 'ingress', 'prio', '1', 'handle', '1', 'bpf', 'direct-action', 'obj', '/repo/.lab/bpf_lxc.o', 'sec', 'from-container'])
  })

  it('installs the masquerade rule and puts Cilium feeders before kube-proxy ones', () => {
    const masq = steps.find((s) => s.argv.includes('cilium masquerade non-cluster'))
    expect(masq?.argv.slice(4)).toEqual(['iptables', '-w', '5', '-t', 'nat', '-A', 'CILIUM_POST_nat', '-s', '10.244.0.128/25', '!', '-d', '10.244.0.0/16', '!', '-o', 'cilium_+', '-m', 'comment', '--comment', 'cilium masquerade non-cluster', '-j', 'MASQUERADE'])
    const post = steps.filter((s) => s.argv.includes('POSTROUTING'))
    expect(post.map((s) => s.argv.slice(9, 11))).toEqual([['-A', 'POSTROUTING'], ['-I', 'POSTROUTING']])
  })
})

describe('names', () => {
  it('names the veth like Cilium: lxc + 12 hex digits, 15 characters', () => {
    expect(names.lxc).toMatch(/^lxc[0-9a-f]{12}$/)
    expect(lxcName('pw')).toBe(names.lxc)
    expect(lxcName('pwt')).not.toBe(names.lxc)
  })
  it('accepts only short lower-case prefixes', () => {
    expect(isLabPrefix('pw')).toBe(true)
    for (const bad of ['', 'PW', 'pw-', 'p w', 'abcdefghi', '1pw']) expect(isLabPrefix(bad), bad).toBe(false)
    expect(() => labNames('x;y')).toThrow(/refused/)
  })
  it("computes kube-proxy's chain hash (the well-known one of default/kubernetes:https)", () => {
    expect(kubeProxyHash('default/kubernetes:https', 'tcp')).toBe('NPX46M4PTMTKRN6Y')
  })
})
