import { describe, expect, it } from 'vitest'
import { parseIpRoute } from './ip-route'
import kwxRoute from './fixtures/kwx4957-cilium1181-native-wg__node-ip-route.txt?raw'
import calicoNode from './fixtures/tkng-kind-calico-bgp__node-ip-route.txt?raw'
import calicoPod from './fixtures/tkng-kind-calico-bgp__pod-ip-route.txt?raw'
import calicoGet from './fixtures/tkng-kind-calico-bgp__pod1-ip-route-get.txt?raw'
import ciliumPod from './fixtures/tkng-kind-cilium19-vxlan__pod-ip-route.txt?raw'
import ciliumGet from './fixtures/tkng-kind-cilium19-vxlan__pod1-ip-route-get.txt?raw'
import flannelNode from './fixtures/tkng-kind-flannel-vxlan__node-ip-route.txt?raw'
import flannelGet from './fixtures/tkng-kind-flannel-vxlan__pod-ip-route-get.txt?raw'
import labPodAll from './fixtures/lab-pod-ip-route-table-all.txt?raw'
import labNodeAll from './fixtures/lab-node-ip-route-table-all.txt?raw'
import labNodeColour from './fixtures/lab-node-ip-c-route.txt?raw'
import bench from './fixtures/lab-bench-5000-ip-route.txt?raw'

/** Records as plain objects of all their fields (own and read-on-access), as JSON.stringify gives them. */
const fields = <T,>(r: T): T => JSON.parse(JSON.stringify(r)) as T

describe('parseIpRoute — corpus', () => {
  it('kwx4957 `ip -c route`: per-endpoint lxc routes, remote podCIDRs via eth1, default via 10.0.2.2', () => {
    const { records, diagnostics } = parseIpRoute(kwxRoute)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(14)
    expect(fields(records[0])).toEqual({ line: 2, destination: '0.0.0.0/0', gateway: '10.0.2.2', device: 'eth0', table: 'main', proto: 'dhcp', src: '10.0.2.15', metric: 100 })
    const lxc = records.filter((r) => r.device?.startsWith('lxc'))
    expect(lxc).toHaveLength(8)
    expect(lxc.map((r) => r.line)).toEqual([6, 7, 8, 9, 10, 11, 12, 13])
    expect(fields(lxc[0])).toEqual({ line: 6, destination: '172.20.0.18/32', device: 'lxc5d64df0db676', table: 'main', proto: 'kernel', scope: 'link' })
    expect(fields(records[12])).toEqual({ line: 14, destination: '172.20.1.0/24', gateway: '192.168.10.101', device: 'eth1', table: 'main', proto: 'kernel' })
    expect(records[13]).toMatchObject({ line: 15, destination: '172.20.2.0/24', gateway: '192.168.10.102', device: 'eth1' })
  })

  it('tkng calico node: proto bird routes, a blackhole for the local block, /32s to cali*', () => {
    const { records, diagnostics } = parseIpRoute(calicoNode)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(11)
    expect(records[1]).toMatchObject({ line: 3, destination: '10.244.175.0/24', gateway: '172.18.0.4', device: 'eth0', proto: 'bird' })
    expect(fields(records[3])).toEqual({ line: 5, destination: '10.244.190.0/24', type: 'blackhole', table: 'main', proto: 'bird' })
    expect(records[8]).toMatchObject({ line: 10, destination: '10.244.190.5/32', device: 'cali0ad20b06c15', scope: 'link' })
    expect(records[10]).toMatchObject({ line: 12, destination: '172.18.0.0/16', src: '172.18.0.3' })
  })

  it('tkng pods: Calico link-local gateway, Cilium route MTU 1450', () => {
    expect(fields(parseIpRoute(calicoPod).records)).toEqual([
      { line: 2, destination: '0.0.0.0/0', gateway: '169.254.1.1', device: 'eth0', table: 'main' },
      { line: 3, destination: '169.254.1.1/32', device: 'eth0', scope: 'link', table: 'main' },
    ])
    const cilium = parseIpRoute(ciliumPod)
    expect(cilium.diagnostics).toEqual([])
    expect(fields(cilium.records[0])).toEqual({ line: 2, destination: '0.0.0.0/0', gateway: '10.0.0.215', device: 'eth0', table: 'main', mtu: 1450 })
    expect(cilium.records[1]).toMatchObject({ line: 3, destination: '10.0.0.215/32', scope: 'link' })
  })

  it('tkng flannel node: remote /24s via flannel.1 onlink, local /24 on cni0', () => {
    const { records } = parseIpRoute(flannelNode)
    expect(fields(records[1])).toEqual({ line: 3, destination: '10.244.0.0/24', gateway: '10.244.0.0', device: 'flannel.1', table: 'main', onlink: true })
    expect(records[2]).toMatchObject({ line: 4, gateway: '10.244.1.0', onlink: true })
    expect(records[3]).toMatchObject({ line: 5, destination: '10.244.2.0/24', device: 'cni0', src: '10.244.2.1', proto: 'kernel' })
  })

  it('`ip route get` outputs: the route line and its cache line', () => {
    expect(fields(parseIpRoute(ciliumGet).records)).toEqual([
      { line: 2, destination: '10.0.1.110/32', gateway: '10.0.2.184', device: 'eth0', src: '10.0.2.99', table: 'main', cacheMtu: 1450 },
    ])
    expect(parseIpRoute(calicoGet).records[0]).toMatchObject({ line: 2, gateway: '169.254.1.1', device: 'eth0', src: '10.244.175.4' })
    expect(parseIpRoute(calicoGet).diagnostics).toEqual([])
    expect(parseIpRoute(flannelGet).records[0]).toMatchObject({ line: 2, destination: '1.1.0.0/32', gateway: '10.244.2.1', src: '10.244.2.6' })
  })
})

describe('parseIpRoute — lab captures (real kernel)', () => {
  it('`ip route show table all` in a pod: main routes, then table local with local/broadcast/multicast types', () => {
    const { records, diagnostics } = parseIpRoute(labPodAll)
    expect(diagnostics).toEqual([])
    expect(records).toHaveLength(9)
    expect(fields(records[0])).toEqual({ line: 1, destination: '0.0.0.0/0', gateway: '10.99.0.1', device: 'eth0', table: 'main', mtu: 1450 })
    expect(fields(records[2])).toEqual({ line: 3, destination: '10.99.0.13/32', type: 'local', device: 'eth0', table: 'local', proto: 'kernel', scope: 'host', src: '10.99.0.13' })
    expect(records[5]).toMatchObject({ line: 6, type: 'broadcast', destination: '127.255.255.255/32', table: 'local' })
    expect(fields(records[6])).toEqual({ line: 7, destination: 'fe80::/64', device: 'eth0', table: 'main', proto: 'kernel', metric: 256 })
    expect(records[8]).toMatchObject({ line: 9, type: 'multicast', destination: 'ff00::/8', table: 'local' })
  })

  it('node table all: table 2004, blackhole, unreachable, onlink, multipath nexthops', () => {
    const { records, diagnostics } = parseIpRoute(labNodeAll)
    expect(diagnostics).toEqual([])
    expect(fields(records[0])).toEqual({ line: 1, destination: '0.0.0.0/0', type: 'local', device: 'lo', table: '2004', scope: 'host' })
    expect(fields(records[4])).toEqual({ line: 5, destination: '10.99.2.0/24', type: 'blackhole', table: 'main' })
    expect(fields(records[5])).toEqual({ line: 6, destination: '10.99.3.0/24', type: 'unreachable', table: 'main' })
    expect(records[6]).toMatchObject({ line: 7, gateway: '10.99.4.1', onlink: true })
    expect(fields(records[9])).toEqual({
      line: 10,
      destination: '198.51.100.0/24',
      table: 'main',
      nexthops: [
        { line: 11, gateway: '192.0.2.2', device: 'eth0', weight: 1 },
        { line: 12, gateway: '192.0.2.3', device: 'eth0', weight: 2 },
      ],
    })
    expect(records.filter((r) => r.table === 'local')).toHaveLength(21)
  })

  it('`ip -c route` (ANSI colours) reads like `ip route`', () => {
    const colour = parseIpRoute(labNodeColour)
    expect(colour.diagnostics).toEqual([])
    const plainMain = parseIpRoute(labNodeAll).records.filter((r) => r.table === 'main' && r.destination.indexOf(':') === -1)
    expect(fields(colour.records).map(({ line: _l, nexthops: _n, ...r }) => r)).toEqual(fields(plainMain).map(({ line: _l, nexthops: _n, ...r }) => r))
    expect(fields(colour.records[2])).toEqual({ line: 3, destination: '10.99.1.0/24', gateway: '10.99.0.1', device: 'cilium_host', src: '10.99.0.1', table: 'main', mtu: 1450 })
  })

  it('a 5,000-route table: every route, none dropped', () => {
    const { records, diagnostics } = parseIpRoute(bench)
    expect(diagnostics).toEqual([])
    // the default route, 4,999 added routes and the uplink's connected /24
    expect(records).toHaveLength(5001)
    expect(records[0]).toMatchObject({ line: 1, destination: '0.0.0.0/0', gateway: '192.0.2.1' })
    expect(records.filter((r) => r.gateway === '192.0.2.2')).toHaveLength(2499)
  })
})

describe('parseIpRoute — messiness', () => {
  it('prose, errors and prompts around routes are skipped or reported, never routes', () => {
    const text = ['root@k8s-ctr:~# ip -c route', ...calicoPod.split('\n').slice(1), 'Error: any valid prefix is expected rather than "foo".', '10.0.0.1 is the gateway'].join('\n')
    const { records, diagnostics } = parseIpRoute(text)
    expect(records.map((r) => r.line)).toEqual([2, 3])
    expect(diagnostics.map((d) => d.line)).toEqual([5, 6])
  })
})
