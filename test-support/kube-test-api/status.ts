/**
 * `metav1.Status` objects exactly as a real kube-apiserver / kubelet prints them, so a client
 * (and our collector's error messages) meet the same shapes against the test double as against
 * a cluster. Field order follows the apiserver's JSON encoder (kind, apiVersion, metadata, status,
 * message, reason, details, code).
 */

export interface StatusCause {
  reason?: string
  message?: string
  field?: string
}

export interface Status {
  kind?: 'Status'
  apiVersion?: 'v1'
  metadata: Record<string, never>
  status: 'Success' | 'Failure'
  message?: string
  reason?: string
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] }
  code?: number
}

function failure(code: number, reason: string, message: string, details?: Status['details']): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason }
  if (details) s.details = details
  s.code = code
  return s
}

/** A missing or wrong bearer token. The apiserver says nothing more than this on purpose. */
export function unauthorized(): Status {
  return failure(401, 'Unauthorized', 'Unauthorized')
}

/**
 * RBAC denial. `resource` is the plural (pods, nodes) with an optional subresource (pods/exec);
 * the message reads like the apiserver's: `pods "client" is forbidden: User "x" cannot create
 * resource "pods/exec" in API group "" in the namespace "default"`.
 */
export function forbidden(opts: { user: string; verb: string; resource: string; name?: string; namespace?: string; group?: string; registryCheck?: boolean }): Status {
  const [plural = opts.resource, sub] = opts.resource.split('/')
  const group = opts.group ?? ''
  const qualified = group ? `${plural}.${group}` : plural
  const what = opts.name ? `${qualified} "${opts.name}"` : qualified
  const scope = opts.namespace ? `in the namespace "${opts.namespace}"` : 'at the cluster scope'
  // registryCheck: a check made inside the registry (apierrors.NewForbidden with the authorizer's
  // reason, empty for RBAC) rather than by the authorization filter (responsewriters.Forbidden)
  const message = opts.registryCheck
    ? `${what} is forbidden: `
    : `${what} is forbidden: User "${opts.user}" cannot ${opts.verb} resource "${sub ? `${plural}/${sub}` : plural}" in API group "${group}" ${scope}`
  const details: NonNullable<Status['details']> = {}
  if (opts.name) details.name = opts.name
  if (group) details.group = group
  details.kind = plural
  return failure(403, 'Forbidden', message, details)
}

/** An object that does not exist: `pods "nope" not found`. */
export function notFound(kind: string, name: string): Status {
  return failure(404, 'NotFound', `${kind} "${name}" not found`, { name, kind })
}

/** A path the apiserver does not serve at all. */
export function pathNotFound(): Status {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {})
}

export function badRequest(message: string): Status {
  return failure(400, 'BadRequest', message)
}

export function methodNotAllowed(): Status {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {})
}

/** apierrors.NewInternalError: what kubelet sends on the error channel when the runtime cannot start a process. */
export function internalError(err: string): Status {
  return failure(500, 'InternalError', `Internal error occurred: ${err}`, { causes: [{ message: err }] })
}

/** The error-channel status of a process that exited 0 (kubelet writes no kind/apiVersion there). */
export function execSuccess(): Status {
  return { metadata: {}, status: 'Success' }
}

/**
 * The error-channel status of a process that exited non-zero, as kubelet writes it
 * (pkg/kubelet/cri/streaming/remotecommand/exec.go): the exit code is the one cause.
 */
export function execNonZeroExit(argv: readonly string[], exitCode: number): Status {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  }
}

/**
 * What containerd answers when the executable is missing from the container's image: the process
 * never starts, so there is no exit code, only an internal error that names the binary.
 */
export function execNotFound(binary: string, execId: string): Status {
  const err =
    `error executing command in container: failed to exec in container: failed to start exec "${execId}": ` +
    `OCI runtime exec failed: exec failed: unable to start container process: exec: "${binary}": executable file not found in $PATH: unknown`
  const s = internalError(err)
  // kubelet writes error-channel statuses without kind/apiVersion
  delete s.kind
  delete s.apiVersion
  return s
}
