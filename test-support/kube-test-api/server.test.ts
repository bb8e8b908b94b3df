/**
 * The test double against the unmodified @kubernetes/client-node 1.4 (CoreV1Api, Exec) and a raw
 * WebSocket client, so both the REST shapes and the exec channel protocol are what a client of a
 * real cluster meets. Exec tests run as root in a throw-away network namespace of their own
 * (not the lab's pw-*, which other tests build and tear down concurrently).
 */
import { execFileSync } from 'node:child_process'
import type http from 'node:http'
import https from 'node:https'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { ApiException, CoreV1Api, Exec, KubeConfig, type V1Status } from '@kubernetes/client-node'
import { AGENT_POD, CLIENT_POD, labClusterSpec } from './cluster'
import { findExecutable } from './exec'
import { ERR_IMAGE_PULL_MS } from './ephemeral'
import { startKubeTestApi, type KubeTestApi, type KubeVersion } from './server'

const root = process.getuid?.() === 0
const NS = `ktapi${process.pid}`
const TEST_IP = '198.18.0.77'

/** A namespace with a veth pair kt0/kt1, TEST_IP on kt0 and a default route through it. */
function makeNetns(name: string): void {
  execFileSync('ip', ['netns', 'add', name])
  execFileSync('ip', ['-n', name, 'link', 'add', 'kt0', 'type', 'veth', 'peer', 'name', 'kt1'])
  execFileSync('ip', ['-n', name, 'addr', 'add', `${TEST_IP}/24`, 'dev', 'kt0'])
  execFileSync('ip', ['-n', name, 'link', 'set', 'kt1', 'up'])
  execFileSync('ip', ['-n', name, 'link', 'set', 'kt0', 'up'])
  execFileSync('ip', ['-n', name, 'route', 'add', 'default', 'dev', 'kt0'])
}

function removeNetns(name: string): void {
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' })
  } catch {
    // never created (setup failed early)
  }
}

function kubeConfig(api: KubeTestApi, context = 'lab'): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromString(api.kubeconfig())
  kc.setCurrentContext(context)
  return kc
}

class Sink extends Writable {
  text = ''
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString('utf8')
    cb()
  }
}

/** client-node's Exec, waited for until the socket closes. */
async function clientExec(kc: KubeConfig, pod: { namespace: string; name: string }, container: string, argv: string[]) {
  const out = new Sink()
  const err = new Sink()
  let status: V1Status | undefined
  const ws = (await new Exec(kc).exec(pod.namespace, pod.name, container, argv, out, err, null, false, (s) => {
    status = s
  })) as unknown as WebSocket
  await new Promise<void>((resolve) => (ws.readyState === WebSocket.CLOSED ? resolve() : ws.on('close', () => resolve())))
  return { stdout: out.text, stderr: err.text, status }
}

/** A raw exec: every frame as received, with the negotiated protocol. */
async function rawExec(api: KubeTestApi, argv: string[], protocols: string[]) {
  const q = new URLSearchParams({ container: 'client', stdout: 'true', stderr: 'true' })
  for (const a of argv) q.append('command', a)
  const ws = new WebSocket(`wss://127.0.0.1:${api.port}/api/v1/namespaces/default/pods/client/exec?${q}`, protocols, {
    headers: { Authorization: `Bearer ${api.users.admin.token}` },
    ca: api.ca,
  })
  const frames: Buffer[] = []
  ws.on('message', (d: Buffer) => frames.push(d))
  await new Promise<void>((resolve, reject) => {
    ws.on('close', () => resolve())
    ws.on('error', reject)
  })
  return { protocol: ws.protocol, frames }
}

/** The HTTP answer to a WebSocket upgrade the server refuses. */
function refusedUpgrade(api: KubeTestApi, path: string, token: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${api.port}${path}`, ['v5.channel.k8s.io'], { headers: { Authorization: `Bearer ${token}` }, ca: api.ca })
    ws.on('open', () => reject(new Error('the upgrade was accepted')))
    ws.on('error', () => undefined)
    ws.on('unexpected-response', (_req, res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }))
    })
  })
}

/** One HTTPS request to the double, trusting its CA (as a kubeconfig's certificate-authority-data does). */
export function httpsRequest(api: KubeTestApi, method: string, path: string, opts: { token?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ code: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${api.url}${path}`, { method, ca: api.ca, headers: { Authorization: `Bearer ${opts.token ?? api.users.admin.token}`, ...(opts.headers ?? {}) } }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

async function httpGet(api: KubeTestApi, path: string, token = api.users.admin.token) {
  const r = await httpsRequest(api, 'GET', path, { token })
  return { code: r.code, body: JSON.parse(r.text) as Record<string, unknown> }
}

describe('kube-test-api REST', () => {
  let api: KubeTestApi
  beforeAll(async () => {
    if (root) makeNetns(NS)
    api = await startKubeTestApi({ cluster: labClusterSpec({ pod: NS, node: NS }), refuseArgv: null, maxExecMs: 1500 })
  })
  afterAll(async () => {
    await api?.close()
    if (root) removeNetns(NS)
  })

  it('lists pods through the unmodified CoreV1Api, with the lab fields the collector reads', async () => {
    const core = kubeConfig(api).makeApiClient(CoreV1Api)
    const pods = await core.listNamespacedPod({ namespace: 'default' })
    expect(pods.items.map((p) => p.metadata?.name)).toEqual(['client'])
    const agents = await core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'k8s-app=cilium', fieldSelector: 'spec.nodeName=lab-node' })
    expect(agents.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([`${AGENT_POD.namespace}/${AGENT_POD.name}`])
    expect(agents.items[0]?.spec?.hostNetwork).toBe(true)
    const none = await core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' })
    expect(none.items).toHaveLength(0)
    const cm = await core.readNamespacedConfigMap({ namespace: 'kube-system', name: 'cilium-config' })
    expect(cm.data?.['routing-mode']).toBe('native')
    expect(cm.data?.['enable-bpf-masquerade']).toBe('false')
    expect(cm.data?.['enable-ipv4-masquerade']).toBe('true')
    expect(cm.data?.['enable-host-legacy-routing']).toBe('true')
    expect(cm.data?.['kube-proxy-replacement']).toBe('partial')
    expect(cm.data?.['ipv4-native-routing-cidr']).toBe('10.244.0.0/16')
    const nodes = await core.listNode()
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['lab-node'])
    const ns = await core.listNamespace()
    expect(ns.items.map((n) => n.metadata?.name)).toContain('kube-system')
  })

  it.skipIf(!root)('reports the pod IP the namespace really has, and phase Running', async () => {
    const core = kubeConfig(api).makeApiClient(CoreV1Api)
    const pod = await core.readNamespacedPod({ namespace: CLIENT_POD.namespace, name: CLIENT_POD.name })
    expect(pod.status?.phase).toBe('Running')
    expect(pod.status?.podIP).toBe(TEST_IP)
    expect(pod.spec?.nodeName).toBe('lab-node')
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['client'])
  })

  it('answers 404 with the apiserver Status of a missing pod', async () => {
    const core = kubeConfig(api).makeApiClient(CoreV1Api)
    const e = await core.readNamespacedPod({ namespace: 'default', name: 'nope' }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiException)
    expect((e as ApiException<string>).code).toBe(404)
    expect(JSON.parse((e as ApiException<string>).body)).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'pods' }, code: 404,
    })
  })

  it('answers 401 to a bad token and 403 with the RBAC wording to a user without rights', async () => {
    const bad = await httpGet(api, '/api/v1/namespaces/default/pods', 'not-a-token')
    expect(bad).toEqual({ code: 401, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 } })

    const core = kubeConfig(api, 'lab-nobody').makeApiClient(CoreV1Api)
    const e = (await core.listNamespacedPod({ namespace: 'default' }).catch((x: unknown) => x)) as ApiException<string>
    expect(e.code).toBe(403)
    expect(JSON.parse(e.body)).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'pods is forbidden: User "lab-nobody" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: 'Forbidden', details: { kind: 'pods' }, code: 403,
    })
    const nodes = await httpGet(api, '/api/v1/nodes', api.users.nobody.token)
    expect(nodes.body.message).toBe('nodes is forbidden: User "lab-nobody" cannot list resource "nodes" in API group "" at the cluster scope')
  })

  it('refuses exec to a user who may only read, with the 403 Status on the upgrade', async () => {
    const before = api.execLog.length
    // client-node rejects with the ws ErrorEvent of the refused upgrade
    const e = (await clientExec(kubeConfig(api, 'lab-viewer'), CLIENT_POD, 'client', ['ip', 'addr']).catch((x: unknown) => x)) as { message?: string }
    expect(e.message).toBe('Unexpected server response: 403')
    const q = new URLSearchParams({ command: 'ip', container: 'client', stdout: 'true' })
    const res = await refusedUpgrade(api, `/api/v1/namespaces/default/pods/client/exec?${q}`, api.users.viewer.token)
    expect(res.status).toBe(403)
    expect(res.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      // the upgrade is a GET: the authorization filter checks `get pods/exec` first
      message: 'pods "client" is forbidden: User "lab-viewer" cannot get resource "pods/exec" in API group "" in the namespace "default"',
      reason: 'Forbidden', details: { name: 'client', kind: 'pods' }, code: 403,
    })
    expect(api.execLog.slice(before).map((l) => l.outcome)).toEqual(['forbidden', 'forbidden'])
  })

  it('wants an upgrade for exec and rejects an unknown container like the apiserver', async () => {
    const plain = await httpGet(api, '/api/v1/namespaces/default/pods/client/exec?command=ip')
    expect(plain.code).toBe(400)
    expect(plain.body.message).toBe('Upgrade request required')
    const e = (await clientExec(kubeConfig(api), CLIENT_POD, 'nginx', ['ip', 'addr']).catch((x: unknown) => x)) as Error
    expect(e.message).toBe('Unexpected server response: 400')
    expect(api.execLog.at(-1)).toMatchObject({ pod: 'client', container: 'nginx', outcome: 'rejected' })
  })

  it('adds the configured latency to every request', async () => {
    const slow = await startKubeTestApi({ cluster: labClusterSpec({ pod: NS, node: NS }), latencyMs: 50 })
    try {
      const t = performance.now()
      const r = await httpGet(slow, '/version')
      expect(r.body.gitVersion).toBe('v1.35.0')
      expect(performance.now() - t).toBeGreaterThanOrEqual(49)
    } finally {
      await slow.close()
    }
  })
})

describe.skipIf(!root)('kube-test-api exec (root: runs in a network namespace)', () => {
  let api: KubeTestApi
  let strict: KubeTestApi
  beforeAll(async () => {
    makeNetns(`${NS}x`)
    const cluster = labClusterSpec({ pod: `${NS}x`, node: `${NS}x` })
    api = await startKubeTestApi({ cluster, refuseArgv: null, maxExecMs: 1500 })
    strict = await startKubeTestApi({ cluster }) // the project's allowlist
  })
  afterAll(async () => {
    await api?.close()
    await strict?.close()
    removeNetns(`${NS}x`)
  })

  it('runs `ip addr` in the pod namespace through the unmodified client-node Exec', async () => {
    const r = await clientExec(kubeConfig(api), CLIENT_POD, 'client', ['ip', 'addr'])
    expect(r.status).toEqual({ metadata: {}, status: 'Success' })
    expect(r.stdout).toMatch(/^1: lo: <LOOPBACK> mtu 65536/m)
    expect(r.stdout).toMatch(/^\d+: kt0@kt1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 .* state UP/m)
    expect(r.stdout).toContain(`inet ${TEST_IP}/24 scope global kt0`)
    expect(r.stderr).toBe('')
    expect(api.execLog.at(-1)).toMatchObject({ argv: ['ip', 'addr'], netns: `${NS}x`, outcome: 'ran', exitCode: 0, protocol: 'v5.channel.k8s.io' })
  })

  it('maps a non-zero exit to the NonZeroExitCode status with the code as its cause', async () => {
    const r = await clientExec(kubeConfig(api), CLIENT_POD, 'client', ['ip', 'link', 'show', 'dev', 'nosuchdev0'])
    expect(r.stderr).toBe('Device "nosuchdev0" does not exist.\n')
    expect(r.status).toEqual({
      metadata: {}, status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [ip link show dev nosuchdev0], exit code 1',
      reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '1' }] },
    })
  })

  it('answers a missing executable as containerd does, naming the binary', async () => {
    const missing = findExecutable('cilium') ? 'packetwalk-no-such-binary' : 'cilium'
    const r = await clientExec(kubeConfig(api), CLIENT_POD, 'client', [missing, 'status'])
    expect(r.status?.status).toBe('Failure')
    expect(r.status?.reason).toBe('InternalError')
    expect(r.status?.code).toBe(500)
    expect(r.status?.message).toContain(`exec: "${missing}": executable file not found in $PATH`)
    expect(api.execLog.at(-1)).toMatchObject({ outcome: 'not-found' })
  })

  it('speaks v4 and the original channel.k8s.io: ready frame, output frames, then the status', async () => {
    const v4 = await rawExec(api, ['ip', 'link', 'show', 'dev', 'kt0'], ['v4.channel.k8s.io'])
    expect(v4.protocol).toBe('v4.channel.k8s.io')
    expect([...(v4.frames[0] ?? [])]).toEqual([1]) // empty stdout frame: the stream is up
    const stdout = v4.frames.filter((f) => f[0] === 1).map((f) => f.subarray(1).toString()).join('')
    expect(stdout).toMatch(/^\d+: kt0@kt1: /)
    const last = v4.frames.at(-1)
    expect(last?.[0]).toBe(3)
    expect(JSON.parse(last?.subarray(1).toString() ?? '')).toEqual({ metadata: {}, status: 'Success' })

    // channel.k8s.io: no status on success, the error text on failure
    const v1ok = await rawExec(api, ['ip', 'link', 'show', 'dev', 'kt0'], ['channel.k8s.io'])
    expect(v1ok.protocol).toBe('channel.k8s.io')
    expect(v1ok.frames.some((f) => f[0] === 3)).toBe(false)
    const v1bad = await rawExec(api, ['ip', 'link', 'show', 'dev', 'nosuchdev0'], ['channel.k8s.io'])
    expect(v1bad.frames.at(-1)?.subarray(1).toString()).toBe('command terminated with non-zero exit code: error executing command [ip link show dev nosuchdev0], exit code 1')
  })

  it('kills a process that outlives the exec bound (137, as a SIGKILL)', async () => {
    const t = Date.now()
    const r = await clientExec(kubeConfig(api), CLIENT_POD, 'client', ['sleep', '20'])
    expect(Date.now() - t).toBeLessThan(5000)
    expect(r.status?.details?.causes).toEqual([{ reason: 'ExitCode', message: '137' }])
    expect(api.execLog.at(-1)).toMatchObject({ argv: ['sleep', '20'], outcome: 'killed', exitCode: 137 })
  })

  it('by default refuses argv outside the allowlist, logs it, and never starts a process', async () => {
    for (const argv of [['ip', 'addr; rm -rf /'], ['sh', '-c', 'id'], ['tc', 'filter', 'show', 'dev', 'lxc$(id)', 'ingress']]) {
      const r = await clientExec(kubeConfig(strict), CLIENT_POD, 'client', argv)
      expect(r.status?.reason).toBe('InternalError')
      expect(r.status?.message).toContain('refused by the test API server')
      expect(r.stdout).toBe('')
      expect(strict.execLog.at(-1)).toMatchObject({ argv, outcome: 'refused' })
    }
    const ok = await clientExec(kubeConfig(strict), CLIENT_POD, 'client', ['ip', 'rule'])
    expect(ok.status?.status).toBe('Success')
    expect(ok.stdout).toMatch(/^0:\s+from all lookup local/m)
  })

  it('stops cleanly: running processes are killed and the port is closed', async () => {
    const api2 = await startKubeTestApi({ cluster: labClusterSpec({ pod: `${NS}x`, node: `${NS}x` }), refuseArgv: null })
    const pending = clientExec(kubeConfig(api2), CLIENT_POD, 'client', ['sleep', '30'])
    await new Promise((r) => setTimeout(r, 300))
    const t = Date.now()
    await api2.close()
    await pending.catch(() => undefined)
    expect(Date.now() - t).toBeLessThan(3000)
    await expect(fetch(`${api2.url}/version`)).rejects.toThrow()
  })
})

describe('kube-test-api RBAC of exec by API server version (no namespace: an allowed upgrade stops at the pod)', () => {
  const doubles: Partial<Record<KubeVersion, KubeTestApi>> = {}
  beforeAll(async () => {
    for (const version of ['1.34', '1.35'] as const) doubles[version] = await startKubeTestApi({ cluster: labClusterSpec({ pod: `${NS}-none`, node: `${NS}-none` }), version })
  })
  afterAll(async () => {
    for (const d of Object.values(doubles)) await d?.close()
  })

  const path = `/api/v1/namespaces/default/pods/client/exec?${new URLSearchParams({ command: 'ip', container: 'client', stdout: 'true' })}`
  const getMissing = (user: string) => `pods "client" is forbidden: User "${user}" cannot get resource "pods/exec" in API group "" in the namespace "default"`
  // past the authorizer, the pod has no sandbox (its namespace does not exist): kubelet's 400
  const passed = 'unable to upgrade connection: container not found ("client")'

  it.each([
    ['1.34', 'execGet', 400, passed],
    ['1.34', 'execCreate', 403, getMissing('lab-exec-create')],
    ['1.34', 'admin', 400, passed],
    ['1.35', 'execGet', 403, 'pods "client" is forbidden: '],
    ['1.35', 'execCreate', 403, getMissing('lab-exec-create')],
    ['1.35', 'admin', 400, passed],
    ['1.35', 'viewer', 403, getMissing('lab-viewer')],
  ] as const)('%s, user %s: %i', async (version, who, code, message) => {
    const api = doubles[version]!
    const res = await refusedUpgrade(api, path, api.users[who].token)
    expect(res.status).toBe(code)
    expect((res.body as { message?: string }).message).toBe(message)
  })

  it('answers SPDY (a POST) as create on both versions', async () => {
    for (const v of ['1.34', '1.35'] as const) {
      const api = doubles[v]!
      const spdy = await httpsRequest(api, 'POST', path, { token: api.users.execGet.token, headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' } })
      expect(spdy.code).toBe(403)
      expect((JSON.parse(spdy.text) as { message: string }).message).toContain('cannot create resource "pods/exec"')
    }
  })
})

describe('kube-test-api ephemeral containers (REST)', () => {
  let api: KubeTestApi
  beforeAll(async () => {
    api = await startKubeTestApi({ cluster: labClusterSpec({ pod: `${NS}-none`, node: `${NS}-none` }) })
  })
  afterAll(() => api?.close())

  const patch = (body: unknown, token = api.users.admin.token, type = 'application/strategic-merge-patch+json') =>
    httpsRequest(api, 'PATCH', '/api/v1/namespaces/default/pods/client/ephemeralcontainers', { token, body: JSON.stringify(body), headers: { 'Content-Type': type } })

  it('adds one, validates like the apiserver, and needs patch on pods/ephemeralcontainers', async () => {
    const added = await patch({ spec: { ephemeralContainers: [{ name: 'dbg', image: 'nicolaka/netshoot:v0.13', targetContainerName: 'client', command: ['sleep', '86400'] }] } })
    expect(added.code).toBe(200)
    const pod = JSON.parse(added.text) as { spec: { ephemeralContainers: { name: string; imagePullPolicy: string }[] }; status: { ephemeralContainerStatuses: { name: string; state: Record<string, unknown> }[] } }
    expect(pod.spec.ephemeralContainers).toMatchObject([{ name: 'dbg', imagePullPolicy: 'IfNotPresent' }])
    expect(pod.status.ephemeralContainerStatuses[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } })

    const dup = await patch({ spec: { ephemeralContainers: [{ name: 'client', image: 'busybox:1.36' }] } })
    expect(dup.code).toBe(422)
    expect((JSON.parse(dup.text) as { message: string }).message).toBe('Pod "client" is invalid: spec.ephemeralContainers[1].name: Duplicate value: "client"')
    const noImage = await patch({ spec: { ephemeralContainers: [{ name: 'x2' }] } })
    expect((JSON.parse(noImage.text) as { message: string }).message).toBe('Pod "client" is invalid: spec.ephemeralContainers[1].image: Required value')
    const viewer = await patch({ spec: { ephemeralContainers: [{ name: 'x3', image: 'busybox:1.36' }] } }, api.users.viewer.token)
    expect(viewer.code).toBe(403)
    expect((JSON.parse(viewer.text) as { message: string }).message).toBe('pods "client" is forbidden: User "lab-viewer" cannot patch resource "pods/ephemeralcontainers" in API group "" in the namespace "default"')
    const badType = await patch({}, api.users.admin.token, 'application/json')
    expect(badType.code).toBe(415)
  })

  it('an image the node cannot pull: ErrImagePull with the runtime error, then ImagePullBackOff', async () => {
    const added = await patch({ spec: { ephemeralContainers: [{ name: 'dbg-nope', image: 'busybox' }] } })
    const state = (text: string) => (JSON.parse(text) as { status: { ephemeralContainerStatuses: { name: string; state: unknown }[] } }).status.ephemeralContainerStatuses.find((s) => s.name === 'dbg-nope')?.state
    expect(state(added.text)).toEqual({
      waiting: {
        reason: 'ErrImagePull',
        message: 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox:latest": failed to resolve reference "docker.io/library/busybox:latest": docker.io/library/busybox:latest: not found',
      },
    })
    await new Promise((r) => setTimeout(r, ERR_IMAGE_PULL_MS))
    const later = await httpsRequest(api, 'GET', '/api/v1/namespaces/default/pods/client')
    expect(state(later.text)).toEqual({ waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox:latest"' } })
  })
})
