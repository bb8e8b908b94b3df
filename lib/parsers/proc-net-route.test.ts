import { describe, expect, it } from 'vitest'
import { hexLeToIPv4, parseProcNetRoute } from './proc-net-route'
import { parseRouteN } from './route-n'
import labPod from './fixtures/lab-pod-proc-net-route.txt?raw'
import labNode from './fixtures/lab-node-proc-net-route.txt?raw'
import labNodeRouteN from './fixtures/lab-node-route-n.txt?raw'
import bench from './fixtures/lab-bench-5000-proc-net-route.txt?raw'
import benchRouteN from './fixtures/lab-bench-5000-route-n.txt?raw'

/** Records as plain objects of all their fields (own and read-on-access), as JSON.stringify gives them. */
const fields = <T,>(r: T): T => JSON.parse(JSON.stringify(r)) as T

describe('parseProcNetRoute', () => {
  it('little-endian hex: 0100A8C0 is 192.168.0.1', () => {
    expect(hexLeToIPv4('0100A8C0')).toBe('192.168.0.1')
    expect(hexLeToIPv4('00000000')).toBe('0.0.0.0')
    expect(hexLeToIPv4('FFFFFFFF')).toBe('255.255.255.255')
    expect(hexLeToIPv4('0100A8C')).toBeUndefined()
    expect(hexLeToIPv4('0100A8CG')).toBeUndefined()
  })

  it("the pod's table: default via 10.99.0.1 and the gateway's /32, header skipped", () => {
    const { records, diagnostics } = parseProcNetRoute(labPod)
    expect(diagnostics).toEqual([])
    expect(fields(records)).toEqual([
      { line: 2, destination: '0.0.0.0/0', gateway: '10.99.0.1', device: 'eth0', table: 'main', flags: 'UG', metric: 0 },
      { line: 3, destination: '10.99.0.1/32', device: 'eth0', table: 'main', flags: 'UH', metric: 0 },
    ])
  })

  it('says what route -n says for the same node (blackhole `*`, reject flag 0x0200)', () => {
    const proc = parseProcNetRoute(labNode)
    expect(proc.diagnostics).toEqual([])
    const strip = (r: { destination: string; gateway?: string; device?: string; type?: string }) => [r.destination, r.gateway, r.device, r.type]
    expect(proc.records.map(strip)).toEqual(parseRouteN(labNodeRouteN).records.map(strip))
    expect(proc.records[4]).toMatchObject({ line: 6, destination: '10.99.3.0/24', flags: 'U!', type: 'unreachable' })
  })

  it('5,000 routes agree with route -n', () => {
    const proc = parseProcNetRoute(bench).records
    const routeN = parseRouteN(benchRouteN).records
    expect(proc).toHaveLength(5001)
    expect(proc.map((r) => r.destination)).toEqual(routeN.map((r) => r.destination))
    expect(proc.map((r) => r.gateway)).toEqual(routeN.map((r) => r.gateway))
  })

  it('a cut-off header: columns in the kernel order still read', () => {
    const withoutHeader = labPod.split('\n').slice(1).join('\n')
    expect(parseProcNetRoute(withoutHeader).records[0]).toMatchObject({ line: 1, gateway: '10.99.0.1' })
  })
})
