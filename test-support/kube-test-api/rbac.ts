/**
 * The double's users and what RBAC lets them do, and how an API server of a given version
 * authorises exec over WebSocket.
 *
 * Exec over WebSocket is an HTTP GET, so the apiserver's authorization filter checks
 * `get pods/exec` (verb from the method: GET → get, POST → create). From Kubernetes 1.35 the pod
 * registry also checks `create` on the upgrade (feature gate AuthorizePodWebsocketUpgradeCreatePermission,
 * beta and on by default in 1.35; kubernetes/kubernetes#134577, KEP-4006,
 * pkg/registry/core/pod/rest/subresources.go ExecREST.Connect → ensureAuthorizedForVerb(ctx, a, "create")).
 * So before 1.35 a WebSocket exec needs `get`; from 1.35 it needs `get` and `create`. SPDY (POST)
 * needs `create` on every version.
 */
import { forbidden, type Status } from './status'

export type KubeVersion = '1.34' | '1.35'
export const KUBE_VERSIONS: readonly KubeVersion[] = ['1.34', '1.35']

/** /version of each modelled release (the real release's gitVersion and commit). */
export const VERSION_INFO: Record<KubeVersion, { gitVersion: string; gitCommit: string; buildDate: string; goVersion: string }> = {
  '1.34': { gitVersion: 'v1.34.2', gitCommit: '8cc511e399b929453cd98ae65b419c3cc227ec79', buildDate: '2025-11-11T19:04:51Z', goVersion: 'go1.24.9' },
  '1.35': { gitVersion: 'v1.35.0', gitCommit: '66452049f3d692768c39c797b21b793dce80314e', buildDate: '2025-12-17T12:32:06Z', goVersion: 'go1.25.5' },
}

export interface Rule {
  verbs: string[]
  /** plural with optional subresource: pods, pods/exec, daemonsets; '*' for all */
  resources: string[]
}

export interface TestUser {
  name: string
  token: string
  rules: Rule[]
}

const READ: Rule = { verbs: ['get', 'list', 'watch'], resources: ['pods', 'nodes', 'services', 'configmaps', 'namespaces', 'daemonsets'] }

/** The roles of the double's users, by kubeconfig context. */
export const ROLES: Record<string, { user: string; rules: Rule[] }> = {
  lab: { user: 'kubernetes-admin', rules: [{ verbs: ['*'], resources: ['*'] }] },
  'lab-viewer': { user: 'lab-viewer', rules: [READ] },
  'lab-nobody': { user: 'lab-nobody', rules: [] },
  'lab-exec-get': { user: 'lab-exec-get', rules: [READ, { verbs: ['get'], resources: ['pods/exec'] }] },
  'lab-exec-create': { user: 'lab-exec-create', rules: [READ, { verbs: ['create'], resources: ['pods/exec'] }] },
}

export function allowed(user: TestUser, verb: string, resource: string): boolean {
  return user.rules.some((r) => (r.verbs.includes('*') || r.verbs.includes(verb)) && (r.resources.includes('*') || r.resources.includes(resource)))
}

/**
 * Authorises an exec request as an apiserver of `version` does; a 403 Status when refused.
 * `transport` is how the client came: WebSocket (GET) or SPDY (POST).
 */
export function authorizeExec(o: { user: TestUser; version: KubeVersion; transport: 'websocket' | 'spdy'; pod: string; namespace: string }): Status | undefined {
  const filterVerb = o.transport === 'websocket' ? 'get' : 'create'
  if (!allowed(o.user, filterVerb, 'pods/exec')) {
    return forbidden({ user: o.user.name, verb: filterVerb, resource: 'pods/exec', name: o.pod, namespace: o.namespace })
  }
  if (o.transport === 'websocket' && o.version >= '1.35' && !allowed(o.user, 'create', 'pods/exec')) {
    // apierrors.NewForbidden(pods, name, errors.New(reason)): RBAC gives no reason when no rule
    // matches, so the message ends after the colon and does not name the verb
    return forbidden({ user: o.user.name, verb: 'create', resource: 'pods/exec', name: o.pod, namespace: o.namespace, registryCheck: true })
  }
  return undefined
}
