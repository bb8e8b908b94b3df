/**
 * An ephemeral debug container in the source pod, for images without `ip` or even `cat`, created
 * only when the user names an image (the page's "debug image", the CLI's --debug-image). It
 * shares the pod's network namespace, so the pod commands run in it see the pod's interfaces;
 * `targetContainerName` also shares the target container's process namespace, as `kubectl debug
 * --target` does. Ephemeral containers cannot be removed: an existing running one of the same
 * image is reused.
 */
import crypto from 'node:crypto'
import { audit, type Requester } from '@/server/audit'
import type { KubeApi } from './api'
import { KubeError } from './errors'
import { getPod, type RawPod } from './objects'

const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?'
/** The distribution reference grammar (docker/distribution reference/regexp.go), tag and sha256 digest. */
const IMAGE_RE = new RegExp(`^(?:${DOMAIN}/)?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`)

/** `nicolaka/netshoot:v0.13`, `busybox`, `registry.local:5000/tools/net@sha256:…`. */
export function isImageRef(s: string): boolean {
  return s.length > 0 && s.length <= 255 && IMAGE_RE.test(s)
}

export const DEBUG_PREFIX = 'packetwalk-debug-'
/** Keeps the container alive so that commands can be exec'd in it; the image needs `sleep`. */
export const DEBUG_COMMAND = ['sleep', '86400']

type EphemeralStatus = NonNullable<NonNullable<RawPod['status']>['ephemeralContainerStatuses']>[number]

function statusOf(pod: RawPod, name: string): EphemeralStatus | undefined {
  return pod.status?.ephemeralContainerStatuses?.find((s) => s.name === name)
}

export interface DebugContainerOptions {
  api: KubeApi
  who: Requester
  namespace: string
  pod: string
  image: string
  /** the pod's container whose namespaces the debug container joins */
  targetContainer: string
  waitMs?: number
  pollMs?: number
}

/** Creates (or reuses) the debug container and waits until it runs. Returns its name. */
export async function ensureDebugContainer(o: DebugContainerOptions): Promise<string> {
  if (!isImageRef(o.image)) {
    throw new KubeError('invalid-input', `invalid debug image ${JSON.stringify(o.image.slice(0, 80))}: write an image reference such as nicolaka/netshoot:v0.13`)
  }
  const current = await getPod(o.api, o.namespace, o.pod)
  const reusable = (current.raw.spec?.ephemeralContainers ?? []).find(
    (c) => c.name?.startsWith(DEBUG_PREFIX) && c.image === o.image && statusOf(current.raw, c.name)?.state?.running,
  )
  if (reusable?.name) return reusable.name

  const name = DEBUG_PREFIX + crypto.randomBytes(3).toString('hex')
  const container = {
    name,
    image: o.image,
    targetContainerName: o.targetContainer,
    command: DEBUG_COMMAND,
    imagePullPolicy: 'IfNotPresent',
    stdin: false,
    tty: false,
  }
  const path = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/ephemeralcontainers`
  await o.api.send('PATCH', path, { spec: { ephemeralContainers: [container] } }, 'application/strategic-merge-patch+json', `patch pods/ephemeralcontainers of ${o.namespace}/${o.pod}`)
  audit(o.who, { event: 'create', context: o.api.context, target: `pod ${o.namespace}/${o.pod}`, what: 'ephemeral container', detail: `${name} image ${o.image} target ${o.targetContainer}` })

  const deadline = Date.now() + (o.waitMs ?? 60_000)
  for (;;) {
    const pod = await getPod(o.api, o.namespace, o.pod)
    const st = statusOf(pod.raw, name)
    if (st?.state?.running) return name
    const waiting = st?.state?.waiting?.reason
    if (waiting && /ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull/.test(waiting)) {
      throw new KubeError('not-running', `the debug image ${o.image} cannot be pulled (${waiting}${st?.state?.waiting?.message ? `: ${st.state.waiting.message}` : ''})`)
    }
    if (st?.state?.terminated) {
      throw new KubeError('not-running', `the debug container ${name} exited (${st.state.terminated.reason ?? 'no reason'}): its image must provide "sleep"`)
    }
    if (Date.now() > deadline) throw new KubeError('timeout', `the debug container ${name} (${o.image}) was not running after ${Math.round((o.waitMs ?? 60_000) / 1000)} s`)
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500))
  }
}
