/**
 * The live page end to end, on a real kernel: the lab (network namespaces rebuilding the seed's
 * Cilium node) stands for the cluster's pod and node, the Kubernetes API test double
 * (test-support/kube-test-api) stands for the apiserver and kubelet, and the app — started by
 * Playwright's webServer with KUBECONFIG=test-results/e2e-kubeconfig — collects through
 * @kubernetes/client-node exactly as against a cluster. The walk it shows must be the walk of a
 * capture taken from the same namespaces with the CLI's `capture --netns-*`.
 *
 * Needs root (CI runs as root); skipped otherwise. The lab is torn down in afterAll, always, and
 * no `<prefix>-*` namespace may remain.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import type { Capture } from '@/lib/model/capture'
import { stringFacts, type Hop, type Walk } from '@/lib/model/walk'
import { KUBE_TEMPLATES } from '@/server/kube/executor'
import { MONITOR, POD_FALLBACKS, ROUND1, commandLine } from '@/lib/collect/plan'
import { needArgv, placeOf, walkNeeds } from '@/server/collect/needs'
import type { Place } from '@/server/collect/types'
import { labClusterSpec } from '@/test-support/kube-test-api/cluster'
import { HOSTILE, hostileDown, hostileUp, withHostileNode } from '@/test-support/kube-test-api/hostile'
import { startKubeTestApi, type KubeTestApi } from '@/test-support/kube-test-api/server'
import { checkArgv } from '@/server/security'

const ROOT = path.resolve(__dirname, '..')
/** Where playwright.config.ts points the app's KUBECONFIG. */
const KUBECONFIG = path.join(ROOT, 'test-results', 'e2e-kubeconfig')
const PREFIX = process.env.PW_LAB_PREFIX ?? 'pw'
const NETNS = { pod: `${PREFIX}-pod`, node: `${PREFIX}-node` }
const DEST = '198.51.100.80:80/tcp'
const OUT = path.join(ROOT, 'test-results', 'e2e-live')

function run(cmd: string, args: string[], timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

const npmRun = (script: string, args: string[]) => run('npm', ['run', '-s', script, '--', ...args])

async function listNetns(): Promise<string[]> {
  const r = await run('ip', ['netns', 'list'])
  return r.stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter(Boolean)
}

/** `packetwalk walk <file> --json`: the same engine for both captures. */
async function walkOf(captureFile: string): Promise<Walk> {
  const r = await npmRun('packetwalk', ['walk', captureFile, '--json'])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as Walk
}

/**
 * A hop as comparable across the two collectors: host ids become roles (the CLI names the node
 * after its namespace, the live collector after the Kubernetes node), and the two facts that are
 * timers of the kernel, not topology, are neutralised: a neighbour's NUD state (REACHABLE turns
 * STALE within 15–45 s) and a conntrack entry's countdown and ephemeral port. The entry is a line
 * of /proc/net/nf_conntrack (`ipv4 2 tcp 6 <countdown> …`) or of `conntrack -L` (`tcp 6 <countdown> …`).
 */
function normalise(walk: Walk, capture: Capture): unknown[] {
  const role = (host: string | undefined) => (host === undefined ? undefined : (capture.hosts[host]?.role ?? `?${host}`))
  return walk.hops.map((h: Hop) => {
    const facts: Record<string, string> = stringFacts(h.facts)
    if (h.kind === 'neighbor') delete facts.state
    if (h.kind === 'conntrack' && facts.entry) {
      const sport = /sport=(\d+)/.exec(facts.entry)?.[1]
      let e = facts.entry.replace(/^((?:ipv[46]\s+\d+\s+)?\w+\s+\d+\s+)\d+/, '$1<timeout>').replace(/\b(TIME_WAIT|ESTABLISHED|CLOSE|FIN_WAIT|CLOSE_WAIT|LAST_ACK|SYN_SENT)\b/, '<state>')
      if (sport) e = e.replaceAll(`port=${sport}`, 'port=<ephemeral>')
      facts.entry = e
    }
    for (const k of ['fromHost', 'toHost']) if (facts[k] !== undefined) facts[k] = role(facts[k]) ?? ''
    return { kind: h.kind, host: role(h.host), proven: h.proven, facts }
  })
}

/** Every exec the double saw is one the collector's allowlist accepts; none was refused. */
function expectOnlyAllowlisted(api: KubeTestApi): void {
  const outside = api.execLog.filter((e) => !checkArgv(e.argv, KUBE_TEMPLATES).ok || e.outcome === 'refused')
  expect(outside, `execs outside the allowlist: ${JSON.stringify(outside.map((e) => e.argv))}`).toEqual([])
}

/** The capture endpoint's NDJSON answer, read to the end. */
async function captureViaApi(request: APIRequestContext, body: Record<string, unknown>) {
  const res = await request.post('/api/live/capture', { data: body, headers: { 'Content-Type': 'application/json' } })
  const text = await res.text()
  const events = res.ok() ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { type: string; [k: string]: unknown }) : []
  return { status: res.status(), text, events, last: events.at(-1) }
}

/** Fills the live form and collects; resolves with the capture the page saved ("Save capture"). */
async function captureThroughPage(page: Page): Promise<Capture> {
  await page.goto('/live?lang=en')
  await expect(page.getByTestId('live-context').locator('option[value="lab"]')).toHaveCount(1)
  await page.getByTestId('live-context').selectOption('lab')
  await expect(page.getByTestId('live-namespace').locator('option[value="default"]')).toHaveCount(1)
  await page.getByTestId('live-namespace').selectOption('default')
  // the pod list comes from the double: client with the address its namespace really has
  await expect(page.getByTestId('live-pod').locator('option[value="client"]')).toHaveText('client (10.244.0.213)')
  await page.getByTestId('live-pod').selectOption('client')
  await page.getByTestId('live-destination').fill(DEST)
  await page.getByTestId('live-capture').click()

  // every command shows up, then ends with its exit code
  const commands = page.getByTestId('live-commands')
  await expect(commands.locator('tr', { hasText: 'ip -d link' })).toContainText(/exit 0 · \d+ ms/, { timeout: 60_000 })
  await expect(commands.locator('tr[data-state="running"]')).toHaveCount(0, { timeout: 60_000 })
  await expect(commands.locator('tr', { hasText: 'cilium status --verbose' })).toContainText('exit 127')
  // the walk is drawn below the form
  await expect(page.getByTestId('live-walk')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('live-walk')).toContainText('lxc')

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('live-save').click()])
  expect(download.suggestedFilename()).toMatch(/^packetwalk-default_client-.*\.capture\.json$/)
  const file = path.join(OUT, 'live-page.capture.json')
  await download.saveAs(file)
  const capture = JSON.parse(fs.readFileSync(file, 'utf8')) as Capture

  // every command the collector ran has its row, with the exit code the capture recorded (a
  // `cilium-dbg` the executor tried before `cilium` is recorded, but shares the planned command's row)
  const row = (hostId: string, line: string) =>
    commands.locator('tr').filter({ has: page.locator('td:nth-child(1)', { hasText: exact(hostId) }) }).filter({ has: page.locator('td:nth-child(2)', { hasText: exact(line) }) })
  for (const [hostId, host] of Object.entries(capture.hosts)) {
    for (const [i, r] of host.runs.entries()) {
      const retried = r.command.startsWith('cilium-dbg ') && host.runs[i + 1]?.command === planLine(r.command)
      if (!retried) await expect(row(hostId, r.command).first(), `${hostId}: ${r.command}`).toContainText(`exit ${r.exitCode}`)
    }
  }
  // round 2 ran what the engine's walk of round 1 needs (the lab's: the flow's Cilium CT entry)
  const asked = round2Needs(capture)
  expect(asked.length, 'the walk of round 1 needs at least one command').toBeGreaterThan(0)
  for (const { hostId, line } of asked) {
    expect(capture.hosts[hostId]?.runs.some((r) => r.command === line), `${hostId}: \`${line}\` asked by the walk of round 1 but not run`).toBe(true)
  }
  return capture
}

const exact = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)

/** A recorded command line as the plan spells it (the executor records `cilium-dbg` when it had to use it). */
const planLine = (command: string) => command.replace(/^cilium-dbg /, 'cilium ')

const round1Lines = (role: Place['role']) => new Set([...ROUND1[role], ...(role === 'pod' ? POD_FALLBACKS : []), ...(role === 'agent' ? [MONITOR] : [])].map((c) => commandLine(c.argv)))

/** The capture as it stood after round 1 (the one the collector asked the engine about). */
function round1Of(capture: Capture): Capture {
  return {
    ...capture,
    hosts: Object.fromEntries(Object.entries(capture.hosts).map(([id, h]) => [id, { ...h, runs: h.runs.filter((r) => !r.probe && round1Lines(h.role).has(planLine(r.command))) }])),
  }
}

/**
 * What round 2 of a capture ran because the engine asked for it: the walk's `needs` for the
 * capture's round-1 runs only, turned into argv and places exactly as the collector does, minus
 * what round 1 already ran there (a need the after-traffic plan also holds runs once).
 */
function round2Needs(capture: Capture): { hostId: string; line: string }[] {
  const places: Place[] = Object.entries(capture.hosts).map(([hostId, h]) => ({ hostId, role: h.role, name: h.name, ...(h.node ? { node: h.node } : {}) }))
  const out: { hostId: string; line: string }[] = []
  for (const need of walkNeeds(round1Of(capture))) {
    const argv = needArgv(need)
    const place = placeOf(need, places)
    if (!argv || !place || !checkArgv(argv, KUBE_TEMPLATES).ok) continue
    const line = commandLine(argv)
    if (round1Lines(place.role).has(line) || out.some((o) => o.hostId === place.hostId && o.line === line)) continue
    out.push({ hostId: place.hostId, line })
  }
  return out
}

test.describe('live capture through the Kubernetes API test double, on the lab', () => {
  test.skip(process.getuid?.() !== 0, 'needs root: the lab builds network namespaces (CI runs the e2e tests as root)')
  test.describe.configure({ mode: 'serial', timeout: 180_000 })

  let api: KubeTestApi | undefined

  test.beforeAll(async () => {
    test.setTimeout(240_000)
    fs.mkdirSync(OUT, { recursive: true })
    const upR = await npmRun('lab', ['up', '--prefix', PREFIX])
    expect(upR.code, upR.stderr).toBe(0)
    await hostileUp(PREFIX)
    api = await startKubeTestApi({ cluster: withHostileNode(labClusterSpec(NETNS), PREFIX), execLogPath: path.join(OUT, 'kube-test-api.execs.jsonl') })
    api.writeKubeconfig(KUBECONFIG)
  })

  test.afterAll(async () => {
    test.setTimeout(120_000)
    await api?.close()
    await hostileDown(PREFIX).catch(() => undefined)
    const downR = await npmRun('lab', ['down', '--prefix', PREFIX])
    fs.rmSync(KUBECONFIG, { force: true })
    expect(downR.code, downR.stderr).toBe(0)
    expect((await listNetns()).filter((n) => n.startsWith(`${PREFIX}-`))).toEqual([])
  })

  test('the live page collects through client-node and draws the walk the lab CLI capture gives', async ({ page }) => {
    const probe = await npmRun('lab', ['probe', '--prefix', PREFIX])
    expect(probe.code, probe.stdout + probe.stderr).toBe(0)

    const cliFile = path.join(OUT, 'netns.capture.json')
    const cli = await npmRun('packetwalk', ['capture', '--netns-pod', NETNS.pod, '--netns-node', NETNS.node, '--netns-agent', NETNS.node, '--from', 'default/client', '--to', DEST, '-o', cliFile])
    expect(cli.code, cli.stderr).toBe(0)

    const live = await captureThroughPage(page)
    const liveFile = path.join(OUT, 'live.capture.json')
    fs.writeFileSync(liveFile, JSON.stringify(live, null, 2))
    expect(live.flow.source).toMatchObject({ pod: 'default/client', ip: '10.244.0.213', node: 'lab-node' })
    expect(live.cluster.config?.['routing-mode']).toBe('native')
    expect(Object.values(live.hosts).map((h) => h.role).sort()).toEqual(['agent', 'node', 'pod'])

    const cliCapture = JSON.parse(fs.readFileSync(cliFile, 'utf8')) as Capture
    const [liveWalk, cliWalk] = await Promise.all([walkOf(liveFile), walkOf(cliFile)])
    const a = normalise(liveWalk, live)
    const b = normalise(cliWalk, cliCapture)
    fs.writeFileSync(path.join(OUT, 'walks.normalised.json'), JSON.stringify({ live: a, cli: b }, null, 2))
    expect(a.length).toBeGreaterThanOrEqual(8)
    expect(a).toEqual(b)
    // the hops the lab really proves, in the order the packet meets them
    expect(liveWalk.hops.slice(0, 4).map((h) => h.kind)).toEqual(['route', 'neighbor', 'veth', 'bpf'])
    expect(liveWalk.hops.find((h) => h.kind === 'nat')?.facts).toMatchObject({ type: 'masquerade', by: 'iptables', from: '10.244.0.213' })

    // what the double ran: the pod's commands in the pod's namespace, node ones in the node's
    const ran = api?.execLog.filter((e) => e.outcome === 'ran') ?? []
    expect(ran.filter((e) => e.pod === 'client').every((e) => e.netns === NETNS.pod)).toBe(true)
    expect(ran.some((e) => e.argv.join(' ') === 'ip -d link' && e.netns === NETNS.node)).toBe(true)
    if (api) expectOnlyAllowlisted(api)
  })

  test('hostile input typed into the live page is refused before any exec', async ({ page }) => {
    if (!api) throw new Error('the test API server did not start')
    const before = api.execLog.length
    await page.goto('/live?lang=en')
    await page.getByTestId('live-context').selectOption('lab')
    await page.getByTestId('live-pod').selectOption('client')
    const cases: [string, string][] = [
      ['live-destination', '198.51.100.80:80/tcp; rm -rf /'],
      ['live-destination', '$(id)'],
      ['#live-debug-image', 'netshoot$(id)'],
      ['#live-agent-ns', 'kube-system;id'],
    ]
    for (const [field, value] of cases) {
      await page.reload()
      await page.getByTestId('live-context').selectOption('lab')
      await page.getByTestId('live-pod').selectOption('client')
      if (field.startsWith('#')) await page.locator(field).fill(value)
      else await page.getByTestId('live-destination').fill(value)
      if (field !== 'live-destination') await page.getByTestId('live-destination').fill(DEST)
      await page.getByTestId('live-capture').click()
      await expect(page.getByTestId('live-fatal'), `${field} = ${value}`).toContainText(/invalid/i, { timeout: 30_000 })
    }
    expect(api.execLog.slice(before)).toEqual([])
  })

  test('hostile input through every live field never becomes an exec', async ({ request }) => {
    if (!api) throw new Error('the test API server did not start')
    const before = api.execLog.length
    const evil = ['; rm -rf /', '$(id)', '`id`', 'default\nip link del eth0', 'client; reboot', '-rf', '../../etc/passwd', 'a b', 'x'.repeat(300)]

    for (const v of evil) {
      for (const url of [
        `/api/live/namespaces?context=${encodeURIComponent(v)}`,
        `/api/live/pods?context=lab&namespace=${encodeURIComponent(v)}`,
        `/api/live/services?context=lab&namespace=${encodeURIComponent(v)}`,
      ]) {
        const res = await request.get(url)
        expect(res.status(), `${url} → ${await res.text()}`).toBeGreaterThanOrEqual(400)
      }
      const bodies: Record<string, unknown>[] = [
        { context: v, from: 'default/client', to: DEST },
        { context: 'lab', from: `${v}/client`, to: DEST },
        { context: 'lab', from: `default/${v}`, to: DEST },
        { context: 'lab', from: v, to: DEST },
        { context: 'lab', from: 'default/client', to: v },
        { context: 'lab', from: 'default/client', to: `198.51.100.80:80/tcp${v}` },
        { context: 'lab', from: 'default/client', to: DEST, container: v },
        { context: 'lab', from: 'default/client', to: DEST, agentNamespace: v },
        { context: 'lab', from: 'default/client', to: DEST, debugImage: v },
      ]
      for (const body of bodies) {
        const r = await captureViaApi(request, body)
        const refused = r.status >= 400 || (r.last?.type === 'fatal' && ['invalid-input', 'unknown-context', 'bad-kubeconfig'].includes(String(r.last.kind)))
        expect(refused, `${JSON.stringify(body)} → ${r.status} ${r.text.slice(0, 300)}`).toBe(true)
      }
    }
    // not one exec for any of them
    expect(api.execLog.slice(before)).toEqual([])

    // hostile names in a command's output: the evil node's veth is `lxc$(id)`, its uplink `eth0;reboot`
    const r = await captureViaApi(request, { context: 'lab', from: `${HOSTILE.pod.namespace}/${HOSTILE.pod.name}`, to: DEST })
    fs.writeFileSync(path.join(OUT, 'hostile.ndjson'), r.text)
    expect(r.last?.type).toBe('result')
    // round 2 runs what the walk of round 1 needs: the needs that name a hostile device are refused
    // by the allowlist, said in a note, and never reach the double
    const hostileNeeds = walkNeeds(round1Of(r.last?.capture as Capture)).filter((n) => /lxc\$\(id\)|eth0;reboot/.test(n.command))
    expect(hostileNeeds.length, 'the walk of the evil node asks for a command on a hostile device').toBeGreaterThan(0)
    const notes = r.events.filter((e) => e.type === 'note').map((e) => String(e.message))
    for (const n of hostileNeeds) {
      const argv = needArgv(n)
      expect(notes.some((m) => m.includes(`not run: \`${n.command}\``) && /not in the allowlist|not a single command|no such place/.test(m)), `need \`${n.command}\` not refused: ${JSON.stringify(notes)}`).toBe(true)
      if (argv) expect(argv.length === 0 || !checkArgv(argv, KUBE_TEMPLATES).ok).toBe(true)
    }
    const fromEvil = api.execLog.slice(before)
    expect(fromEvil.length).toBeGreaterThan(10)
    expect(fromEvil.filter((e) => e.argv.some((a) => a.includes('$(') || a.includes(';')))).toEqual([])
    expect(fromEvil.filter((e) => e.argv[0] === 'tc')).toEqual([])
    expectOnlyAllowlisted(api)
  })
})
