// Builds lib/demo/seed-doks.capture.json from the seed lab text (../shared/seed), verbatim:
// each run's output is a slice of the seed's own lines, nothing typed by hand. Commands the seed
// shows without output (tc filter show dev eth0 egress) are left out: the engine must say it
// cannot prove what they would have shown. Run: node scripts/make-seed-capture.mjs [seed.txt]
import fs from 'node:fs'
import path from 'node:path'

const seedPath = process.argv[2] ?? path.resolve('../shared/seed/000_1ba4eb1c698a4365.txt')
const lines = fs.readFileSync(seedPath, 'utf8').split('\n')
/** 1-based inclusive slice of the seed, joined as the command printed it. */
const slice = (a, b) => lines.slice(a - 1, b).join('\n') + '\n'
const run = (command, stdout, extra = {}) => ({ command, stdout, stderr: '', exitCode: 0, ...extra })

// The ConfigMap data block (`kubectl get cm/cilium-config -o yaml`): key: value, quotes removed.
const config = {}
const dataAt = lines.indexOf('data:')
for (let i = dataAt + 1; i < lines.length && lines[i] !== 'kind: ConfigMap'; i++) {
  const m = /^([A-Za-z0-9_.-]+): ?(.*)$/.exec(lines[i])
  if (!m) continue
  let v = m[2]
  if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1)
  config[m[1]] = v
}

const capture = {
  format: 'packetwalk/capture@1',
  capturedAt: '2024-09-11T09:30:00Z',
  title: 'TP DigitalOcean (seed): Cilium native routing, iptables masquerade, pod to 1.0.0.1',
  source: 'shared/seed/000_1ba4eb1c698a4365.txt, outputs copied verbatim; the seed names no pod',
  cluster: { name: 'DOKS (TP)', cni: 'cilium', config },
  flow: {
    source: { ip: '10.244.0.213', node: 'node-7o7xd' },
    destination: { ip: '1.0.0.1', port: 80, protocol: 'tcp' },
  },
  hosts: {
    pod: {
      role: 'pod',
      name: 'pod 10.244.0.213 (unnamed in the TP)',
      node: 'node-7o7xd',
      runs: [run('route -n', slice(7, 10)), run('arp -an', slice(12, 12)), run('ip a', slice(15, 20))],
    },
    'node-7o7xd': {
      role: 'node',
      name: 'node-7o7xd',
      runs: [
        run('ip a | grep -A1 -B1 f6:93:7d:11:4d:37', slice(24, 26)),
        run('ifconfig cilium_host', slice(32, 39)),
        run('tc filter show dev lxcf4cd39e34601 ingress', slice(43, 44)),
        run('route -n', slice(48, 57)),
        run('iptables-save | grep -c KUBE', slice(62, 62)),
        run('grep 1.0.0.1 /proc/net/nf_conntrack', slice(93, 93)),
      ],
    },
    'cilium-r7ffp': {
      role: 'agent',
      name: 'kube-system/cilium-r7ffp',
      node: 'node-7o7xd',
      runs: [
        run('cilium bpf ct list global | grep 1.0.0.1', slice(67, 70)),
        run('cilium monitor | grep 1.0.0.1', slice(74, 82)),
        { command: 'cilium bpf nat list', stdout: '', stderr: slice(85, 86), exitCode: 0 },
        run('cilium config view | grep -i masq', slice(89, 90), { ranOn: 'workstation (cilium-cli reads the ConfigMap)' }),
      ],
    },
  },
}
const out = path.resolve('lib/demo/seed-doks.capture.json')
fs.writeFileSync(out, JSON.stringify(capture, null, 2) + '\n')
console.log(`wrote ${out}`)
