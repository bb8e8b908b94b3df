/**
 * Walk time against the number of nodes: the lab's two-node cross-node capture
 * (lib/demo/lab-cross-node.capture.json, real outputs of this kernel) grown to 10 and 50 nodes by
 * replicating its destination node, that node's agent and its pod under new host ids (the outputs
 * are the real ones, byte for byte). Medians measured interleaved in one run; the ratio per host
 * says whether the walk stays linear in the capture's hosts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { validateCapture } from '@/lib/formats/capture-schema'
import { inferWalk } from '@/lib/engine'
import type { Capture, CaptureHost } from '@/lib/model/capture'
import { interleavedMedians, table } from './measure'

const LAB = path.resolve(__dirname, '..', 'lib', 'demo', 'lab-cross-node.capture.json')

function withNodes(base: Capture, nodes: number): Capture {
  const c = structuredClone(base)
  const template = Object.entries(base.hosts).filter(([, h]) => (h.role === 'node' ? h.name : h.node) === 'lab-node-2')
  for (let i = 3; i <= nodes; i++) {
    const name = `lab-node-${i}`
    for (const [id, h] of template) {
      const copy: CaptureHost = { ...structuredClone(h), ...(h.role === 'node' ? { name } : { node: name }) }
      c.hosts[`${id}-n${i}`] = copy
    }
  }
  return c
}

export default async function run(): Promise<void> {
  const v = validateCapture(JSON.parse(fs.readFileSync(LAB, 'utf8')))
  if (!v.ok) throw new Error(v.error)
  const sizes = [2, 10, 50]
  const captures = sizes.map((n) => withNodes(v.capture, n))
  const { ms } = interleavedMedians(
    captures.map((c) => () => inferWalk(c)),
    { runs: 7, warmup: 2 },
  )
  const base = (ms[0] as number) / (Object.keys(captures[0]?.hosts ?? {}).length || 1)
  console.log('walk time against nodes (lab cross-node capture, destination node replicated)')
  console.log(
    table(
      ['nodes', 'hosts', 'walk median (ms)', 'ms per host', 'per host vs 2 nodes'],
      captures.map((c, i) => {
        const hosts = Object.keys(c.hosts).length
        const perHost = (ms[i] as number) / hosts
        return [sizes[i] as number, hosts, (ms[i] as number).toFixed(1), perHost.toFixed(2), `${(perHost / base).toFixed(2)}×`]
      }),
    ),
  )
  const last = inferWalk(captures[2] as Capture)
  if (last.hops.at(-1)?.kind !== 'deliver') throw new Error('bench: the 50-node capture did not walk to the pod')
  console.log('')
}
