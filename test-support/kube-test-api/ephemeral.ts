/**
 * Ephemeral containers (`PATCH pods/{name}/ephemeralcontainers`, what `kubectl debug` and the
 * collector's debug image use). An ephemeral container of the double shares its pod's network
 * namespace and this machine's tools (a netshoot-like image). Whether its image "pulls" is decided
 * by `pullableImages` (the images present on the node); any other image fails as kubelet reports it
 * (pkg/kubelet/images/image_manager.go): first ErrImagePull with the runtime's error as the
 * message, then ImagePullBackOff with `Back-off pulling image "<ref>"`.
 */
import type { Status } from './status'

/** Images the double's node "has": they start. Others cannot be pulled. */
export const NODE_IMAGES = ['nicolaka/netshoot:v0.13', 'docker.io/nicolaka/netshoot:v0.13', 'busybox:1.36', 'docker.io/library/busybox:1.36']

/** How long a new container waits (ContainerCreating) and how long ErrImagePull shows before the back-off. */
export const START_MS = 300
export const ERR_IMAGE_PULL_MS = 1500

export interface EphemeralContainer {
  name: string
  image: string
  command?: string[]
  args?: string[]
  targetContainerName?: string
  imagePullPolicy?: string
  stdin?: boolean
  tty?: boolean
  /** when the patch added it */
  addedAt: number
}

type Json = Record<string, unknown>

/** kubelet's applyDefaultImageTag: `busybox` → `busybox:latest`; digests and tags stay. */
export function withDefaultTag(image: string): string {
  if (image.includes('@')) return image
  const lastSlash = image.lastIndexOf('/')
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`
}

/** containerd's fully qualified reference: docker.io/library/busybox:latest. */
function qualified(ref: string): string {
  const first = ref.split('/')[0] ?? ''
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
  if (hasRegistry) return ref
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`
}

/** The `state` of an ephemeral container's status at time `now`. */
export function ephemeralState(c: EphemeralContainer, pullable: readonly string[], now: number): Json {
  const ref = withDefaultTag(c.image)
  const since = now - c.addedAt
  if (!pullable.includes(c.image) && !pullable.includes(ref)) {
    if (since < ERR_IMAGE_PULL_MS) {
      const q = qualified(ref)
      return {
        waiting: {
          reason: 'ErrImagePull',
          // containerd's answer for a reference the registry does not know, as the kubelet puts it in the status
          message: `rpc error: code = NotFound desc = failed to pull and unpack image "${q}": failed to resolve reference "${q}": ${q}: not found`,
        },
      }
    }
    return { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${ref}"` } }
  }
  if (since < START_MS) return { waiting: { reason: 'ContainerCreating' } }
  return { running: { startedAt: new Date(c.addedAt + START_MS).toISOString().replace(/\.\d+Z$/, 'Z') } }
}

export function isRunning(c: EphemeralContainer, pullable: readonly string[], now = Date.now()): boolean {
  return 'running' in ephemeralState(c, pullable, now)
}

/** The spec entry as the apiserver returns it (defaults filled in). */
export function ephemeralSpec(c: EphemeralContainer): Json {
  const spec: Json = { name: c.name, image: c.image }
  if (c.command) spec.command = c.command
  if (c.args) spec.args = c.args
  spec.resources = {}
  spec.terminationMessagePath = '/dev/termination-log'
  spec.terminationMessagePolicy = 'File'
  spec.imagePullPolicy = c.imagePullPolicy ?? (withDefaultTag(c.image).endsWith(':latest') ? 'Always' : 'IfNotPresent')
  if (c.stdin) spec.stdin = true
  if (c.tty) spec.tty = true
  if (c.targetContainerName) spec.targetContainerName = c.targetContainerName
  return spec
}

export function ephemeralStatus(c: EphemeralContainer, pullable: readonly string[], now = Date.now()): Json {
  const state = ephemeralState(c, pullable, now)
  const running = 'running' in state
  return {
    name: c.name,
    state,
    lastState: {},
    ready: false,
    restartCount: 0,
    image: c.image,
    imageID: running ? `${qualified(withDefaultTag(c.image)).replace(/:[^:/]+$/, '')}@sha256:${'0'.repeat(64)}` : '',
    ...(running ? { containerID: `containerd://${Buffer.from(c.name).toString('hex').padEnd(64, '0').slice(0, 64)}` } : {}),
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

function invalid(pod: string, causes: { field: string; message: string; reason: string }[]): Status {
  const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ')
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `Pod "${pod}" is invalid: ${causes.length > 1 ? `[${text}]` : text}`,
    reason: 'Invalid',
    details: { name: pod, kind: 'Pod', causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })) },
    code: 422,
  }
}

/**
 * Applies a strategic-merge (or JSON merge) patch of `spec.ephemeralContainers` (merge key: name)
 * with the apiserver's validation (pkg/apis/core/validation ValidateEphemeralContainers): new names
 * are DNS labels not used by another container, an image is required, existing entries may not change.
 */
export function applyEphemeralPatch(o: { pod: string; containers: string[]; existing: EphemeralContainer[]; patch: unknown; now: number }): { ok: EphemeralContainer[] } | { error: Status } {
  const list = (o.patch as { spec?: { ephemeralContainers?: unknown } } | null)?.spec?.ephemeralContainers
  if (!Array.isArray(list)) return { error: invalid(o.pod, [{ field: 'spec.ephemeralContainers', message: 'Required value', reason: 'FieldValueRequired' }]) }
  const result = [...o.existing]
  const causes: { field: string; message: string; reason: string }[] = []
  list.forEach((raw: unknown) => {
    const c = (raw ?? {}) as Partial<EphemeralContainer>
    const field = `spec.ephemeralContainers[${result.length}]`
    if (typeof c.name !== 'string' || c.name === '') return causes.push({ field: `${field}.name`, message: 'Required value', reason: 'FieldValueRequired' })
    const prior = o.existing.find((e) => e.name === c.name)
    if (prior) {
      if (prior.image !== c.image) causes.push({ field: 'spec.ephemeralContainers', message: `Forbidden: existing ephemeral containers "${c.name}" may not be changed`, reason: 'FieldValueForbidden' })
      return
    }
    if (!DNS_LABEL.test(c.name) || c.name.length > 63) causes.push({ field: `${field}.name`, message: `Invalid value: "${c.name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`, reason: 'FieldValueInvalid' })
    if (o.containers.includes(c.name) || result.some((e) => e.name === c.name)) causes.push({ field: `${field}.name`, message: `Duplicate value: "${c.name}"`, reason: 'FieldValueDuplicate' })
    if (typeof c.image !== 'string' || c.image.trim() === '') causes.push({ field: `${field}.image`, message: 'Required value', reason: 'FieldValueRequired' })
    if (c.targetContainerName !== undefined && !o.containers.includes(c.targetContainerName)) {
      causes.push({ field: `${field}.targetContainerName`, message: `Not found: "${c.targetContainerName}"`, reason: 'FieldValueNotFound' })
    }
    result.push({
      name: c.name,
      image: String(c.image ?? ''),
      command: Array.isArray(c.command) ? c.command.map(String) : undefined,
      args: Array.isArray(c.args) ? c.args.map(String) : undefined,
      targetContainerName: c.targetContainerName,
      imagePullPolicy: typeof c.imagePullPolicy === 'string' ? c.imagePullPolicy : undefined,
      stdin: c.stdin === true,
      tty: c.tty === true,
      addedAt: o.now,
    })
  })
  if (causes.length) return { error: invalid(o.pod, causes) }
  return { ok: result }
}
