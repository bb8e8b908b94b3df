/**
 * The node shell: a PRIVILEGED pod pinned to the source pod's node (hostNetwork, hostPID,
 * privileged: root on the node), created only when the user passes --node-shell <image> (or
 * fills the page's node-shell field), for clusters where no Cilium agent can stand in for the
 * node. It runs `sleep`, the node commands are exec'd in it, and it is deleted at the end of the
 * capture (activeDeadlineSeconds bounds it if packetwalk dies first).
 */
import crypto from 'node:crypto'
import { audit, type Requester } from '@/server/audit'
import type { KubeApi } from './api'
import { isImageRef } from './debug'
import { KubeError, errorMessage } from './errors'
import { checkNamespace, getPod } from './objects'

export const NODE_SHELL_PREFIX = 'packetwalk-node-shell-'
export const NODE_SHELL_CONTAINER = 'shell'
/** What the page and the CLI say before creating one. */
export const NODE_SHELL_PRIVILEGE = 'privileged pod with hostNetwork and hostPID: root on the node'

export interface NodeShellOptions {
  api: KubeApi
  who: Requester
  namespace: string
  node: string
  image: string
  waitMs?: number
  pollMs?: number
}

export interface NodeShell {
  namespace: string
  pod: string
  container: string
  remove(): Promise<void>
}

export function nodeShellManifest(name: string, namespace: string, node: string, image: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/name': 'packetwalk-node-shell' } },
    spec: {
      nodeName: node,
      hostNetwork: true,
      hostPID: true,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      activeDeadlineSeconds: 900,
      tolerations: [{ operator: 'Exists' }],
      containers: [{ name: NODE_SHELL_CONTAINER, image, command: ['sleep', '900'], imagePullPolicy: 'IfNotPresent', securityContext: { privileged: true } }],
    },
  }
}

export async function createNodeShell(o: NodeShellOptions): Promise<NodeShell> {
  if (!isImageRef(o.image)) throw new KubeError('invalid-input', `invalid node-shell image ${JSON.stringify(o.image.slice(0, 80))}`)
  checkNamespace(o.namespace)
  const name = NODE_SHELL_PREFIX + crypto.randomBytes(3).toString('hex')
  const base = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods`
  await o.api.send('POST', base, nodeShellManifest(name, o.namespace, o.node, o.image), 'application/json', `create pod ${o.namespace}/${name} (node shell)`)
  audit(o.who, { event: 'create', context: o.api.context, target: `node ${o.node}`, what: 'node shell', detail: `${o.namespace}/${name} image ${o.image} (${NODE_SHELL_PRIVILEGE})` })

  const remove = async () => {
    try {
      await o.api.send('DELETE', `${base}/${encodeURIComponent(name)}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 }, 'application/json', `delete pod ${o.namespace}/${name}`)
      audit(o.who, { event: 'create', context: o.api.context, target: `node ${o.node}`, what: 'node shell deleted', detail: `${o.namespace}/${name}` })
    } catch (e) {
      audit(o.who, { event: 'create', context: o.api.context, target: `node ${o.node}`, what: 'node shell NOT deleted', detail: `${o.namespace}/${name}: ${errorMessage(e)}` })
      throw new KubeError('api', `the node shell ${o.namespace}/${name} could not be deleted (${errorMessage(e)}): delete it with kubectl; it stops by itself after 15 minutes`)
    }
  }

  const deadline = Date.now() + (o.waitMs ?? 60_000)
  try {
    for (;;) {
      const pod = await getPod(o.api, o.namespace, name)
      const st = pod.raw.status?.containerStatuses?.find((c) => c.name === NODE_SHELL_CONTAINER)
      if (pod.phase === 'Running' && st?.state?.running) return { namespace: o.namespace, pod: name, container: NODE_SHELL_CONTAINER, remove }
      const waiting = st?.state?.waiting?.reason
      if (waiting && /ErrImagePull|ImagePullBackOff|InvalidImageName/.test(waiting)) throw new KubeError('not-running', `the node-shell image ${o.image} cannot be pulled (${waiting})`)
      if (pod.phase === 'Failed' || pod.phase === 'Succeeded') throw new KubeError('not-running', `the node shell ${o.namespace}/${name} stopped (phase ${pod.phase}): its image must provide "sleep"`)
      if (Date.now() > deadline) throw new KubeError('timeout', `the node shell ${o.namespace}/${name} was not running after ${Math.round((o.waitMs ?? 60_000) / 1000)} s`)
      await new Promise((r) => setTimeout(r, o.pollMs ?? 500))
    }
  } catch (e) {
    await remove().catch(() => undefined)
    throw e
  }
}
