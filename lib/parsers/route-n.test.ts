import { describe, expect, it } from 'vitest'
import { parseRouteN } from './route-n'
import seedPod from './fixtures/seed-pod-route-n.txt?raw'
import seedPodWithPrompt from './fixtures/seed-pod-route-n-with-prompt.txt?raw'
import seedNode from './fixtures/seed-node-route-n.txt?raw'
import acNode from './fixtures/arthurchiao-lop-cilium18__node1-route-n.txt?raw'
import acPod from './fixtures/arthurchiao-lop-cilium18__pod-route-n.txt?raw'
import labNode from './fixtures/lab-node-route-n.txt?raw'
import bench from './fixtures/lab-bench-5000-route-n.txt?raw'

/** Records as plain objects of all their fields (own and read-on-access), as JSON.stringify gives them. */
const fields = <T,>(r: T): T => JSON.parse(JSON.stringify(r)) as T

describe('parseRouteN — seed (columns collapsed to single spaces)', () => {
  it("pod: default via 10.244.0.201 on eth0 (line 3), the gateway's /32 (line 4)", () => {
    const { records, diagnostics } = parseRouteN(seedPod)
    expect(diagnostics).toEqual([])
    expect(fields(records)).toEqual([
      { line: 3, destination: '0.0.0.0/0', gateway: '10.244.0.201', device: 'eth0', table: 'main', flags: 'UG', metric: 0 },
      { line: 4, destination: '10.244.0.201/32', device: 'eth0', table: 'main', flags: 'UH', metric: 0 },
    ])
  })

  it('the echoed `#route -n` and the French sentence above it do not become routes', () => {
    const { records, diagnostics } = parseRouteN(seedPodWithPrompt)
    expect(records.map((r) => [r.line, r.destination])).toEqual([[5, '0.0.0.0/0'], [6, '10.244.0.201/32']])
    // the prose line is reported, the prompt line is not
    expect(diagnostics.map((d) => d.line)).toEqual([1])
  })

  it('node: 8 routes, podCIDR halves via eth1 and cilium_host, docker0', () => {
    const { records, diagnostics } = parseRouteN(seedNode)
    expect(diagnostics).toEqual([])
    expect(records.map((r) => [r.line, r.destination, r.gateway ?? '', r.device])).toEqual([
      [3, '0.0.0.0/0', '165.22.16.1', 'eth0'],
      [4, '10.19.0.0/16', '', 'eth0'],
      [5, '10.135.0.0/16', '', 'eth1'],
      [6, '10.244.0.0/25', '10.135.152.71', 'eth1'],
      [7, '10.244.0.128/25', '10.244.0.148', 'cilium_host'],
      [8, '10.244.0.148/32', '', 'cilium_host'],
      [9, '165.22.16.0/20', '', 'eth0'],
      [10, '172.17.0.0/16', '', 'docker0'],
    ])
  })
})

describe('parseRouteN — corpus', () => {
  it('arthurchiao node1: default via 10.255.255.1 on bond0, podCIDR via cilium_host', () => {
    const { records, diagnostics } = parseRouteN(acNode)
    expect(diagnostics).toEqual([])
    expect(fields(records)).toEqual([
      { line: 4, destination: '0.0.0.0/0', gateway: '10.255.255.1', device: 'bond0', table: 'main', flags: 'UG', metric: 0 },
      { line: 5, destination: '10.1.1.0/24', gateway: '10.1.1.1', device: 'cilium_host', table: 'main', flags: 'UG', metric: 0 },
      { line: 6, destination: '10.1.1.1/32', device: 'cilium_host', table: 'main', flags: 'UH', metric: 0 },
    ])
  })

  it('arthurchiao pod (via nsenter): default gw 10.1.1.1 UG and its /32 UH; prompt skipped silently', () => {
    const { records, diagnostics } = parseRouteN(acPod)
    expect(diagnostics).toEqual([])
    expect(records.map((r) => [r.line, r.destination, r.flags])).toEqual([[4, '0.0.0.0/0', 'UG'], [5, '10.1.1.1/32', 'UH']])
  })
})

describe('parseRouteN — lab captures (real kernel)', () => {
  it('blackhole (`*` iface) and reject (`!`, `-`) routes', () => {
    const { records, diagnostics } = parseRouteN(labNode)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(9)
    expect(fields(records[3])).toEqual({ line: 6, destination: '10.99.2.0/24', table: 'main', flags: 'U', metric: 0 })
    expect(fields(records[4])).toEqual({ line: 7, destination: '10.99.3.0/24', table: 'main', flags: '!', metric: 0, type: 'unreachable' })
    expect(records[8]).toMatchObject({ line: 11, destination: '198.51.100.0/24', gateway: '192.0.2.2' })
  })

  it('5,000 routes', () => {
    const { records, diagnostics } = parseRouteN(bench)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(5001)
    expect(records[0]!.line).toBe(3)
  })
})
