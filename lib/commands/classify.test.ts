import { describe, expect, it } from 'vitest'
import { classifyCommand } from './classify'
import type { CommandInfo } from '@/lib/model/commands'
import seedCapture from '@/lib/demo/seed-doks.capture.json'
import { MONITOR, ROUND1, POD_FALLBACKS, afterTraffic, commandLine, deviceCommands } from '@/lib/collect/plan'

type Expect = Partial<CommandInfo>
const cases: [string, Expect][] = [
  // iproute2, addresses and links
  ['ip a', { kind: 'ip-addr', complete: true }],
  ['ip addr', { kind: 'ip-addr' }],
  ['ip address show', { kind: 'ip-addr' }],
  ['ip address show dev eth0', { kind: 'ip-addr', device: 'eth0', complete: true }],
  ['ip addr show eth0', { kind: 'ip-addr', device: 'eth0' }],
  ['ip -4 -br addr show dev eth0', { kind: 'ip-addr', device: 'eth0', argv: ['ip', '-4', '-br', 'addr', 'show', 'dev', 'eth0'] }],
  ['ip -br a', { kind: 'ip-addr' }],
  ['ip link', { kind: 'ip-addr' }],
  ['ip l', { kind: 'ip-addr' }],
  ['ip -d link', { kind: 'ip-addr' }],
  ['ip -d link show dev lxc12345', { kind: 'ip-addr', device: 'lxc12345' }],
  ['ip -c addr', { kind: 'ip-addr' }],
  ['ip -color=always addr', { kind: 'ip-addr' }],
  ['ip -n cni-1234 addr', { kind: 'ip-addr' }],
  ['ip -d a', { kind: 'ip-addr' }],
  ['ip addr show up', { kind: 'ip-addr', complete: false }],
  ['ip addr add 10.0.0.1/24 dev eth0', { kind: 'unknown' }],
  ['ip link set eth0 up', { kind: 'unknown' }],
  // routes
  ['ip r', { kind: 'ip-route', complete: true }],
  ['ip route', { kind: 'ip-route' }],
  ['ip ro', { kind: 'ip-route' }],
  ['ip route show', { kind: 'ip-route' }],
  ['ip route list', { kind: 'ip-route' }],
  ['ip -4 route', { kind: 'ip-route' }],
  ['ip -c route', { kind: 'ip-route' }],
  ['ip route show table all', { kind: 'ip-route', table: 'all', complete: true }],
  ['ip route show table main', { kind: 'ip-route', table: 'main' }],
  ['ip route show table 2004', { kind: 'ip-route', table: '2004' }],
  ['ip route table all', { kind: 'ip-route', table: 'all' }],
  ['ip route show dev eth0', { kind: 'ip-route', device: 'eth0', complete: true }],
  ['ip route show 10.0.0.0/8', { kind: 'ip-route', complete: false }],
  ['ip route get 1.1.1.1', { kind: 'ip-route', complete: false }],
  ['ip route add default via 10.0.0.1', { kind: 'unknown' }],
  // rules, neighbours
  ['ip rule', { kind: 'ip-rule' }],
  ['ip rule show', { kind: 'ip-rule' }],
  ['ip ru', { kind: 'ip-rule' }],
  ['ip rule list', { kind: 'ip-rule' }],
  ['ip rule add fwmark 0x200 lookup 2004', { kind: 'unknown' }],
  ['ip neigh', { kind: 'ip-neigh' }],
  ['ip n', { kind: 'ip-neigh' }],
  ['ip neighbour show', { kind: 'ip-neigh' }],
  ['ip neigh show dev eth0', { kind: 'ip-neigh', device: 'eth0', complete: true }],
  ['ip neigh show nud permanent', { kind: 'ip-neigh', complete: false }],
  // net-tools
  ['ifconfig', { kind: 'ifconfig' }],
  ['ifconfig -a', { kind: 'ifconfig' }],
  ['ifconfig cilium_host', { kind: 'ifconfig', device: 'cilium_host' }],
  ['ifconfig eth0 up', { kind: 'unknown' }],
  ['route -n', { kind: 'route-n' }],
  ['route -ne', { kind: 'route-n' }],
  ['route', { kind: 'route-n' }],
  ['route add default gw 10.0.0.1', { kind: 'unknown' }],
  ['netstat -rn', { kind: 'route-n' }],
  ['arp -an', { kind: 'arp' }],
  ['arp -n', { kind: 'arp' }],
  ['arp -a', { kind: 'arp' }],
  ['arp -n -i eth0', { kind: 'arp', device: 'eth0' }],
  ['arp -s 10.0.0.1 aa:bb:cc:dd:ee:ff', { kind: 'unknown' }],
  // kernel files
  ['cat /proc/net/route', { kind: 'proc-net-route' }],
  ['cat /proc/net/arp', { kind: 'proc-net-arp' }],
  ['cat /proc/1234/net/route', { kind: 'proc-net-route' }],
  ['cat /sys/class/net/eth0/iflink', { kind: 'iflink', device: 'eth0' }],
  ['cat /proc/net/nf_conntrack', { kind: 'nf-conntrack', complete: true }],
  ['cat /host/proc/net/nf_conntrack', { kind: 'nf-conntrack' }],
  ['grep 1.0.0.1 /proc/net/nf_conntrack', { kind: 'nf-conntrack', complete: false, countOnly: false }],
  ['grep -c 1.0.0.1 /proc/net/nf_conntrack', { kind: 'nf-conntrack', complete: false, countOnly: true }],
  ['grep -e 1.0.0.1 /proc/net/nf_conntrack', { kind: 'nf-conntrack', complete: false }],
  ['head -n 20 /proc/net/nf_conntrack', { kind: 'nf-conntrack', complete: false }],
  ['cat /etc/hosts', { kind: 'unknown' }],
  ['conntrack -L', { kind: 'nf-conntrack', complete: true }],
  ['conntrack -L -n', { kind: 'nf-conntrack', complete: false }],
  ['conntrack -L -p tcp --dport 80', { kind: 'nf-conntrack', complete: false }],
  ['conntrack -L -o extended', { kind: 'nf-conntrack', complete: true }],
  ['conntrack -C', { kind: 'nf-conntrack', countOnly: true }],
  ['conntrack -E', { kind: 'unknown' }],
  // tc, bpftool
  ['tc filter show dev lxcf4cd39e34601 ingress', { kind: 'tc-filter', device: 'lxcf4cd39e34601', direction: 'ingress' }],
  ['tc filter show dev eth0 egress', { kind: 'tc-filter', device: 'eth0', direction: 'egress' }],
  ['tc filter list dev eth0 ingress', { kind: 'tc-filter', device: 'eth0', direction: 'ingress' }],
  ['tc -s filter show dev eth0 ingress', { kind: 'tc-filter', device: 'eth0', direction: 'ingress' }],
  ['tc filter show dev eth0 parent ffff:fff3', { kind: 'tc-filter', device: 'eth0', direction: 'egress' }],
  ['tc qdisc show dev eth0', { kind: 'unknown' }],
  ['tc filter add dev eth0 ingress bpf da obj x.o', { kind: 'unknown' }],
  ['bpftool net', { kind: 'bpftool-net' }],
  ['bpftool net show', { kind: 'bpftool-net' }],
  ['bpftool net list', { kind: 'bpftool-net' }],
  ['bpftool net show dev eth0', { kind: 'bpftool-net', device: 'eth0' }],
  ['bpftool prog show id 2895', { kind: 'unknown' }],
  // iptables
  ['iptables-save', { kind: 'iptables-save' }],
  ['iptables-save -t nat', { kind: 'iptables-save', table: 'nat' }],
  ['iptables-legacy-save -t mangle', { kind: 'iptables-save', table: 'mangle' }],
  ['iptables-nft-save', { kind: 'iptables-save' }],
  ['iptables -t nat -vnL', { kind: 'iptables-list', table: 'nat' }],
  ['iptables -t nat -vnL CILIUM_POST_nat', { kind: 'iptables-list', table: 'nat', chain: 'CILIUM_POST_nat' }],
  ['iptables -t nat -nvL POSTROUTING --line-numbers', { kind: 'iptables-list', table: 'nat', chain: 'POSTROUTING' }],
  ['iptables -nvL POSTROUTING -t nat', { kind: 'iptables-list', table: 'nat', chain: 'POSTROUTING' }],
  ['iptables -t nat -L -v -n --line-numbers', { kind: 'iptables-list', table: 'nat' }],
  ['iptables -L -n', { kind: 'iptables-list', table: 'filter' }],
  ['iptables -t nat -S', { kind: 'iptables-save', table: 'nat' }],
  ['iptables -t nat -A POSTROUTING -j MASQUERADE', { kind: 'unknown' }],
  // cilium
  ['cilium bpf ct list global', { kind: 'cilium-ct', ciliumBinary: 'cilium' }],
  ['cilium-dbg bpf ct list global', { kind: 'cilium-ct', ciliumBinary: 'cilium-dbg' }],
  ['cilium monitor', { kind: 'cilium-monitor', complete: true }],
  ['cilium monitor -v', { kind: 'cilium-monitor', complete: true }],
  ['cilium-dbg monitor --type drop', { kind: 'cilium-monitor', complete: false }],
  ['cilium monitor --related-to 762', { kind: 'cilium-monitor', complete: false }],
  ['cilium bpf nat list', { kind: 'cilium-nat' }],
  ['cilium config', { kind: 'cilium-config' }],
  ['cilium config view', { kind: 'cilium-config' }],
  ['cilium endpoint list', { kind: 'cilium-endpoint-list' }],
  ['cilium-dbg endpoint list', { kind: 'cilium-endpoint-list', ciliumBinary: 'cilium-dbg' }],
  ['cilium service list', { kind: 'cilium-service-list' }],
  ['cilium bpf lb list', { kind: 'cilium-lb-list' }],
  ['cilium status', { kind: 'cilium-status' }],
  ['cilium status --verbose', { kind: 'cilium-status' }],
  ['cilium-dbg status --verbose', { kind: 'cilium-status', ciliumBinary: 'cilium-dbg' }],
  ['cilium map get cilium_ipcache', { kind: 'cilium-ipcache', ciliumBinary: 'cilium' }],
  ['cilium', { kind: 'unknown' }],
  // wrappers and prompts
  ['sudo ip route', { kind: 'ip-route', argv: ['ip', 'route'] }],
  ['sudo -E ip -4 route', { kind: 'ip-route' }],
  ['nsenter -t 1234 -n ip addr', { kind: 'ip-addr', argv: ['ip', 'addr'] }],
  ['nsenter --net=/var/run/netns/cni-1 route -n', { kind: 'route-n' }],
  ['ip netns exec pw-pod ip route show table all', { kind: 'ip-route', table: 'all', argv: ['ip', 'route', 'show', 'table', 'all'] }],
  ['kubectl exec client -- ip a', { kind: 'ip-addr', argv: ['ip', 'a'] }],
  ['kubectl -n kube-system exec -ti ds/cilium -c cilium-agent -- cilium-dbg status --verbose', { kind: 'cilium-status', ciliumBinary: 'cilium-dbg' }],
  ['kubectl exec -ti cilium-r7ffp -nkube-system -- bash', { kind: 'unknown' }],
  ["kubectl exec pod -- sh -c 'ip route | grep default'", { kind: 'ip-route', complete: false }],
  ['docker exec k8s-guide-worker2 ip route', { kind: 'ip-route' }],
  ['# route -n', { kind: 'route-n' }],
  ['#route -n', { kind: 'route-n' }],
  ['root@node-7o7xd:/# grep 1.0.0.1 /proc/net/nf_conntrack', { kind: 'nf-conntrack', complete: false }],
  ['root@k8s-ctr:~# ip -c route', { kind: 'ip-route' }],
  ['% cilium config view | grep -i masq', { kind: 'cilium-config', complete: false, filters: ['grep -i masq'] }],
  ['$ ip neigh', { kind: 'ip-neigh' }],
  // pipelines
  ['ip a | grep -A1 -B1 f6:93:7d:11:4d:37', { kind: 'ip-addr', complete: false, countOnly: false, filters: ['grep -A1 -B1 f6:93:7d:11:4d:37'] }],
  ['iptables-save | grep -c KUBE', { kind: 'iptables-save', complete: false, countOnly: true }],
  ['iptables-save | wc -l', { kind: 'iptables-save', countOnly: true }],
  ['conntrack -L | head', { kind: 'nf-conntrack', complete: false }],
  ['ip route | tail -n 3', { kind: 'ip-route', complete: false }],
  ['ip route | sort', { kind: 'ip-route', complete: true }],
  ['cilium bpf ct list global | grep "1.0.0.1|8.8.8.8"', { kind: 'cilium-ct', complete: false, filters: ['grep "1.0.0.1|8.8.8.8"'] }],
  ['ip route 2>&1', { kind: 'ip-route', complete: true, argv: ['ip', 'route'] }],
  ['', { kind: 'unknown' }],
  ['   ', { kind: 'unknown' }],
  ['echo hello', { kind: 'unknown' }],
]

describe('classifyCommand', () => {
  it.each(cases)('%s', (command, expected) => {
    expect(classifyCommand(command)).toMatchObject(expected)
  })

  it('every command of the seed capture is recognised, with its filters', () => {
    const got = Object.values(seedCapture.hosts).flatMap((h) => h.runs.map((r) => [r.command, classifyCommand(r.command)] as const))
    const summary = got.map(([c, i]) => [c, i.kind, i.complete, i.countOnly])
    expect(summary).toEqual([
      ['route -n', 'route-n', true, false],
      ['arp -an', 'arp', true, false],
      ['ip a', 'ip-addr', true, false],
      ['ip a | grep -A1 -B1 f6:93:7d:11:4d:37', 'ip-addr', false, false],
      ['ifconfig cilium_host', 'ifconfig', true, false],
      ['tc filter show dev lxcf4cd39e34601 ingress', 'tc-filter', true, false],
      ['route -n', 'route-n', true, false],
      ['iptables-save | grep -c KUBE', 'iptables-save', false, true],
      ['grep 1.0.0.1 /proc/net/nf_conntrack', 'nf-conntrack', false, false],
      ['cilium bpf ct list global | grep 1.0.0.1', 'cilium-ct', false, false],
      ['cilium monitor | grep 1.0.0.1', 'cilium-monitor', false, false],
      ['cilium bpf nat list', 'cilium-nat', true, false],
      ['cilium config view | grep -i masq', 'cilium-config', false, false],
    ])
  })

  it('every command the collectors plan to run is recognised', () => {
    // hubble observe's JSON is read by the engine's observe step (lib/engine/steps/observe.ts), not classified
    const planned = [...ROUND1.pod, ...ROUND1.node, ...ROUND1.agent, ...POD_FALLBACKS, ...afterTraffic('node'), ...afterTraffic('agent'), MONITOR, ...deviceCommands('lxc1'), ...deviceCommands('eth0')]
    for (const p of planned) expect(classifyCommand(commandLine(p.argv)).kind, commandLine(p.argv)).not.toBe('unknown')
  })

  // The corpus INDEX "command" column, as written there (annotations in parentheses included).
  const corpus: [string, string][] = [
    ['cilium bpf ct list global', 'cilium-ct'],
    ['cilium bpf endpoint list', 'unknown'],
    ['cilium bpf lb list', 'cilium-lb-list'],
    ['cilium endpoint list', 'cilium-endpoint-list'],
    ['cilium map get cilium_ipcache', 'cilium-ipcache'],
    ['cilium monitor', 'cilium-monitor'],
    ['cilium service list', 'cilium-service-list'],
    ['ip link | grep -B 1 -i <nodemac>', 'ip-addr'],
    ['arp -n', 'arp'],
    ['ifconfig cilium_host', 'ifconfig'],
    ['ip link | grep <mac> -B 1', 'ip-addr'],
    ['route -n', 'route-n'],
    ['tc filter show dev bond0 egress', 'tc-filter'],
    ['tc filter show dev lxc00aa ingress', 'tc-filter'],
    ['tc filter show dev bond0 ingress', 'tc-filter'],
    ['nsenter ... arp -n', 'arp'],
    ['nsenter ... ip link', 'ip-addr'],
    ['nsenter -t <pid> -n route -n', 'route-n'],
    ['bpftool net show', 'bpftool-net'],
    ['iptables -t nat -L -v -n --line-numbers (excerpt)', 'iptables-list'],
    ['tcpdump -i eth0 -v (excerpt)', 'unknown'],
    ['cilium service list (CI log)', 'cilium-service-list'],
    ['tc filter show dev lxc… ingress; … egress', 'tc-filter'],
    ['execsnoop.bt | grep "tc filter"', 'unknown'],
    ['tc filter show dev lxc... egress; ... ingress', 'tc-filter'],
    ['cilium service get 3043', 'unknown'],
    ['cilium bpf ct list <ep> (2018)', 'cilium-ct'],
    ['iptables-save (excerpt, 2018)', 'iptables-save'],
    ['cilium service list (2017)', 'cilium-service-list'],
    ['ip -d a (excerpt)', 'ip-addr'],
    ['cilium monitor | grep ...', 'cilium-monitor'],
    ['cilium status --verbose (before/after)', 'cilium-status'],
    ['hubble observe -n default -f (2020)', 'unknown'],
    ['bpftool net show (alias c0bpf)', 'bpftool-net'],
    ['bpftool prog show id 1998', 'unknown'],
    ['cilium-dbg endpoint list', 'cilium-endpoint-list'],
    ['kubectl exec ds/cilium -- cilium', 'unknown'],
    ['cilium map get cilium_ipcache (alias c2)', 'cilium-ipcache'],
    ['cilium-dbg bpf lb list | grep 10.96.48.145', 'cilium-lb-list'],
    ['cilium-dbg service list', 'cilium-service-list'],
    ['cilium-dbg map get cilium_ipcache_v2', 'cilium-ipcache'],
    ['ip -c addr', 'ip-addr'],
    ['ip -c route', 'ip-route'],
    ['ip rule show', 'ip-rule'],
    ['cilium-dbg bpf nat list', 'cilium-nat'],
    ['iptables-save (mangle, raw, filter, nat)', 'iptables-save'],
    ['netstat (pod); cilium bpf ct list global | grep <port>', 'cilium-ct'],
    ['kubectl exec client -- netstat -an | grep EST; conntrack -L | grep <port>', 'nf-conntrack'],
    ['ip addr show dev if14', 'ip-addr'],
    ['ip route', 'ip-route'],
    ['iptables -t nat -vnL (excerpt)', 'iptables-list'],
    ['ip -4 -br addr show dev eth0', 'ip-addr'],
    ['ip neigh', 'ip-neigh'],
    ['ip -br addr show dev eth0 (as printed)', 'ip-addr'],
    ['ip route get 10.244.236.0', 'ip-route'],
    ['bpftool cgroup tree /run/cilium/cgroupv2/', 'unknown'],
    ['bpftool net show | grep 24', 'bpftool-net'],
    ['bpftool net show | grep vxlan', 'bpftool-net'],
    ['iptables -t nat -vnL CILIUM_POST_nat | head -n3', 'iptables-list'],
    ['ip link show dev eth0', 'ip-addr'],
    ['bridge fdb show dev flannel.1', 'unknown'],
    ['ip neigh | grep PERM', 'ip-neigh'],
    ['iptables -t nat -nvL POSTROUTING (command not printed)', 'iptables-list'],
    ['ip route get 1.1', 'ip-route'],
    ['iptables -t nat -nvL KUBE-POSTROUTING', 'iptables-list'],
    ['iptables -t nat -nvL KUBE-SEP-...', 'iptables-list'],
    ['iptables -t nat -nvL KUBE-SERVICES | grep <ClusterIP>', 'iptables-list'],
    ['iptables -t nat -nvL PREROUTING (alias d)', 'iptables-list'],
  ]
  it.each(corpus)('corpus INDEX: %s → %s', (command, kind) => {
    expect(classifyCommand(command).kind).toBe(kind)
  })

  it('corpus annotations do not leak into arguments', () => {
    expect(classifyCommand('iptables -t nat -nvL POSTROUTING (command not printed)')).toMatchObject({ chain: 'POSTROUTING', table: 'nat' })
    expect(classifyCommand('ip -br addr show dev eth0 (as printed)')).toMatchObject({ device: 'eth0' })
    expect(classifyCommand('ip addr show dev if14').device).toBe('if14')
    expect(classifyCommand('iptables -t nat -vnL CILIUM_POST_nat | head -n3')).toMatchObject({ chain: 'CILIUM_POST_nat', complete: false })
  })

  it('never throws on odd input', () => {
    for (const s of ['"', "'", '|', '||', ';;;', '&&', '\\', '(', ')', '# ', 'ip', 'ip -n', 'tc', 'cilium bpf', 'grep', 'sh -c', 'kubectl exec -- ', '\u0000\u0001', 'x'.repeat(100000)]) {
      expect(() => classifyCommand(s)).not.toThrow()
    }
    expect(classifyCommand(undefined as unknown as string).kind).toBe('unknown')
  })
})
