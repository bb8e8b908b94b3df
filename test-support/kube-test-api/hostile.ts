/**
 * A second node whose kernel objects carry hostile names, for the injection tests: the pod's
 * veth peer on the node is called `lxc$(id)` and the node's egress device `eth0;reboot` (Linux
 * accepts both: only '/', ':' and white space are forbidden in a device name). A collector that
 * reads these names from `ip -d link` / `ip route` must refuse them, never put them in an argv.
 *
 * Built in two namespaces of its own (`<prefix>-evil-pod`, `<prefix>-evil-node`), nothing in the
 * root namespace; `hostileDown` removes them and is safe to run twice.
 */
import { execFile } from 'node:child_process'
import { AGENT_POD, type ClusterSpec } from './cluster'

export const HOSTILE = {
  node: 'evil-node',
  pod: { namespace: 'default', name: 'evil' },
  agent: { namespace: 'kube-system', name: 'cilium-evl7q' },
  lxc: 'lxc$(id)',
  egress: 'eth0;reboot',
  podIp: '10.244.1.10',
  gatewayIp: '10.244.1.1',
  nodeIp: '203.0.113.50',
} as const

export function hostileNetns(prefix: string): { pod: string; node: string } {
  return { pod: `${prefix}-evil-pod`, node: `${prefix}-evil-node` }
}

function ip(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { timeout: 5000 }, (err, _out, stderr) => (err ? reject(new Error(`ip ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve()))
  })
}

async function listNetns(): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'list'], { timeout: 5000 }, (err, out) => resolve(err ? [] : out.split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean)))
  })
}

export async function hostileUp(prefix: string): Promise<void> {
  const ns = hostileNetns(prefix)
  const existing = await listNetns()
  if (existing.includes(ns.pod) || existing.includes(ns.node)) await hostileDown(prefix)
  try {
    await ip(['netns', 'add', ns.pod])
    await ip(['netns', 'add', ns.node])
    await ip(['-n', ns.node, 'link', 'add', HOSTILE.lxc, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.pod])
    await ip(['-n', ns.node, 'link', 'add', HOSTILE.egress, 'type', 'veth', 'peer', 'name', 'uplink0'])
    for (const [n, dev] of [[ns.pod, 'lo'], [ns.pod, 'eth0'], [ns.node, 'lo'], [ns.node, HOSTILE.lxc], [ns.node, HOSTILE.egress], [ns.node, 'uplink0']] as const) {
      await ip(['-n', n, 'link', 'set', dev, 'up'])
    }
    await ip(['-n', ns.pod, 'addr', 'add', `${HOSTILE.podIp}/32`, 'dev', 'eth0'])
    await ip(['-n', ns.pod, 'route', 'add', `${HOSTILE.gatewayIp}/32`, 'dev', 'eth0', 'scope', 'link'])
    await ip(['-n', ns.pod, 'route', 'add', 'default', 'via', HOSTILE.gatewayIp, 'dev', 'eth0'])
    await ip(['-n', ns.node, 'addr', 'add', `${HOSTILE.nodeIp}/24`, 'dev', HOSTILE.egress])
    await ip(['-n', ns.node, 'route', 'add', 'default', 'via', '203.0.113.1', 'dev', HOSTILE.egress])
    await ip(['-n', ns.node, 'route', 'add', `${HOSTILE.podIp}/32`, 'dev', HOSTILE.lxc])
  } catch (e) {
    await hostileDown(prefix)
    throw e
  }
}

export async function hostileDown(prefix: string): Promise<void> {
  const ns = hostileNetns(prefix)
  const existing = await listNetns()
  for (const n of [ns.pod, ns.node]) if (existing.includes(n)) await ip(['netns', 'del', n])
}

/** The cluster with the hostile node added: its pod, and a Cilium agent in its node namespace. */
export function withHostileNode(spec: ClusterSpec, prefix: string): ClusterSpec {
  const ns = hostileNetns(prefix)
  const agent = spec.pods.find((p) => p.namespace === AGENT_POD.namespace && p.name === AGENT_POD.name)
  return {
    nodes: [...spec.nodes, { name: HOSTILE.node, netns: ns.node }],
    pods: [
      ...spec.pods,
      {
        ...HOSTILE.pod,
        netns: ns.pod,
        node: HOSTILE.node,
        containers: [{ name: 'evil', image: 'nicolaka/netshoot:v0.13' }],
        labels: { app: 'evil' },
        creationTimestamp: '2024-09-11T08:00:00Z',
        uid: '7e2d1c0b-4a3f-4e5d-8c7b-6a5f4e3d2c1b',
      },
      {
        ...HOSTILE.agent,
        netns: ns.node,
        node: HOSTILE.node,
        hostNetwork: true,
        containers: agent?.containers ?? [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.14.14' }],
        labels: agent?.labels ?? { 'k8s-app': 'cilium' },
        owner: { kind: 'DaemonSet', name: 'cilium' },
        creationTimestamp: '2024-09-11T07:03:41Z',
        uid: '1d2c3b4a-5f6e-4d7c-9b8a-0f1e2d3c4b5a',
      },
    ],
  }
}
