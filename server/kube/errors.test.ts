import { describe, expect, it } from 'vitest'
import { errorFromNetwork, errorFromResponse, parseForbidden } from './errors'
import { parseDestination } from './destination'
import { isImageRef } from './debug'

describe('parseForbidden', () => {
  it('reads verb, subresource and namespace from the authorizer message', () => {
    const m = 'pods "client" is forbidden: User "system:serviceaccount:tp:student" cannot create resource "pods/exec" in API group "" in the namespace "default"'
    expect(parseForbidden(m)).toEqual({ user: 'system:serviceaccount:tp:student', verb: 'create', resource: 'pods/exec', group: '', namespace: 'default' })
  })

  it('reads cluster-scoped refusals', () => {
    const m = 'namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope'
    expect(parseForbidden(m)).toMatchObject({ verb: 'list', resource: 'namespaces', namespace: undefined })
  })

  it('reads the short form people paste', () => {
    expect(parseForbidden('forbidden: User X cannot create resource pods/exec in namespace Y')).toMatchObject({ user: 'X', verb: 'create', resource: 'pods/exec', namespace: 'Y' })
  })
})

describe('errorFromResponse', () => {
  it('turns a 403 Status into the missing permission', () => {
    const body = JSON.stringify({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'pods "client" is forbidden: User "lab-viewer" cannot create resource "pods/exec" in API group "" in the namespace "default"',
      reason: 'Forbidden', details: { name: 'client', kind: 'pods' }, code: 403,
    })
    const e = errorFromResponse(403, body, 'exec ip in pod default/client', 'lab')
    expect(e.kind).toBe('forbidden')
    expect(e.message).toMatch(/^missing RBAC: create pods\/exec in namespace default for user lab-viewer/)
  })

  it('says which pods/exec verb is missing for which Kubernetes version', () => {
    // 1.34 and older (and 1.35's first check): the WebSocket upgrade is a GET, authorised as get
    const get = { kind: 'Status', message: 'pods "client" is forbidden: User "lab-exec-create" cannot get resource "pods/exec" in API group "" in the namespace "default"', code: 403 }
    expect(errorFromResponse(403, get, 'exec in pod default/client (container client)', 'lab').message).toBe(
      'missing RBAC: get pods/exec in namespace default for user lab-exec-create (every API server authorises exec over WebSocket as "get pods/exec" (and from Kubernetes 1.35 also as "create"): grant both get and create) — see deploy/rbac.yaml (while trying to exec in pod default/client (container client))',
    )
    // 1.35's registry check: apierrors.NewForbidden with RBAC's empty reason names no verb
    const create = errorFromResponse(403, { kind: 'Status', message: 'pods "client" is forbidden: ', code: 403 }, 'exec in pod default/client (container client)', 'lab')
    expect(create.kind).toBe('forbidden')
    expect(create.message).toMatch(/^missing RBAC: create pods\/exec in namespace default \(API servers from Kubernetes 1\.35 also authorise exec over WebSocket as "create pods\/exec" \(before 1\.35 "get" was enough\): grant both get and create\) — see deploy\/rbac\.yaml/)
    // the same bare message for another request is not guessed at
    expect(errorFromResponse(403, { kind: 'Status', message: 'pods "client" is forbidden: ', code: 403 }, 'get pod default/client', 'lab').message).toBe('forbidden: pods "client" is forbidden:  (while trying to get pod default/client)')
  })

  it('names the apps group and cluster scope', () => {
    const body = { kind: 'Status', message: 'daemonsets.apps is forbidden: User "bob" cannot list resource "daemonsets" in API group "apps" at the cluster scope', code: 403 }
    expect(errorFromResponse(403, body, 'list daemonsets', 'c').message).toMatch(/^missing RBAC: list daemonsets \(API group apps\) at the cluster scope/)
  })

  it('says expired credentials on 401', () => {
    const e = errorFromResponse(401, { kind: 'Status', message: 'Unauthorized', code: 401 }, 'list namespaces', 'prod')
    expect(e.kind).toBe('unauthorized')
    expect(e.message).toContain('context "prod"')
    expect(e.message).toContain('expired')
  })

  it('network errors name the server', () => {
    const e = errorFromNetwork(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'https://127.0.0.1:1', 'c')
    expect(e.kind).toBe('unreachable')
    expect(e.message).toBe('cannot reach the API server https://127.0.0.1:1 of context "c": connection refused (ECONNREFUSED)')
  })
})

describe('parseDestination', () => {
  it('reads ip, port and protocol', () => {
    expect(parseDestination('1.0.0.1:80/tcp')).toEqual({ kind: 'ip', ip: '1.0.0.1', port: 80, protocol: 'tcp' })
    expect(parseDestination('1.0.0.1')).toEqual({ kind: 'ip', ip: '1.0.0.1', port: undefined, protocol: 'icmp' })
    expect(parseDestination('10.245.0.10:53/udp')).toMatchObject({ port: 53, protocol: 'udp' })
    expect(parseDestination('[fd00::1]:443')).toMatchObject({ ip: 'fd00::1', port: 443, protocol: 'tcp' })
  })

  it('reads pods and services', () => {
    expect(parseDestination('svc/default/web:80')).toEqual({ kind: 'service', namespace: 'default', name: 'web', port: 80, protocol: 'tcp' })
    expect(parseDestination('pod/kube-system/coredns-6f9c')).toMatchObject({ kind: 'pod', namespace: 'kube-system', name: 'coredns-6f9c' })
  })

  it('refuses injection and nonsense', () => {
    for (const bad of ['1.0.0.1;reboot', '1.0.0.1:80/tcp $(id)', '1.0.0.1:0', '1.0.0.1:99999', 'svc/default/$(id)', 'pod/../etc', '-c', '1.0.0.1:80/icmp', '']) {
      expect(() => parseDestination(bad), bad).toThrow(/invalid destination|invalid (pod|namespace) name|must be written/)
    }
  })
})

describe('isImageRef', () => {
  it('accepts image references and refuses anything else', () => {
    for (const ok of ['busybox', 'nicolaka/netshoot:v0.13', 'registry.local:5000/tools/net@sha256:' + 'a'.repeat(64), 'ghcr.io/a/b:1.0']) expect(isImageRef(ok), ok).toBe(true)
    for (const bad of ['', 'busybox; reboot', 'Busybox', '--privileged', 'a b', 'x:$(id)']) expect(isImageRef(bad), bad).toBe(false)
  })
})
