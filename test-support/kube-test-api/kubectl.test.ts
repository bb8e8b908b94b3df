/**
 * Real kubectl (/usr/bin/kubectl, when installed) against the double, over its TLS with the CA
 * and bearer token of the kubeconfig it writes: discovery and short names, Table output with
 * `-o wide`, `auth can-i` (a protobuf SelfSubjectAccessReview), and as root `exec` (WebSocket v5),
 * the pods/exec verb of 1.34 and 1.35 API servers, and `debug` (ephemeral containers) in a
 * network namespace of the test's own.
 */
import { execFile, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labClusterSpec } from './cluster'
import { ERR_IMAGE_PULL_MS } from './ephemeral'
import { startKubeTestApi } from './server'

const KUBECTL = '/usr/bin/kubectl'
const hasKubectl = fs.existsSync(KUBECTL)
const root = process.getuid?.() === 0
const NS = `kctl${process.pid}`

interface Run {
  code: number
  stdout: string
  stderr: string
}

function kubectl(kubeconfig: string, cache: string, args: string[], timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    const env = Object.assign({} as NodeJS.ProcessEnv, { PATH: '/usr/bin:/bin', HOME: cache, KUBECONFIG: kubeconfig })
    execFile(KUBECTL, ['--cache-dir', cache, ...args], { env, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

/** A double plus a kubeconfig file and a kubectl cache of its own. */
async function start(o: Parameters<typeof startKubeTestApi>[0]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-double-'))
  const api = await startKubeTestApi(o)
  const kc = path.join(dir, 'kubeconfig')
  api.writeKubeconfig(kc)
  return {
    api,
    run: (...args: string[]) => kubectl(kc, path.join(dir, 'cache'), args),
    /** for commands that never end by themselves (get -w): stopped after ms, output kept */
    runFor: (ms: number, ...args: string[]) => kubectl(kc, path.join(dir, 'cache'), args, ms),
    async close() {
      await api.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

const rows = (out: string) => out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/))

describe.skipIf(!hasKubectl)('real kubectl against the double (no namespace needed)', () => {
  let d: Awaited<ReturnType<typeof start>>
  beforeAll(async () => {
    // namespaces that do not exist: the pods are Pending (ContainerCreating), as before a sandbox is up
    d = await start({ cluster: labClusterSpec({ pod: `${NS}-none`, node: `${NS}-none` }) })
  })
  afterAll(() => d?.close())

  it('get pods -A -o wide: the real columns from the server-side Table', async () => {
    const r = await d.run('get', 'pods', '-A', '-o', 'wide')
    expect(r.stderr).toBe('')
    const [head, ...body] = rows(r.stdout)
    expect(head).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'])
    expect(body.map((c) => [c[0], c[1], c[2], c[3], c[4], c[6], c[7]])).toEqual([
      ['default', 'client', '0/1', 'ContainerCreating', '0', '<none>', 'lab-node'],
      ['kube-system', 'cilium-x5b2q', '0/1', 'ContainerCreating', '0', '<none>', 'lab-node'],
    ])
    expect(body[0]?.[5]).toMatch(/^\d+y\d*d?$/) // created 2024-09-11: an age in years
  })

  it('resolves short names through discovery: po, svc, cm, ns, ds, no', async () => {
    const r = await d.run('get', 'po,svc,cm,ns,ds,no', '-A', '-o', 'name')
    expect(r.stderr).toBe('')
    expect(r.stdout.trim().split('\n')).toEqual([
      'pod/client', 'pod/cilium-x5b2q',
      'service/kubernetes', 'service/kube-dns',
      'configmap/cilium-config',
      'namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system',
      'daemonset.apps/cilium',
      'node/lab-node',
    ])
    const svc = await d.run('get', 'svc', '-n', 'kube-system', '-o', 'wide')
    expect(rows(svc.stdout)).toEqual([
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
      ['kube-dns', 'ClusterIP', '10.245.0.10', '<none>', '53/UDP,53/TCP', expect.stringMatching(/^\d+y/) as string, 'k8s-app=kube-dns'],
    ])
    const unknown = await d.run('get', 'deployments')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('the server doesn\'t have a resource type "deployments"')
  })

  it('get -w lists, then watches from the list\'s resourceVersion (no duplicate rows)', async () => {
    const r = await d.runFor(4000, 'get', 'pods', '-w')
    expect(rows(r.stdout).map((c) => c[0])).toEqual(['NAME', 'client'])
  })

  it('auth can-i create pods --subresource=exec: yes, no, by role', async () => {
    const yes = await d.run('auth', 'can-i', 'create', 'pods', '--subresource=exec')
    expect([yes.code, yes.stdout.trim()]).toEqual([0, 'yes'])
    for (const [context, verb, want] of [['lab-exec-get', 'create', 'no'], ['lab-exec-get', 'get', 'yes'], ['lab-exec-create', 'create', 'yes'], ['lab-exec-create', 'get', 'no'], ['lab-viewer', 'create', 'no']] as const) {
      const r = await d.run('--context', context, 'auth', 'can-i', verb, 'pods', '--subresource=exec')
      expect(r.stdout.trim(), `${context} ${verb}`).toBe(want)
      expect(r.code).toBe(want === 'yes' ? 0 : 1)
    }
  })

  it('sends the token only over verified TLS: a bad token is 401, a role without list is 403', async () => {
    const bad = await d.run('--context', 'lab-bad-token', 'get', 'pods')
    expect(bad.stderr).toContain('error: You must be logged in to the server (Unauthorized)')
    const nobody = await d.run('--context', 'lab-nobody', 'get', 'pods')
    expect(nobody.stderr.trim()).toBe('Error from server (Forbidden): pods is forbidden: User "lab-nobody" cannot list resource "pods" in API group "" in the namespace "default"')
    const v = await d.run('version', '-o', 'json')
    expect((JSON.parse(v.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion).toBe('v1.35.0')
  })
})

describe.skipIf(!hasKubectl || !root)('real kubectl exec and debug (root: a network namespace of its own)', () => {
  const ns = `${NS}x`
  const doubles: Record<string, Awaited<ReturnType<typeof start>>> = {}
  beforeAll(async () => {
    execFileSync('ip', ['netns', 'add', ns])
    execFileSync('ip', ['-n', ns, 'link', 'add', 'kc0', 'type', 'veth', 'peer', 'name', 'kc1'])
    execFileSync('ip', ['-n', ns, 'addr', 'add', '198.18.0.78/24', 'dev', 'kc0'])
    execFileSync('ip', ['-n', ns, 'link', 'set', 'kc1', 'up'])
    execFileSync('ip', ['-n', ns, 'link', 'set', 'kc0', 'up'])
    execFileSync('ip', ['-n', ns, 'route', 'add', 'default', 'dev', 'kc0'])
    for (const version of ['1.34', '1.35'] as const) {
      doubles[version] = await start({ cluster: labClusterSpec({ pod: ns, node: ns }), version, refuseArgv: null, maxExecMs: 5000 })
    }
  })
  afterAll(async () => {
    for (const d of Object.values(doubles)) await d.close()
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
    } catch {
      // never made (setup failed early)
    }
  })

  it('exec runs in the pod namespace and passes on the exit code', async () => {
    const d = doubles['1.35']!
    const r = await d.run('exec', 'client', '--', 'ip', '-4', '-o', 'addr', 'show', 'dev', 'kc0')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^\d+: kc0\s+inet 198\.18\.0\.78\/24 scope global kc0/)
    const fail = await d.run('exec', 'client', '--', 'sh', '-c', 'echo to-stderr >&2; exit 3')
    expect(fail.code).toBe(3)
    expect(fail.stderr).toBe('to-stderr\ncommand terminated with exit code 3\n')
    expect(d.api.execLog.at(-1)).toMatchObject({ protocol: 'v5.channel.k8s.io', outcome: 'ran', exitCode: 3 })
  })

  it('the agent container has the Cilium image tools only: conntrack is not found, cat is', async () => {
    const d = doubles['1.35']!
    const ct = await d.run('exec', '-n', 'kube-system', 'cilium-x5b2q', '--', 'conntrack', '-L')
    expect(ct.code).toBe(1)
    expect(ct.stderr).toContain('exec: "conntrack": executable file not found in $PATH: unknown')
    const cat = await d.run('exec', '-n', 'kube-system', 'cilium-x5b2q', '--', 'cat', '/proc/net/dev')
    expect(cat.code).toBe(0)
    expect(cat.stdout).toContain('kc0:')
    // the client pod's image (netshoot) has conntrack-tools when this machine does
    const inPod = await d.run('exec', 'client', '--', 'conntrack', '--version')
    expect(inPod.stderr).not.toContain('executable file not found')
  })

  it('1.34 authorises WebSocket exec as get pods/exec, 1.35 as get and create', async () => {
    const exec = (v: '1.34' | '1.35', context: string) => doubles[v]!.run('--context', context, 'exec', 'client', '--', 'true')
    // get only: enough before 1.35
    expect((await exec('1.34', 'lab-exec-get')).code).toBe(0)
    const get135 = await exec('1.35', 'lab-exec-get')
    expect(get135.code).toBe(1)
    // kubectl falls back to SPDY (a POST, authorised as create) after the refused upgrade
    expect(get135.stderr).toContain('cannot create resource "pods/exec"')
    expect(doubles['1.35']!.api.execLog.filter((e) => e.user === 'lab-exec-get').at(-1)).toMatchObject({ outcome: 'forbidden' })
    // create only: the WebSocket GET is refused on both versions
    for (const v of ['1.34', '1.35'] as const) {
      const r = await exec(v, 'lab-exec-create')
      expect(r.code, v).toBe(1)
      const refused = doubles[v]!.api.execLog.filter((e) => e.user === 'lab-exec-create')
      expect(refused[0]?.outcome).toBe('forbidden')
    }
    expect((await exec('1.35', 'lab')).code).toBe(0)
  })

  it('debug adds an ephemeral container that runs; an unknown image reports ErrImagePull then ImagePullBackOff', async () => {
    const d = doubles['1.35']!
    const ok = await d.run('debug', 'client', '-c', 'dbg-ok', '--image=busybox:1.36', '--target=client', '--profile=general', '--', 'sleep', '3600')
    expect(ok.code).toBe(0)
    await new Promise((r) => setTimeout(r, 500))
    const inDebug = await d.run('exec', 'client', '-c', 'dbg-ok', '--', 'ip', '-4', '-o', 'addr', 'show', 'dev', 'kc0')
    expect(inDebug.stdout).toContain('198.18.0.78/24')
    const again = await d.run('debug', 'client', '-c', 'dbg-ok', '--image=busybox:1.36', '--profile=general', '--', 'sleep', '1')
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('Forbidden: existing ephemeral containers "dbg-ok" may not be changed')

    const bad = await d.run('debug', 'client', '-c', 'dbg-bad', '--image=registry.invalid/nope:1', '--profile=general', '--', 'sleep', '3600')
    expect(bad.code).toBe(0)
    const badName = 'dbg-bad'
    const state = async () => {
      const r = await d.run('get', 'pod', 'client', '-o', `jsonpath={.status.ephemeralContainerStatuses[?(@.name=="${badName}")].state.waiting}`)
      return JSON.parse(r.stdout) as { reason: string; message: string }
    }
    expect(await state()).toEqual({
      reason: 'ErrImagePull',
      message: 'rpc error: code = NotFound desc = failed to pull and unpack image "registry.invalid/nope:1": failed to resolve reference "registry.invalid/nope:1": registry.invalid/nope:1: not found',
    })
    await new Promise((r) => setTimeout(r, ERR_IMAGE_PULL_MS))
    expect(await state()).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.invalid/nope:1"' })
    const execBad = await d.run('exec', 'client', '-c', badName, '--', 'true')
    expect(execBad.code).toBe(1)
    expect(execBad.stderr).toContain(`container not found ("${badName}")`)
  })
})
